using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Runtime;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>
/// Bytes → the generated <c>XxxSet.Decode</c> → <c>Validate</c> → <c>ToString</c>, through <see cref="CommandSetDescriptor.Decoder"/>.
/// Besides never throwing, the dispatcher must agree with the set's metadata: the opcode is the discriminator's bits,
/// the member is the one with that opcode, and the member's validation, text and encoding are the format's own.
/// </summary>
public sealed class CommandSetTarget : FuzzTarget
{
    private readonly CommandSetDescriptor _set;
    private readonly CommandSetDecoder _decoder;

    /// <summary>Creates the target for <paramref name="set"/>.</summary>
    /// <param name="set">A set from the generated registry.</param>
    public CommandSetTarget(CommandSetDescriptor set)
    {
        _set = set;
        _decoder = set.Decoder ?? throw new ArgumentException($"set {set.FullName} has no generated decoder", nameof(set));
    }

    /// <inheritdoc/>
    public override string Name => _set.Vendor + "." + _set.Name;

    /// <inheritdoc/>
    public override string Description => $"{_set.FullName}: {_set.SizeBytes}-byte entries, {_set.Members.Length} members";

    /// <inheritdoc/>
    public override void Run(ReadOnlySpan<byte> data)
    {
        Span<ulong> words = stackalloc ulong[8];
        Span<ulong> expected = stackalloc ulong[8];
        var count = _set.WordCount;
        var error = _decoder.Decode(data, words, out var opcode, out var member);
        FormatDescriptor? format = null;
        if (data.Length < _set.SizeBytes)
        {
            FuzzInvariantException.Check(error == DecodeError.TooShort && member is null && opcode == 0, $"{_set.FullName}: {data.Length} bytes must decode as TooShort, got {error}");
        }
        else
        {
            Words.Read(data.Slice(0, _set.SizeBytes), expected.Slice(0, count));
            FuzzInvariantException.Check(words.Slice(0, count).SequenceEqual(expected.Slice(0, count)), $"{_set.FullName}: dispatcher words differ from the bytes");
            FuzzInvariantException.Check(opcode == _set.ExtractOpcode(expected.Slice(0, count)), $"{_set.FullName}: dispatcher opcode 0x{opcode:X} is not the discriminator's bits");
            format = _set.Find(opcode);
            FuzzInvariantException.Check(ReferenceEquals(member, format?.Layout), $"{_set.FullName}: opcode 0x{opcode:X} dispatched to {member?.Name ?? "nothing"}, metadata says {format?.Layout.Name ?? "nothing"}");
            FuzzInvariantException.Check(error == (format is null ? DecodeError.UnknownOpcode : DecodeError.None), $"{_set.FullName}: error {error} for opcode 0x{opcode:X}");
        }

        var violations = _decoder.Validate(data);
        var valid = _decoder.IsValid(data);
        var text = _decoder.Format(data);
        if (format is null)
        {
            FuzzInvariantException.Check(violations == default, $"{_set.FullName}: an unknown entry reported violations");
            FuzzInvariantException.Check(!valid, $"{_set.FullName}: an unknown or short entry is IsValid");
            FuzzInvariantException.Check(text.Length > 0, $"{_set.FullName}: empty text for an unknown entry");
            return;
        }

        var entry = words.Slice(0, count);
        FuzzInvariantException.Check(violations == format.Validate(entry), $"{format.FullName}: the set's Validate differs from the member's");
        FuzzInvariantException.Check(valid == violations.IsValid, $"{format.FullName}: the set's IsValid says {valid}, Validate says {violations.IsValid}");
        FuzzInvariantException.Check(text == format.Format(entry), $"{format.FullName}: the set's ToString differs from the member's");
        FuzzInvariantException.Check(format.TryDecode(data, expected, out var memberError) && memberError == DecodeError.None, $"{format.FullName}: the member rejects an entry its set dispatched to it ({memberError})");
        Span<byte> encoded = stackalloc byte[_set.SizeBytes];
        format.Encode(entry, encoded);
        FuzzInvariantException.Check(encoded.SequenceEqual(data.Slice(0, _set.SizeBytes)), $"{format.FullName}: encode(decode(b)) != b");
        for (var w = 0; w < 8; w++)
        {
            var set = w < count ? entry[w] & format.Layout.MustBeZeroMask(w) : 0;
            FuzzInvariantException.Check(violations.ReservedBitsSet(w) == set, $"{format.FullName}: word {w} reports reserved bits 0x{violations.ReservedBitsSet(w):X}, the layout says 0x{set:X}");
        }

        foreach (var line in violations.Describe(format.Layout))
        {
            FuzzInvariantException.Check(line.Length > 0, $"{format.FullName}: empty violation text");
        }
    }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, byte[]>> Seeds()
    {
        foreach (var m in _set.Members)
        {
            var i = 0;
            foreach (var bytes in SeedFactory.Encodings(m.Format))
            {
                yield return new($"{m.Format.Layout.Name}-{i++}", bytes);
            }
        }

        var unknown = Enumerable.Range(0, 64).Select(x => (ulong)x).FirstOrDefault(x => _set.Find(x) is null && x <= MaxOpcode(), ulong.MaxValue);
        if (unknown != ulong.MaxValue)
        {
            var words = new ulong[_set.WordCount];
            var pos = 0;
            foreach (var s in _set.Discriminator)
            {
                s.Insert(words, unknown >> pos);
                pos += s.Width;
            }

            yield return new("unknown-opcode", Words.ToBytes(words, _set.SizeBytes));
        }

        yield return new("short", new byte[Math.Max(1, _set.SizeBytes / 2)]);
    }

    private ulong MaxOpcode()
    {
        var width = _set.Discriminator.Sum(s => s.Width);
        return width >= 64 ? ulong.MaxValue : (1UL << width) - 1;
    }
}
