using System;
using System.Linq;

namespace HwSpecGen.Cli.Tests;

/// <summary>The foundation commands: formats, layout, decode, encode, validate — output and exit codes (0 ok, 1 invalid entry, 2 usage).</summary>
public sealed class CoreCommandTests
{
    [Fact]
    public void FormatsListsEveryVendorOneALine()
    {
        var (code, output, _) = CliRunner.Run("formats");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("amd-vi/InvalidateIommuPages", lines);
        Assert.Contains(lines, l => l.StartsWith("intel-vtd/", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("arm-smmuv3/", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches("^[a-z0-9-]+/[A-Za-z0-9_]+$", l));
    }

    [Fact]
    public void EncodeThenDecodeByCommandSetRoundTrips()
    {
        var (code, hex, err) = CliRunner.Run("encode", "example/DemoInvalidate", "DomainId=0x8001", "Size=true", "Address=0x200000");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, err);
        Assert.Equal("0000000001800030 0100200000000000", hex.Trim());
        var (dcode, text, _) = CliRunner.Run("decode", "example/DemoCommand", hex.Trim());
        Assert.Equal(0, dcode);
        Assert.Contains("DomainId  0x8001", text, StringComparison.Ordinal);
        Assert.Contains("no violations", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeReportsEveryReservedBitSet()
    {
        // bit 20 (reserved 31:20) and bits 66:65 (reserved 67:65) set
        var (code, text, _) = CliRunner.Run("decode", "example/DemoInvalidate", "0000100001800030", "0600000000000000");
        Assert.Equal(0, code);
        Assert.Contains("reserved bit 20 is set", text, StringComparison.Ordinal);
        Assert.Contains("reserved bits 66:65 are set", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeJsonHasFieldsAndViolations()
    {
        var (code, json, _) = CliRunner.Run("decode", "example/DemoWait", "0100000000000010", "0000000000000000", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("0x1", doc.RootElement.GetProperty("fields").GetProperty("Store").GetProperty("value").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("violations").GetArrayLength());
    }

    [Fact]
    public void LayoutJsonListsSegmentsLeastSignificantFirst()
    {
        var (code, json, _) = CliRunner.Run("layout", "example/DemoEntry", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "GuestRoot");
        var segs = root.GetProperty("segments").EnumerateArray().Select(s => (s.GetProperty("lsb").GetInt32(), s.GetProperty("width").GetInt32())).ToArray();
        Assert.Equal([(58, 3), (80, 16), (107, 21)], segs);
    }

    [Theory]
    [InlineData(2, "decode", "example/NoSuchFormat", "00")]
    [InlineData(2, "decode", "example/DemoWait", "123")]
    [InlineData(2, "encode", "example/DemoInvalidate", "DomainId=0x10000")]
    [InlineData(2, "encode", "example/DemoInvalidate", "Address=0x800")]
    [InlineData(2, "encode", "example/DemoInvalidate", "Nope=1")]
    [InlineData(2, "decode", "example/DemoWait", "00")]
    [InlineData(1, "decode", "example/DemoCommand", "00000000000000f0", "0000000000000000")]
    public void WrongInputGetsOneLineAndTheRightExitCode(int expected, params string[] args)
    {
        var (code, _, err) = CliRunner.Run(args);
        Assert.Equal(expected, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("hwspec: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateReportsFileLineAndColumn()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"hwspec-bad-{Guid.NewGuid():N}.yaml");
        System.IO.File.WriteAllText(path, "vendor: t\nformats:\n  - name: A\n    bits: 64\n    fields:\n      - { name: F, bits: \"70:0\" }\n");
        try
        {
            var (code, output, _) = CliRunner.Run("validate", path);
            Assert.Equal(1, code);
            Assert.Contains($"{path}(6,26): error HSG0006:", output, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
