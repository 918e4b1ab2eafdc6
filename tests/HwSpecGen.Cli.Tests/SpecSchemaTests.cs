using System.Collections.Generic;
using System.IO;
using System.Linq;
using HwSpecGen.Generators.Parsing;
using Newtonsoft.Json.Linq;

namespace HwSpecGen.Cli.Tests;

/// <summary>specs/schema/hwspec.schema.json: every spec validates, every spec references it, and broken specs fail both the schema and the generator's parser.</summary>
public sealed class SpecSchemaTests
{
    private const string SchemaComment = "# yaml-language-server: $schema=../schema/hwspec.schema.json";
    private static readonly SchemaSubset Schema = SchemaSubset.Parse(File.ReadAllText(RepoPaths.Schema));

    public static TheoryData<string> SpecFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(RepoPaths.Specs, "*.yaml", SearchOption.AllDirectories)
                     .Where(f => !f.Replace('\\', '/').Contains("/schema/", System.StringComparison.Ordinal))
                     .OrderBy(f => f, System.StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.Specs, f).Replace('\\', '/'));
        }

        return data;
    }

    [Fact]
    public void TheSchemaIsDraft202012()
    {
        var json = JObject.Parse(File.ReadAllText(RepoPaths.Schema));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)json["$schema"]);
        Assert.True(SpecFiles().Count >= 20, "expected the vendor specs under specs/");
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void EverySpecValidatesAgainstTheSchema(string relative)
    {
        var json = YamlJson.Convert(File.ReadAllText(Path.Combine(RepoPaths.Specs, relative)));
        var valid = json.IsValid(Schema, out IList<string> errors);
        Assert.True(valid, relative + ": " + string.Join("; ", errors));
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void EverySpecReferencesTheSchemaOnItsFirstLine(string relative)
    {
        var first = File.ReadLines(Path.Combine(RepoPaths.Specs, relative)).FirstOrDefault();
        Assert.Equal(SchemaComment, first);
    }

    [Theory]
    [InlineData("unknown key", "vendor: acme\nformats:\n  - name: A\n    bits: 64\n    colour: red\n    fields:\n      - { name: X, bits: \"63:0\" }\n")]
    [InlineData("bit range written hi-lo", "vendor: acme\nformats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: X, bits: \"63-0\" }\n")]
    [InlineData("format without bits or extends", "vendor: acme\nformats:\n  - name: A\n    fields:\n      - { name: X, bits: \"63:0\" }\n")]
    [InlineData("width that is no format size", "vendor: acme\nformats:\n  - name: A\n    bits: 48\n    fields:\n      - { name: X, bits: \"47:0\" }\n")]
    [InlineData("unknown field kind", "vendor: acme\nformats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: X, bits: \"63:0\", kind: pointer }\n")]
    [InlineData("field with bits and segments", "vendor: acme\nformats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: X, bits: \"63:0\", segments: [\"1:0\"] }\n")]
    [InlineData("field without bits", "vendor: acme\nformats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: X }\n")]
    [InlineData("lower-case field name", "vendor: acme\nformats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: domainId, bits: \"63:0\" }\n")]
    [InlineData("upper-case vendor", "vendor: Acme\nformats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: X, bits: \"63:0\" }\n")]
    [InlineData("missing vendor", "formats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: X, bits: \"63:0\" }\n")]
    [InlineData("unknown reserved rule", "vendor: acme\nformats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: X, bits: \"31:0\" }\n    reserved:\n      - { bits: \"63:32\", rule: must-be-one }\n")]
    [InlineData("rule without require", "vendor: acme\nformats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: X, bits: \"63:0\" }\n    rules:\n      - { name: R, when: \"X\" }\n")]
    [InlineData("set without discriminator", "vendor: acme\nsets:\n  - { name: Cmd, bits: 128 }\n")]
    [InlineData("enum value that is no number", "vendor: acme\nenums:\n  - name: E\n    values:\n      - { name: A, value: one }\n")]
    [InlineData("table without index", "vendor: acme\ntables:\n  - { name: T, entry: A, id: Pasid }\n")]
    [InlineData("strict that is no boolean", "vendor: acme\nenums:\n  - name: E\n    strict: maybe\n    values:\n      - { name: A, value: 1 }\n")]
    public void ABrokenSpecFailsTheSchemaAndTheParser(string what, string yaml)
    {
        var valid = YamlJson.Convert(yaml).IsValid(Schema, out IList<string> errors);
        Assert.False(valid, what + " passed the schema");
        Assert.NotEmpty(errors);
        var parsed = SpecParser.Parse("broken.yaml", yaml);
        Assert.True(parsed.Diagnostics.Count > 0, what + " passed the parser, so the schema is stricter than the language");
    }

    [Fact]
    public void TheConsumerSamplesVariantValidatesToo()
    {
        var path = Path.Combine(RepoPaths.Root, "samples", "consumer", "specs", "acme-iommu", "device-table.yaml");
        var valid = YamlJson.Convert(File.ReadAllText(path)).IsValid(Schema, out IList<string> errors);
        Assert.True(valid, string.Join("; ", errors));
    }

    [Fact]
    public void AFieldOfKindEnumNeedsItsEnum()
    {
        const string yaml = "vendor: acme\nformats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: X, bits: \"63:0\", kind: enum }\n";
        Assert.False(YamlJson.Convert(yaml).IsValid(Schema));
    }

    [Theory]
    [InlineData("every construct", "vendor: acme\ntitle: Acme\nrevision: \"1.0\"\nsource: \"Linux acme.h\"\nenums:\n  - name: Mode\n    strict: false\n    values:\n      - { name: Off, value: 0 }\n      - { name: On, value: 0x1, doc: on }\nsets:\n  - { name: Cmd, bits: 128, discriminator: \"63:60\", unknown: ILLEGAL }\nformats:\n  - name: Go\n    bits: 128\n    set: Cmd\n    fields:\n      - { name: Opcode, bits: \"63:60\", const: 0x3 }\n      - { name: M, bits: \"1:0\", kind: enum, enum: Mode }\n      - { name: F, bits: 2, kind: flag }\n      - { name: Addr, segments: [\"59:40\", \"127:96\"], kind: address, shift: 12 }\n    reserved:\n      - { bits: [\"39:3\", \"95:64\"], rule: ignored }\n    rules:\n      - { name: R, when: \"F\", require: \"M == Mode.On\", error: ILLEGAL }\ntables:\n  - { name: T, entry: Go, id: Pasid, index: \"19:6\" }\n")]
    [InlineData("a variant without bits", "vendor: acme\nformats:\n  - name: Base\n    bits: 64\n    fields:\n      - { name: X, bits: \"31:0\" }\n    reserved:\n      - { bits: \"63:32\" }\n  - name: Rev2\n    extends: Base\n    fields:\n      - { name: Y, bits: \"40:32\" }\n    remove: [X]\n")]
    [InlineData("a vendor variant", "vendor: acme-rev2\nextends: acme\nformats: []\n")]
    public void AValidSpecPassesTheSchema(string what, string yaml)
    {
        var valid = YamlJson.Convert(yaml).IsValid(Schema, out IList<string> errors);
        Assert.True(valid, what + ": " + string.Join("; ", errors));
    }
}
