using System;
using HwSpecGen.Cli.Output;

namespace HwSpecGen.Cli.Tests;

/// <summary><c>hwspec diff FORMAT HEX HEX</c>.</summary>
public sealed class DiffTests
{
    private const string Dte1 = "03d8e3f201000060 0100000000000000 1300e4f201000020 0000000000000000";
    private const string Dte2 = "03d8e3f20100d064 0200b4b401000000 0000000000000000 0000000000000000";

    [Fact]
    public void TheFieldsThatDifferAreListedMostSignificantFirst()
    {
        var (code, stdout, stderr) = CliRunner.Run("diff", "amd-vi/DeviceTableEntry", Dte1, Dte2);
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stderr);
        Assert.StartsWith("amd-vi/DeviceTableEntry: 10 fields differ\n", stdout, StringComparison.Ordinal);
        var domain = stdout.IndexOf("DomainId      0x1          0x2", StringComparison.Ordinal);
        var gcr3 = stdout.IndexOf("Gcr3Root      0x0          0x5A5A1000", StringComparison.Ordinal);
        var intCtl = stdout.IndexOf("IntCtl        Remap (0x2)  TargetAbort (0x0)", StringComparison.Ordinal);
        Assert.True(intCtl > 0 && gcr3 > intCtl && domain > gcr3, stdout);
        Assert.DoesNotContain("HostPageTableRoot", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void IdenticalEncodingsExitZero()
    {
        var (code, stdout, _) = CliRunner.Run("diff", "amd-vi/DeviceTableEntry", Dte1, Dte1);
        Assert.Equal(0, code);
        Assert.Equal("amd-vi/DeviceTableEntry: identical\n", stdout);
    }

    [Fact]
    public void ReservedBitsThatDifferAreShownWithTheirRuleAndTheViolation()
    {
        // bit 63 of the DTE is reserved (must be zero)
        var b = "03d8e3f2010000e0 0100000000000000 1300e4f201000020 0000000000000000";
        var (code, stdout, _) = CliRunner.Run("diff", "amd-vi/DeviceTableEntry", Dte1, b);
        Assert.Equal(1, code);
        Assert.Contains("0 fields differ, 1 reserved range differs", stdout, StringComparison.Ordinal);
        Assert.Contains("63    (reserved, must be zero)  0x0  0x1", stdout, StringComparison.Ordinal);
        Assert.Contains("violations: A none | B reserved bit 63 is set (must be zero)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ACommandSetComparesByOpcodeAndTheBytesMayComeAsFourWords()
    {
        var (code, stdout, _) = CliRunner.Run("diff", "amd-vi/Command", "0000000001000030", "01f0ffffffffff7f", "0000000001000030", "03f0ffffffffff7f");
        Assert.Equal(1, code);
        Assert.Equal("amd-vi/InvalidateIommuPages: 1 field differs\n  bits  field  A  B\n  65    Pde    0  1\n", stdout);

        (code, stdout, _) = CliRunner.Run("diff", "amd-vi/Command", "0000000001000030 01f0ffffffffff7f", "a000000000000020 0000000000000000");
        Assert.Equal(1, code);
        Assert.StartsWith("different formats: A is amd-vi/InvalidateIommuPages (amd-vi/Command opcode 0x3), B is amd-vi/InvalidateDevtabEntry", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ReservedRangesWiderThanAWordReportTheBitsThatDiffer()
    {
        var layout = FormatLookup.FindFormat("intel-vtd/PasidTableEntry");
        var a = new byte[64];
        var b = new byte[64];
        b[40] = 0x81; // bits 327 and 320, inside the reserved 511:192
        var diff = FormatDiff.Compare(DecodedValue.Decode(layout, a), DecodedValue.Decode(layout, b));
        var d = Assert.Single(diff.Differences);
        Assert.True(d.IsReserved);
        Assert.Equal("511:192", d.Bits);
        Assert.Equal("bits 327=0,320=0", d.A);
        Assert.Equal("bits 327=1,320=1", d.B);
    }

    [Theory]
    [InlineData("diff", "amd-vi/Command", "0000000001000030 01f0ffffffffff7f")]
    [InlineData("diff", "amd-vi/Command", "00", "01")]
    [InlineData("diff", "amd-vi/Nope", "00", "01")]
    [InlineData("diff", "amd-vi/DeviceTableEntry", "zz", "00")]
    public void WrongInputIsOneLineOnStderrAndExitCode2(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }
}
