using System;
using System.Linq;
using CsCheck;
using HwSpecGen.Fuzz.Tests.Support;
using HwSpecGen.Runtime;

namespace HwSpecGen.Fuzz.Tests;

/// <summary>
/// The spec-driven property suite: every format and command set of the generated registries (specs/ and this project's
/// Specs/), found through their layout metadata, fuzzed with CsCheck. Nothing here names a format: a format added in
/// YAML is covered on the next build.
/// </summary>
public sealed class SpecDrivenFuzzTests
{
    private const int Iterations = 150;

    public static TheoryData<string> Formats => Registries.FormatNames;

    public static TheoryData<string> Sets => Registries.SetNames;

    [Theory]
    [MemberData(nameof(Formats))]
    public void DecodeOfArbitraryBytesNeverThrowsAndFailsOnlyForShortInputOrAWrongConstant(string name)
    {
        var format = Registries.Format(name);
        var layout = format.Layout;
        EntryGen.AnyLength(layout.SizeBytes).Sample(
            bytes =>
            {
                var words = new ulong[layout.WordCount];
                var ok = format.TryDecode(bytes, words, out var error);
                if (bytes.Length < layout.SizeBytes)
                {
                    Assert.False(ok);
                    Assert.Equal(DecodeError.TooShort, error);
                    return;
                }

                var raw = Bytes.Words(bytes.AsSpan(0, layout.SizeBytes), layout.WordCount);
                var wrongConstant = layout.Fields.Any(f => f.ConstValue is { } c && f.ExtractRaw(raw) != c);
                Assert.Equal(!wrongConstant, ok);
                Assert.Equal(wrongConstant ? DecodeError.ConstantMismatch : DecodeError.None, error);
                if (ok)
                {
                    Assert.Equal(raw, words);
                }

                Assert.StartsWith(layout.Name + " {", format.Format(raw), StringComparison.Ordinal);
            },
            iter: Iterations,
            print: Bytes.Hex);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EncodeOfDecodeKeepsEveryFieldAndEveryByte(string name)
    {
        var format = Registries.Format(name);
        var layout = format.Layout;
        EntryGen.Entry(layout).Sample(
            bytes =>
            {
                EntryGen.ForceConstants(layout, bytes);
                var words = new ulong[layout.WordCount];
                Assert.True(format.TryDecode(bytes, words, out var error), $"decode failed: {error}");

                var encoded = new byte[layout.SizeBytes];
                format.Encode(words, encoded);
                Assert.Equal(bytes.AsSpan(0, layout.SizeBytes).ToArray(), encoded);

                var again = new ulong[layout.WordCount];
                Assert.True(format.TryDecode(encoded, again, out _));
                var roundTripped = new ulong[layout.WordCount];
                format.RoundTrip(words, roundTripped);
                Assert.Equal(words, again);
                Assert.Equal(words, roundTripped);
                foreach (var f in layout.Fields)
                {
                    Assert.Equal(f.ReadValue(words), f.ReadValue(again));
                }
            },
            iter: Iterations,
            print: Bytes.Hex);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void BitsPastTheFormatsSizeAreNeverKept(string name)
    {
        var format = Registries.Format(name);
        var layout = format.Layout;
        Gen.ULong.Array[layout.WordCount].Sample(
            words =>
            {
                var result = new ulong[layout.WordCount];
                format.RoundTrip(words, result);
                var sizeMask = layout.Bits % 64 == 0 ? ulong.MaxValue : (1UL << (layout.Bits % 64)) - 1;
                var expected = words.ToArray();
                expected[^1] &= sizeMask;
                Assert.Equal(expected, result);
            },
            iter: Iterations / 3);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ExactlyTheSetMustBeZeroBitsAreReported(string name)
    {
        var format = Registries.Format(name);
        var layout = format.Layout;
        EntryGen.Entry(layout).Sample(
            bytes =>
            {
                var words = Bytes.Words(bytes.AsSpan(0, layout.SizeBytes), layout.WordCount);
                var v = format.Validate(words);
                for (var w = 0; w < 8; w++)
                {
                    var expected = w < layout.WordCount ? words[w] & layout.MustBeZeroMask(w) : 0;
                    Assert.Equal(expected, v.ReservedBitsSet(w));
                }

                Assert.Equal(layout.Reserved.Any(r => r.Rule == ReservedRule.MustBeZero && IsAnySet(words, r.Segment)), v.HasReservedBitsSet);
            },
            iter: Iterations,
            print: Bytes.Hex);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void IsValidAgreesWithValidate(string name)
    {
        // IsValid is generated separately from Validate (one boolean expression, for hot paths); they must agree on
        // every entry. The entry generator mixes random, sparse and dense entries with constants-only ones (mostly
        // valid), so both outcomes occur.
        var format = Registries.Format(name);
        var layout = format.Layout;
        EntryGen.Entry(layout).Sample(
            bytes =>
            {
                var words = Bytes.Words(bytes.AsSpan(0, layout.SizeBytes), layout.WordCount);
                var v = format.Validate(words);
                Assert.Equal(v.IsValid, format.IsValid(words));
                Assert.Equal(v.HasReservedBitsSet, format.HasReservedBitsSet(words));
            },
            iter: Iterations,
            print: Bytes.Hex);
        var zero = new ulong[layout.WordCount];
        Assert.Equal(format.Validate(zero).IsValid, format.IsValid(zero));
        Assert.Equal(format.Validate(zero).HasReservedBitsSet, format.HasReservedBitsSet(zero));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ConstantEnumAndRuleChecksAgreeWithTheLayout(string name)
    {
        var format = Registries.Format(name);
        var layout = format.Layout;
        EntryGen.Entry(layout).Sample(
            bytes =>
            {
                var words = Bytes.Words(bytes.AsSpan(0, layout.SizeBytes), layout.WordCount);
                var v = format.Validate(words);
                UInt128 constants = 0, enums = 0;
                for (var i = 0; i < layout.Fields.Length; i++)
                {
                    var f = layout.Fields[i];
                    var raw = f.ExtractRaw(words);
                    if (f.ConstValue is { } c && raw != c)
                    {
                        constants |= UInt128.One << i;
                    }

                    if (f.Kind == FieldKind.Enum && f.EnumStrict && f.FindMember(raw) is null)
                    {
                        enums |= UInt128.One << i;
                    }
                }

                Assert.Equal(constants, v.ConstantFields);
                Assert.Equal(enums, v.EnumFields);
                Assert.Equal(0UL, layout.Rules.Length >= 64 ? 0 : v.Rules >> layout.Rules.Length);
                Assert.Equal(v.RuleErrors(layout).Count(), Enumerable.Range(0, layout.Rules.Length).Count(i => v.IsRuleViolated(i) && layout.Rules[i].Error is not null));
                Assert.Equal(v.IsValid, v.Count == 0);
                Assert.All(v.Describe(layout), line => Assert.False(string.IsNullOrWhiteSpace(line)));
            },
            iter: Iterations,
            print: Bytes.Hex);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void DispatcherAgreesWithTheOpcodeField(string name)
    {
        var set = Registries.Set(name);
        var decoder = set.Decoder;
        Assert.NotNull(decoder);
        var opcodes = set.Members.Select(m => m.Opcode).ToArray();
        var gen = Gen.Select(Gen.Byte.Array[0, set.SizeBytes + 8], Gen.Int[0, opcodes.Length], Gen.Bool);
        gen.Sample(
            (bytes, pick, longEnough) =>
            {
                if (longEnough && bytes.Length < set.SizeBytes)
                {
                    bytes = bytes.Concat(new byte[set.SizeBytes - bytes.Length]).ToArray();
                }

                if (pick < opcodes.Length && bytes.Length >= set.SizeBytes)
                {
                    // Most random opcodes are unknown: steer half of the inputs onto a member.
                    var w = Bytes.Words(bytes.AsSpan(0, set.SizeBytes), set.WordCount);
                    var pos = 0;
                    foreach (var s in set.Discriminator)
                    {
                        s.Insert(w, opcodes[pick] >> pos);
                        pos += s.Width;
                    }

                    Bytes.WriteWords(w, bytes.AsSpan(0, set.SizeBytes));
                }

                var words = new ulong[set.WordCount];
                var error = decoder!.Decode(bytes, words, out var opcode, out var member);
                if (bytes.Length < set.SizeBytes)
                {
                    Assert.Equal(DecodeError.TooShort, error);
                    Assert.Null(member);
                    Assert.False(decoder.IsValid(bytes));
                    return;
                }

                var raw = Bytes.Words(bytes.AsSpan(0, set.SizeBytes), set.WordCount);
                Assert.Equal(raw, words);
                Assert.Equal(set.ExtractOpcode(raw), opcode);
                var expected = set.Find(opcode);
                Assert.Same(expected?.Layout, member);
                Assert.Equal(expected is null ? DecodeError.UnknownOpcode : DecodeError.None, error);
                if (expected is null)
                {
                    Assert.Equal(default, decoder.Validate(bytes));
                    Assert.False(decoder.IsValid(bytes)); // an unknown entry is never valid
                    return;
                }

                // The member's own constant field holds the opcode, so the member decodes what the set dispatched.
                var discriminator = expected.Layout.Fields.Single(f => f.ConstValue is not null && f.Segments.SequenceEqual(set.Discriminator));
                Assert.Equal(opcode, discriminator.ConstValue);
                Assert.True(expected.TryDecode(bytes, new ulong[set.WordCount], out _));
                Assert.Equal(expected.Validate(raw), decoder.Validate(bytes));
                Assert.Equal(expected.Validate(raw).IsValid, decoder.IsValid(bytes));
                Assert.Equal(expected.Format(raw), decoder.Format(bytes));
            },
            iter: Iterations * 2,
            print: t => $"{Bytes.Hex(t.Item1)} pick={t.Item2} long={t.Item3}");
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void EverySetMemberIsAFormatOfTheRegistryWithItsOpcodeAsConstant(string name)
    {
        var set = Registries.Set(name);
        var inSet = Registries.Formats.Where(f => f.Layout.Vendor == set.Vendor && f.Layout.Set == set.Name).Select(f => f.FullName).Order(StringComparer.Ordinal);
        Assert.Equal(inSet, set.Members.Select(m => m.Format.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(set.Members.Length, set.Members.Select(m => m.Opcode).Distinct().Count());
        foreach (var m in set.Members)
        {
            Assert.Equal(set.Bits, m.Format.Layout.Bits);
            Assert.Contains(m.Format.Layout.Fields, f => f.ConstValue == m.Opcode && f.Segments.SequenceEqual(set.Discriminator));
            Assert.Same(m.Format, set.Find(m.Opcode));
        }
    }

    private static bool IsAnySet(ulong[] words, BitSegment s) => s.Extract(words) != 0;
}
