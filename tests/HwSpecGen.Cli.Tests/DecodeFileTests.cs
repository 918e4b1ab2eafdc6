using System;
using System.IO;
using System.Linq;
using HwSpecGen.Cli.Input;

namespace HwSpecGen.Cli.Tests;

/// <summary><c>hwspec decode FORMAT --file</c>: binary files and every hexdump format give the same bytes and the same entries.</summary>
public sealed class DecodeFileTests
{
    private static readonly byte[] Binary = File.ReadAllBytes(TestData.Path("hexdump", "amd-commands.bin"));

    [Theory]
    [InlineData("amd-commands.xxd", "xxd")]
    [InlineData("amd-commands.xxd-a-g8", "xxd")]
    [InlineData("amd-commands.xxd-p", "hex")]
    [InlineData("amd-commands.hexdump-C", "hexdump -C")]
    [InlineData("amd-commands.hexdump", "od/hexdump")]
    [InlineData("amd-commands.od", "od/hexdump")]
    [InlineData("amd-commands.od-x1z", "od/hexdump")]
    [InlineData("amd-commands.od-x8", "od/hexdump")]
    public void EveryHexdumpFormatGivesTheBinaryFilesBytes(string file, string kind)
    {
        var bytes = HexDumpReader.Read(File.ReadAllBytes(TestData.Path("hexdump", file)), forceBinary: false, out var how);
        Assert.Equal(kind, how);
        Assert.Equal(Binary, bytes);
    }

    [Fact]
    public void ABinaryFileIsReadAsIs()
    {
        var bytes = HexDumpReader.Read(Binary, forceBinary: false, out var how);
        Assert.Equal("binary", how);
        Assert.Same(Binary, bytes);
    }

    [Fact]
    public void EveryEntryIsDecodedByOpcodeAndEmptySlotsAreFolded()
    {
        var (code, stdout, stderr) = CliRunner.Run("decode", "amd-vi/Command", "--file", TestData.Path("hexdump", "amd-commands.hexdump-C"));
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("160 bytes (hexdump -C), 10 entries of 16 bytes", stdout, StringComparison.Ordinal);
        string[] expected = ["InvalidateDevtabEntry", "CompletionWait", "InvalidateIommuPages", "CompletionWait", "InvalidateIotlbPages", "CompletionWait"];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Contains($"[{i}] @0x{i * 16:x4}\n    amd-vi/{expected[i]} (128 bits)", stdout, StringComparison.Ordinal);
        }

        Assert.Contains("[6] @0x0060 .. [9] @0x0090  empty (all zero), 4 entries", stdout, StringComparison.Ordinal);
        Assert.Contains("10 entries: 6 decoded, 4 empty, 0 not decodable, 0 with violations", stdout, StringComparison.Ordinal);

        // the INVALIDATE_IOMMU_PAGES entry: domain 1, S=1, PDE=1, all addresses
        Assert.Contains("DomainId  0x1", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AFormatFileSplitsIntoEntriesOfThatFormat()
    {
        var (code, stdout, _) = CliRunner.Run("decode", "amd-vi/CompletionWait", "--file", TestData.Path("hexdump", "amd-commands.bin"), "--all", "--json");
        Assert.Equal(1, code); // entries of other opcodes do not hold CompletionWait's constant
        var json = System.Text.Json.JsonDocument.Parse(stdout).RootElement;
        var entries = json.GetProperty("blocks")[0].GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(10, entries.Count);
        Assert.Equal("ConstantMismatch", entries[0].GetProperty("decoded").GetProperty("error").GetString());
        Assert.Equal("None", entries[1].GetProperty("decoded").GetProperty("error").GetString());
        Assert.Equal("0x1F3C2A008", entries[1].GetProperty("decoded").GetProperty("fields").GetProperty("StoreAddress").GetProperty("value").GetString());
    }

    [Fact]
    public void TrailingBytesThatMakeNoWholeEntryAreReported()
    {
        var path = Path.Combine(Path.GetTempPath(), "hwspec-" + Guid.NewGuid().ToString("N") + ".bin");
        try
        {
            File.WriteAllBytes(path, [.. Binary[..32], 0x01, 0x02, 0x03]);
            var (code, stdout, _) = CliRunner.Run("decode", "amd-vi/Command", "--file", path);
            Assert.Equal(0, code);
            Assert.Contains("35 bytes (binary), 2 entries of 16 bytes", stdout, StringComparison.Ordinal);
            Assert.Contains("the last 3 byte(s) do not make a whole entry and are not decoded", stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("00000000  30 00 00 01 00 00 00 00  ff ff ff ff ff ff f0 01  |0...............|\n00000020  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n00000030\n", "offset 0x20 does not follow the 16 (0x10) bytes")]
    [InlineData("this is not a hexdump\n", "not a hexdump this reads")]
    [InlineData("00000000  30 00 00 01 00 00 00 00  ff ff ff ff ff ff f0 01  |0...............|\n*\n", "ends with '*'")]
    public void ABrokenHexdumpIsAUsageError(string text, string message)
    {
        var ex = Assert.Throws<UsageException>(() => HexDumpReader.ParseText(text, out _));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("decode", "amd-vi/Command", "--file", "/no/such/file")]
    [InlineData("decode", "amd-vi/Command", "--file", "x", "0011")]
    [InlineData("decode", "amd-vi/Nope", "--file", "x")]
    [InlineData("decode")]
    [InlineData("decode", "amd-vi/Command")]
    public void WrongInputIsOneLineOnStderrAndExitCode2(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }
}
