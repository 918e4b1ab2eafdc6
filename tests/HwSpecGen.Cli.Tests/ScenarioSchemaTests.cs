using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace HwSpecGen.Cli.Tests;

/// <summary>scenarios/schema/scenario.schema.json: every shipped scenario validates and references it; broken ones fail it.</summary>
public sealed class ScenarioSchemaTests
{
    private const string SchemaComment = "# yaml-language-server: $schema=schema/scenario.schema.json";
    private static readonly SchemaSubset Schema = SchemaSubset.Parse(File.ReadAllText(RepoPaths.ScenarioSchema));

    public static TheoryData<string> ScenarioFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(RepoPaths.Scenarios, "*.yaml").OrderBy(f => f, System.StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Fact]
    public void TheSchemaIsDraft202012LikeTheSpecSchema()
    {
        var json = JObject.Parse(File.ReadAllText(RepoPaths.ScenarioSchema));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)json["$schema"]);
        Assert.True(ScenarioFiles().Count >= 3, "expected the vendor scenarios under scenarios/");
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void EveryScenarioValidatesAgainstTheSchema(string file)
    {
        var json = YamlJson.Convert(File.ReadAllText(Path.Combine(RepoPaths.Scenarios, file)));
        Assert.True(json.IsValid(Schema, out IList<string> errors), file + ": " + string.Join("; ", errors));
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void EveryScenarioReferencesTheSchemaOnItsFirstLine(string file) =>
        Assert.Equal(SchemaComment, File.ReadLines(Path.Combine(RepoPaths.Scenarios, file)).FirstOrDefault());

    [Theory]
    [InlineData("unknown top-level key", "colour: red\n")]
    [InlineData("unknown step key", "steps:\n  - map: { table: A/t1, iova: 0x1000, gpa: 0x1000 }\n    nots: typo\n")]
    [InlineData("two step kinds", "steps:\n  - recover: { vm: A }\n    phase: x\n")]
    [InlineData("expectation the step cannot give", "steps:\n  - recover: { vm: A }\n    expect: { source: atc }\n")]
    [InlineData("string where a number belongs", "steps:\n  - dma: { device: A/nic, iova: lots, access: read }\n")]
    [InlineData("command with format and raw", "steps:\n  - commands: { vm: A, submit: [ { format: X, raw: \"00\" } ] }\n")]
    [InlineData("unknown access", "steps:\n  - dma: { device: A/nic, iova: 0x1000, access: fetch }\n")]
    public void ABrokenScenarioFailsTheSchema(string what, string extra)
    {
        var baseYaml = "name: t\nvendor: amd-vi\nvms:\n  - { name: A, ram: 16M, devices: [ { name: nic, id: 1, virtual-id: 8 } ], page-tables: [t1] }\n";
        var yaml = extra.StartsWith("steps:", System.StringComparison.Ordinal) ? baseYaml + extra : baseYaml + "steps:\n  - phase: x\n" + extra;
        Assert.False(YamlJson.Convert(yaml).IsValid(Schema), what + " passed the schema");
    }
}
