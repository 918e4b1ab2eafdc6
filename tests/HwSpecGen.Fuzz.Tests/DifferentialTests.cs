using System;
using System.Linq;
using CsCheck;
using HwSpecGen.Fuzz.Tests.Support;
using HwSpecGen.Generators.Model;
using HwSpecGen.Runtime;
using ModelKind = HwSpecGen.Generators.Model.FieldKind;
using ModelRule = HwSpecGen.Generators.Model.ReservedRule;

namespace HwSpecGen.Fuzz.Tests;

/// <summary>
/// Differential check: the YAML model, compiled again by <see cref="Generators.Resolution.SpecCompiler"/> from the
/// spec files and read bit by bit by <see cref="BitInterpreter"/>, against the generated structs (TryDecode, every
/// property getter, Validate) and the runtime's <see cref="FieldLayout.ReadValue"/>. Any difference is a generator bug.
/// Also: the generated layout metadata equals the model.
/// </summary>
public sealed class DifferentialTests
{
    private const int Iterations = 120;

    public static TheoryData<string> Formats => Registries.FormatNames;

    public static TheoryData<string> Sets => Registries.SetNames;

    [Fact]
    public void TheSpecFilesCompileCleanlyAndEveryModelIsInTheRegistry()
    {
        var models = SpecModels.All;
        Assert.True(models.FileCount > 10, $"only {models.FileCount} spec files found under {SpecModels.SpecsDir}");
        Assert.Empty(models.Diagnostics);
        Assert.Equal(models.Formats.Keys.Order(StringComparer.Ordinal), Registries.Formats.Select(f => f.FullName).Order(StringComparer.Ordinal));
        Assert.Equal(models.Sets.Keys.Order(StringComparer.Ordinal), Registries.Sets.Select(s => s.FullName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void GeneratedDecoderAgreesWithTheBitInterpreter(string name)
    {
        var format = Registries.Format(name);
        var layout = format.Layout;
        var (model, vendor) = SpecModels.All.Formats[name];
        var enums = SpecModels.All.Enums[vendor];
        var generated = GeneratedStruct.Of(format);
        var gen = Gen.Frequency((1, EntryGen.AnyLength(layout.SizeBytes)), (4, EntryGen.Entry(layout)));
        gen.Sample(
            bytes =>
            {
                var expected = BitInterpreter.Read(model, enums, bytes);
                var actual = generated.Decode(bytes);
                if (expected.TooShort)
                {
                    Assert.Equal(DecodeError.TooShort, actual.Error);
                    return;
                }

                Assert.Equal(expected.ConstantWrong.Count == 0 ? DecodeError.None : DecodeError.ConstantMismatch, actual.Error);
                var words = Bytes.Words(bytes.AsSpan(0, layout.SizeBytes), layout.WordCount);
                for (var i = 0; i < model.Fields.Count; i++)
                {
                    var field = model.Fields[i].Name;
                    Assert.True(expected.Values[i] == actual.Values[i], $"{name}.{field}: generated property 0x{actual.Values[i]:X}, YAML model 0x{expected.Values[i]:X}");
                    Assert.True(expected.Values[i] == layout.Fields[i].ReadValue(words), $"{name}.{field}: FieldLayout.ReadValue 0x{layout.Fields[i].ReadValue(words):X}, YAML model 0x{expected.Values[i]:X}");
                    Assert.True(expected.Raw[i] == layout.Fields[i].ExtractRaw(words), $"{name}.{field}: FieldLayout.ExtractRaw differs");
                }

                var reservedBits = Enumerable.Range(0, layout.Bits).Where(n => ((actual.Violations.ReservedBitsSet(n / 64) >> (n % 64)) & 1) != 0);
                Assert.Equal(expected.MustBeZeroSet, reservedBits);
                Assert.Equal(Mask(expected.ConstantWrong), actual.Violations.ConstantFields);
                Assert.Equal(Mask(expected.EnumUnnamed), actual.Violations.EnumFields);
                Assert.True(expected.RulesViolated == actual.Violations.Rules, $"{name}: generated rules 0x{actual.Violations.Rules:X}, YAML model 0x{expected.RulesViolated:X}");
            },
            iter: Iterations,
            print: Bytes.Hex);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void GeneratedEncodersRebuildWhatTheInterpreterRead(string name)
    {
        // Create() + WithX(value) for every field the bit interpreter read gives the entry back, minus its reserved bits.
        var format = Registries.Format(name);
        var layout = format.Layout;
        var (model, vendor) = SpecModels.All.Formats[name];
        var enums = SpecModels.All.Enums[vendor];
        var generated = GeneratedStruct.Of(format);
        EntryGen.Entry(layout).Sample(
            bytes =>
            {
                EntryGen.ForceConstants(layout, bytes);
                var read = BitInterpreter.Read(model, enums, bytes);
                var rebuilt = generated.Encode(layout, read.Values);
                var words = Bytes.Words(bytes.AsSpan(0, layout.SizeBytes), layout.WordCount);
                for (var w = 0; w < layout.WordCount; w++)
                {
                    Assert.True((words[w] & layout.FieldMask(w)) == rebuilt[w], $"{name} word {w}: encoders wrote 0x{rebuilt[w]:X16}, the fields are 0x{words[w] & layout.FieldMask(w):X16}");
                }
            },
            iter: Iterations / 2,
            print: Bytes.Hex);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void GeneratedLayoutMetadataEqualsTheYamlModel(string name)
    {
        var layout = Registries.Format(name).Layout;
        var (model, vendor) = SpecModels.All.Formats[name];
        Assert.Equal(vendor, layout.Vendor);
        Assert.Equal(model.Bits, layout.Bits);
        Assert.Equal(model.Set, layout.Set);
        Assert.Equal(model.Doc, layout.Doc);
        Assert.Equal(model.Source, layout.Source);
        Assert.Equal(model.Fields.Select(f => f.Name), layout.Fields.Select(f => f.Name));
        for (var i = 0; i < model.Fields.Count; i++)
        {
            var m = model.Fields[i];
            var f = layout.Fields[i];
            Assert.Equal(m.Segments.Select(Segment), f.Segments);
            Assert.Equal(Kind(m.Kind), f.Kind);
            Assert.Equal(m.Shift, f.Shift);
            Assert.Equal(m.Const, f.ConstValue);
            Assert.Equal(m.Enum, f.EnumName);
            Assert.Equal(m.Width, f.Width);
            Assert.Equal(m.Doc, f.Doc);
            Assert.Equal(m.Source, f.Source);
            if (m.Enum is not null)
            {
                var e = model.Enums.Single(x => x.Name == m.Enum);
                Assert.Equal(e.Strict, f.EnumStrict);
                Assert.Equal(e.Values.Select(v => (v.Name, v.Value, v.Doc, v.Source)), f.EnumMembers.Select(v => (v.Name, v.Value, v.Doc, v.Source)));
            }
            else
            {
                Assert.Empty(f.EnumMembers);
            }
        }

        Assert.Equal(
            model.Reserved.Select(r => (Segment(r.Range), r.Rule == ModelRule.MustBeZero ? Runtime.ReservedRule.MustBeZero : Runtime.ReservedRule.Ignored, r.Doc)),
            layout.Reserved.Select(r => (r.Segment, r.Rule, r.Doc)));
        Assert.Equal(model.Rules.Select(r => (r.Name, r.When, r.Require, r.Error, r.Doc)), layout.Rules.Select(r => (r.Name, r.When, r.Require, r.Error, r.Doc)));

        // Every bit is claimed exactly once: by a field or by a reserved range.
        var claimed = new int[layout.Bits];
        foreach (var s in layout.Fields.SelectMany(f => f.Segments).Concat(layout.Reserved.Select(r => r.Segment)))
        {
            for (var b = s.Lsb; b <= s.Msb; b++)
            {
                claimed[b]++;
            }
        }

        Assert.All(claimed, c => Assert.Equal(1, c));
        for (var w = 0; w < layout.WordCount; w++)
        {
            Assert.Equal(0UL, layout.FieldMask(w) & layout.MustBeZeroMask(w));
        }
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void GeneratedSetMetadataEqualsTheYamlModel(string name)
    {
        var set = Registries.Set(name);
        var model = SpecModels.All.Sets[name];
        Assert.Equal(model.Bits, set.Bits);
        Assert.Equal(model.Discriminator.Select(Segment), set.Discriminator);
        Assert.Equal(model.Unknown, set.UnknownError);
        Assert.Equal(model.Doc, set.Doc);
        Assert.Equal(model.Members.Select(m => (m.Format, m.Opcode)), set.Members.Select(m => (m.Format.Layout.Name, m.Opcode)));
    }

    private static BitSegment Segment(BitRange r) => new(r.Lo, r.Hi - r.Lo + 1);

    private static Runtime.FieldKind Kind(ModelKind k) => k switch
    {
        ModelKind.Unsigned => Runtime.FieldKind.Unsigned,
        ModelKind.Flag => Runtime.FieldKind.Flag,
        ModelKind.Enum => Runtime.FieldKind.Enum,
        ModelKind.Address => Runtime.FieldKind.Address,
        ModelKind.Signed => Runtime.FieldKind.Signed,
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    private static UInt128 Mask(System.Collections.Generic.IEnumerable<int> indices) => indices.Aggregate(UInt128.Zero, (m, i) => m | (UInt128.One << i));
}
