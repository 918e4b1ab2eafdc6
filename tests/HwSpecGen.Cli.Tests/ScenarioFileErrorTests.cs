using System;

namespace HwSpecGen.Cli.Tests;

/// <summary>Every kind of bad scenario file gets <c>file(line,col): error HSCxxxx</c> on stderr and exit 2 — never an exception, never a run.</summary>
public sealed class ScenarioFileErrorTests
{
    private const string Good =
        "name: t\n" +
        "vendor: amd-vi\n" +
        "vms:\n" +
        "  - name: A\n" +
        "    ram: 16M\n" +
        "    devices:\n" +
        "      - { name: nic, id: 0x100, virtual-id: 8 }\n" +
        "    page-tables: [t1]\n" +
        "steps:\n" +
        "  - map: { table: A/t1, iova: 0x40000000, gpa: 0x100000 }\n" +
        "  - attach: { device: A/nic, table: A/t1, domain-id: 1 }\n" +
        "  - dma: { device: A/nic, iova: 0x40000000, access: read }\n" +
        "    expect: { reaches-gpa: 0x100000 }\n" +
        "  - commands:\n" +
        "      vm: A\n" +
        "      submit:\n" +
        "        - { format: InvalidateIommuPages, fields: { DomainId: 1, Address: 0x40000000 } }\n" +
        "    expect: { completes: true }\n";

    [Fact]
    public void TheBaseFileIsGood()
    {
        using var dir = new TempDir();
        var (code, output, error) = CliRunner.Run("simulate", dir.Write("good.yaml", Good));
        Assert.True(code == 0, output + error);
    }

    [Theory]
    [InlineData("unknown key", "    ram: 16M\n", "    ram: 16M\n    colour: red\n", "colour", "HSC0002")]
    [InlineData("unknown key in a step", "    expect: { completes: true }\n", "    expect: { completes: true }\n    nots: typo\n", "nots", "HSC0002")]
    [InlineData("unknown expectation", "{ reaches-gpa: 0x100000 }", "{ reaches-gpu: 0x100000 }", "reaches-gpu", "HSC0002")]
    [InlineData("missing required key", "vendor: amd-vi\n", "", "name: t", "HSC0003")]
    [InlineData("wrong type", "ram: 16M", "ram: lots", "lots", "HSC0004")]
    [InlineData("a list where a mapping belongs", "map: { table: A/t1, iova: 0x40000000, gpa: 0x100000 }", "map: [ A/t1, 0x40000000, 0x100000 ]", "[ A/t1", "HSC0004")]
    [InlineData("unknown vendor", "vendor: amd-vi", "vendor: amd-v1", "amd-v1", "HSC0005")]
    [InlineData("duplicate key", "    ram: 16M\n", "    ram: 16M\n    ram: 32M\n", "ram: 32M", "HSC0006")]
    [InlineData("duplicate physical ID", "      - { name: nic, id: 0x100, virtual-id: 8 }\n", "      - { name: nic, id: 0x100, virtual-id: 8 }\n      - { name: gpu, id: 0x100, virtual-id: 16 }\n", "0x100, virtual-id: 16", "HSC0006")]
    [InlineData("dangling VM reference", "      vm: A\n", "      vm: C\n", "C\n", "HSC0007")]
    [InlineData("dangling device reference", "device: A/nic, iova", "device: A/gpu, iova", "A/gpu", "HSC0007")]
    [InlineData("dangling table reference", "table: A/t1, iova", "table: A/t2, iova", "A/t2", "HSC0007")]
    [InlineData("unknown format", "format: InvalidateIommuPages", "format: InvalidateIommuPage", "InvalidateIommuPage", "HSC0008")]
    [InlineData("an event is no command", "format: InvalidateIommuPages", "format: IoPageFaultEvent", "IoPageFaultEvent", "HSC0008")]
    [InlineData("unknown field", "DomainId: 1,", "DomainID: 1,", "DomainID", "HSC0009")]
    [InlineData("value too wide for the field", "DomainId: 1,", "DomainId: 0x10000,", "0x10000,", "HSC0010")]
    [InlineData("address with low bits set", "Address: 0x40000000 }", "Address: 0x40000800 }", "0x40000800", "HSC0010")]
    [InlineData("expectation the step cannot produce", "    expect: { completes: true }\n", "    expect: { source: atc }\n", "source", "HSC0011")]
    [InlineData("misaligned mapping", "gpa: 0x100000 }", "gpa: 0x100800 }", "0x100800", "HSC0012")]
    [InlineData("mapping into the guest kernel's tables", "gpa: 0x100000 }", "gpa: 0xC00000 }", "0xC00000", "HSC0012")]
    [InlineData("raw command of the wrong length", "{ format: InvalidateIommuPages, fields: { DomainId: 1, Address: 0x40000000 } }", "{ raw: \"0000\" }", "\"0000\"", "HSC0013")]
    [InlineData("malformed YAML: bad indentation", "    ram: 16M\n", "    ram: 16M\n   bad: x\n", "bad: x", "HSC0001")]
    [InlineData("malformed YAML: unclosed flow list", "    page-tables: [t1]\n", "    page-tables: [t1\n", "[t1\nsteps:", "HSC0001")]
    [InlineData("malformed YAML: unclosed quote", "name: t\n", "name: \"t\n", "\"t", "HSC0001")]
    public void ABadFileNamesFileLineAndColumn(string what, string find, string replace, string marker, string code)
    {
        var yaml = Good.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Good, yaml);
        var at = marker == "name: t" ? 0 : yaml.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{what}: marker '{marker}' not in the file");
        var line = 1 + yaml[..at].Split('\n').Length - 1;
        var column = at - (yaml.LastIndexOf('\n', Math.Max(at - 1, 0)) + 1) + 1;
        if (at == 0)
        {
            column = 1;
        }

        using var dir = new TempDir();
        var path = dir.Write("bad.yaml", yaml);
        var (exit, output, error) = CliRunner.Run("simulate", path);
        Assert.Equal(2, exit);
        Assert.True(error.Contains($"{path}({line},{column}): error {code}: ", StringComparison.Ordinal), $"{what}: expected ({line},{column}) {code}, got {error}");
        Assert.DoesNotContain("running", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFileIsMissingEverything()
    {
        using var dir = new TempDir();
        var path = dir.Write("empty.yaml", "# nothing here\n");
        var (exit, _, error) = CliRunner.Run("simulate", path);
        Assert.Equal(2, exit);
        Assert.Contains($"{path}(1,1): error HSC0003: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorOfAFileIsReported()
    {
        var yaml = Good.Replace("ram: 16M", "ram: lots", StringComparison.Ordinal).Replace("DomainId: 1,", "DomainID: 1,", StringComparison.Ordinal);
        using var dir = new TempDir();
        var path = dir.Write("two.yaml", yaml);
        var (exit, _, error) = CliRunner.Run("simulate", path);
        Assert.Equal(2, exit);
        Assert.Contains("error HSC0004", error, StringComparison.Ordinal);
        Assert.Contains("error HSC0009", error, StringComparison.Ordinal);
    }
}
