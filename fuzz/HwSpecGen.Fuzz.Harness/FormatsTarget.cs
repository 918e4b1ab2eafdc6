using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HwSpecGen.Runtime;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>
/// Every format of the registry behind one target: the first two bytes (little-endian) pick the format (modulo the
/// count), the rest is the entry. Decode, validate, format and encode must agree with the layout and never throw.
/// </summary>
public sealed class FormatsTarget : FuzzTarget
{
    private readonly ImmutableArray<FormatDescriptor> _formats;

    /// <summary>Creates the target over <paramref name="formats"/>.</summary>
    /// <param name="formats">The registry's formats.</param>
    public FormatsTarget(ImmutableArray<FormatDescriptor> formats) => _formats = formats;

    /// <inheritdoc/>
    public override string Name => "formats";

    /// <inheritdoc/>
    public override string Description => $"every format ({_formats.Length}): 2 selector bytes, then the entry";

    /// <inheritdoc/>
    public override void Run(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || _formats.IsEmpty)
        {
            return;
        }

        var format = _formats[(data[0] | data[1] << 8) % _formats.Length];
        var layout = format.Layout;
        var entry = data.Slice(2);
        Span<ulong> words = stackalloc ulong[8];
        Span<ulong> expected = stackalloc ulong[8];
        var count = layout.WordCount;
        var ok = format.TryDecode(entry, words, out var error);
        if (entry.Length < layout.SizeBytes)
        {
            FuzzInvariantException.Check(!ok && error == DecodeError.TooShort, $"{layout.FullName}: {entry.Length} bytes must decode as TooShort, got {error}");
            return;
        }

        Words.Read(entry.Slice(0, layout.SizeBytes), expected.Slice(0, count));
        var raw = expected.Slice(0, count);
        var mismatch = false;
        foreach (var f in layout.Fields)
        {
            mismatch |= f.ConstValue is { } c && f.ExtractRaw(raw) != c;
        }

        FuzzInvariantException.Check(ok == !mismatch && error == (mismatch ? DecodeError.ConstantMismatch : DecodeError.None), $"{layout.FullName}: decode said {error}, the constants say {(mismatch ? "mismatch" : "fine")}");
        if (ok)
        {
            FuzzInvariantException.Check(words.Slice(0, count).SequenceEqual(raw), $"{layout.FullName}: decoded words differ from the bytes");
        }

        var violations = format.Validate(raw);
        FuzzInvariantException.Check(format.IsValid(raw) == violations.IsValid, $"{layout.FullName}: IsValid says {format.IsValid(raw)}, Validate says {violations.IsValid}");
        FuzzInvariantException.Check(format.HasReservedBitsSet(raw) == violations.HasReservedBitsSet, $"{layout.FullName}: HasReservedBitsSet says {format.HasReservedBitsSet(raw)}, Validate says {violations.HasReservedBitsSet}");
        for (var w = 0; w < 8; w++)
        {
            var set = w < count ? raw[w] & layout.MustBeZeroMask(w) : 0;
            FuzzInvariantException.Check(violations.ReservedBitsSet(w) == set, $"{layout.FullName}: word {w} reports reserved bits 0x{violations.ReservedBitsSet(w):X}, the layout says 0x{set:X}");
        }

        for (var i = 0; i < layout.Fields.Length; i++)
        {
            var f = layout.Fields[i];
            var v = f.ExtractRaw(raw);
            var constantWrong = f.ConstValue is { } c && v != c;
            var enumWrong = f.Kind == FieldKind.Enum && f.EnumStrict && f.FindMember(v) is null;
            FuzzInvariantException.Check(((violations.ConstantFields >> i) & UInt128.One) != UInt128.Zero == constantWrong, $"{layout.FullName}: constant check of {f.Name} disagrees with the layout");
            FuzzInvariantException.Check(((violations.EnumFields >> i) & UInt128.One) != UInt128.Zero == enumWrong, $"{layout.FullName}: enum check of {f.Name} disagrees with the layout");
        }

        FuzzInvariantException.Check(layout.Rules.Length >= 64 || violations.Rules >> layout.Rules.Length == 0, $"{layout.FullName}: a rule past the layout's rules is reported");
        Span<byte> encoded = stackalloc byte[layout.SizeBytes];
        format.Encode(raw, encoded);
        FuzzInvariantException.Check(encoded.SequenceEqual(entry.Slice(0, layout.SizeBytes)), $"{layout.FullName}: encode(decode(b)) != b");
        var text = format.Format(raw);
        FuzzInvariantException.Check(text.StartsWith(layout.Name, StringComparison.Ordinal), $"{layout.FullName}: ToString does not start with the name");
        foreach (var line in violations.Describe(layout))
        {
            FuzzInvariantException.Check(line.Length > 0, $"{layout.FullName}: empty violation text");
        }
    }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, byte[]>> Seeds()
    {
        for (var i = 0; i < _formats.Length; i++)
        {
            // One seed per format keeps the corpus small; the first encoding has every constant set.
            var bytes = SeedFactory.Encodings(_formats[i]).Skip(1).First();
            var seed = new byte[bytes.Length + 2];
            seed[0] = (byte)i;
            seed[1] = (byte)(i >> 8);
            bytes.CopyTo(seed, 2);
            yield return new($"{_formats[i].Layout.Vendor}.{_formats[i].Layout.Name}", seed);
        }
    }
}
