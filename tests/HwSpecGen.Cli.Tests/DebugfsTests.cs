using System;
using System.Linq;
using HwSpecGen.Cli.Input;

namespace HwSpecGen.Cli.Tests;

/// <summary>
/// <c>hwspec decode --debugfs</c> on dumps written in the exact seq_printf formats of Linux drivers/iommu/intel/debugfs.c
/// and drivers/iommu/amd/debugfs.c (Data/debugfs/*.txt).
/// </summary>
public sealed class DebugfsTests
{
    [Fact]
    public void TheScalableModeInvalidationQueueIsDecodedWithHeadTailAndStatus()
    {
        var blocks = IntelQiDump.Parse(TestData.Text("debugfs", "intel-invalidation-queue-sm.txt"));
        var block = Assert.Single(blocks);
        Assert.Equal("Invalidation queue on IOMMU dmar0", block.Title);
        Assert.Equal(256, block.Entries.Length);
        Assert.All(block.Entries, e => Assert.Equal("intel-vtd/QiDescriptor256", e.Format));
        Assert.All(block.Entries, e => Assert.Equal(32, e.Bytes.Length));
        Assert.Contains("base 0x10a7e6000, head 6, tail 8", block.Notes);
        Assert.Contains("2 descriptor(s) submitted and not yet fetched by the hardware", block.Notes);
        Assert.StartsWith("HEAD", block.Entries[6].Annotation, StringComparison.Ordinal);
        Assert.Contains("status QI_IN_USE", block.Entries[6].Annotation, StringComparison.Ordinal);
        Assert.Contains("pending", block.Entries[7].Annotation, StringComparison.Ordinal);
        Assert.StartsWith("TAIL", block.Entries[8].Annotation, StringComparison.Ordinal);
        Assert.Equal("status QI_DONE", block.Entries[4].Annotation);
        Assert.Null(block.Entries[0].Annotation);

        var (code, stdout, stderr) = CliRunner.Run("decode", "--debugfs", "intel-qi", TestData.Path("debugfs", "intel-invalidation-queue-sm.txt"));
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("[0]\n    intel-vtd/IotlbInvalidate256 (256 bits) — intel-vtd/QiDescriptor256 opcode 0x2", stdout, StringComparison.Ordinal);
        Assert.Contains("[6]  ← HEAD (next slot the hardware fetches); pending: submitted, not yet fetched; status QI_IN_USE\n    intel-vtd/PasidDeviceTlbInvalidate256", stdout, StringComparison.Ordinal);
        Assert.Contains("127:66  StatusAddress  0x10A7E501C", stdout, StringComparison.Ordinal);
        Assert.Contains("[8]  ← TAIL (next slot the driver writes); status QI_FREE", stdout, StringComparison.Ordinal);
        Assert.Contains("[9] .. [255]  empty (all zero), 247 entries", stdout, StringComparison.Ordinal);
        Assert.Contains("256 entries: 8 decoded, 248 empty, 0 not decodable, 0 with violations", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLegacyQueueOfTwoIommusShowsTheUnknownDescriptorAndTheReservedBit()
    {
        var blocks = IntelQiDump.Parse(TestData.Text("debugfs", "intel-invalidation-queue-legacy.txt"));
        Assert.Equal(["Invalidation queue on IOMMU dmar0", "Invalidation queue on IOMMU dmar1"], blocks.Select(b => b.Title));
        Assert.All(blocks.SelectMany(b => b.Entries), e => Assert.Equal("intel-vtd/QiDescriptor", e.Format));
        Assert.Contains("head == tail: the hardware has fetched every submitted descriptor", blocks[0].Notes);
        Assert.StartsWith("HEAD (next slot the hardware fetches); TAIL", blocks[0].Entries[4].Annotation, StringComparison.Ordinal);

        var (code, stdout, _) = CliRunner.Run("decode", "--debugfs", "intel-qi", TestData.Path("debugfs", "intel-invalidation-queue-legacy.txt"));
        Assert.Equal(1, code);
        Assert.Contains("error: intel-vtd/QiDescriptor: unknown opcode 0xF → hardware raises IQE", stdout, StringComparison.Ordinal);
        Assert.Contains("violation: reserved bit 63 is set (must be zero)", stdout, StringComparison.Ordinal);
        Assert.Contains("512 entries: 6 decoded, 505 empty, 1 not decodable, 1 with violations", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTranslationStructuresAreDecodedOncePerBusAndDevice()
    {
        var blocks = IntelTranslationDump.Parse(TestData.Text("debugfs", "intel-dmar-translation-sm.txt"));
        Assert.Equal(2, blocks.Length);
        Assert.Equal("IOMMU dmar0: root table at 0x10b0e0000", blocks[0].Title);
        Assert.Equal(
            ["00:02.0 root entry (bus 00)", "00:02.0 context entry", "00:02.0 PASID 0 table entry", "03:00.0 root entry (bus 03)", "03:00.0 context entry", "03:00.0 PASID 0 table entry", "03:00.0 PASID 5 table entry"],
            blocks[0].Entries.Select(e => e.Label));
        Assert.Equal("DMA remapping is not enabled on this IOMMU", Assert.Single(blocks[1].Notes));
        Assert.Equal(64, blocks[0].Entries[2].Bytes.Length);

        var (code, stdout, _) = CliRunner.Run("decode", "--debugfs", "intel-dmar-translation", TestData.Path("debugfs", "intel-dmar-translation-sm.txt"));
        Assert.Equal(0, code);
        Assert.Contains("63:12  Lctp  0x10B0F1000", stdout, StringComparison.Ordinal);
        Assert.Contains("63:12  Pasiddirptr  0x10B0F2000", stdout, StringComparison.Ordinal);
        Assert.Contains("8:6  Pgtt     Nested (0x3)", stdout, StringComparison.Ordinal);
        Assert.Contains("191:140  Fsptptr  0x2A5000", stdout, StringComparison.Ordinal);
        Assert.Contains("7 entries: 7 decoded, 0 empty, 0 not decodable, 0 with violations", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ALegacyModeTranslationDumpShowsTheContextEntryRaw()
    {
        var (code, stdout, _) = CliRunner.Run("decode", "--debugfs", "intel-dmar-translation", TestData.Path("debugfs", "intel-dmar-translation-legacy.txt"));
        Assert.Equal(0, code);
        Assert.Contains("00:02.0 context entry  ← legacy-mode context entry (not a modelled format): raw words\n    raw 01302d1c01000000 0202000000000000", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("PASID", stdout.Replace("PASID entry", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void TheAmdCommandBufferIsDecodedWithHeadAndTail()
    {
        var block = Assert.Single(AmdCmdBufDump.Parse(TestData.Text("debugfs", "amd-cmdbuf.txt")));
        Assert.Equal(512, block.Entries.Length);
        Assert.Equal("[4] @0x0040", block.Entries[4].Label);
        Assert.Equal("HEAD (next command the IOMMU fetches); pending: queued, not yet fetched", block.Entries[4].Annotation);
        Assert.Equal("pending: queued, not yet fetched", block.Entries[5].Annotation);
        Assert.Equal("TAIL (next slot the driver writes)", block.Entries[6].Annotation);
        Assert.Contains("2 command(s) queued and not yet fetched by the IOMMU", block.Notes);

        // data[0..3] are 32-bit words: the first entry is INVALIDATE_DEVTAB_ENTRY for DeviceID 0x00a0
        Assert.Equal(new byte[] { 0xa0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0 }, block.Entries[0].Bytes);

        var (code, stdout, _) = CliRunner.Run("decode", "--debugfs", "amd-cmdbuf", TestData.Path("debugfs", "amd-cmdbuf.txt"));
        Assert.Equal(0, code);
        Assert.Contains("[2] @0x0020\n    amd-vi/InvalidateIommuPages (128 bits) — amd-vi/Command opcode 0x3", stdout, StringComparison.Ordinal);
        Assert.Contains("[4] @0x0040  ← HEAD (next command the IOMMU fetches); pending: queued, not yet fetched\n    amd-vi/InvalidateIotlbPages", stdout, StringComparison.Ordinal);
        Assert.Contains("127:64  StoreData     0x3", stdout, StringComparison.Ordinal);
        Assert.Contains("512 entries: 6 decoded, 506 empty, 0 not decodable, 0 with violations", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIllegalCommandInTheAmdBufferIsReportedWithItsArchitectedError()
    {
        var (code, stdout, _) = CliRunner.Run("decode", "--debugfs", "amd-cmdbuf", TestData.Path("debugfs", "amd-cmdbuf-bad.txt"), "--json");
        Assert.Equal(1, code);
        var json = System.Text.Json.JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1, json.GetProperty("failures").GetInt32());
        var entries = json.GetProperty("blocks")[0].GetProperty("entries");
        Assert.Contains("ILLEGAL_COMMAND_ERROR", entries[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("reserved bit 48 is set (must be zero)", entries[2].GetProperty("decoded").GetProperty("violations")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheAmdDeviceTableEntriesAreDecodedPerDevice()
    {
        var block = Assert.Single(AmdDevTblDump.Parse(TestData.Text("debugfs", "amd-devtbl.txt")));
        Assert.Equal(["0000:00:14.0 (DeviceId 0x00a0) iommu0", "0000:03:00.0 (DeviceId 0x0300) iommu0", "0001:41:00.1 (DeviceId 0x4101) iommu2"], block.Entries.Select(e => e.Label));

        var (code, stdout, _) = CliRunner.Run("decode", "--debugfs", "amd-devtbl", TestData.Path("debugfs", "amd-devtbl.txt"));
        Assert.Equal(0, code);
        Assert.Contains("11:9  Mode               Level4 (0x4)", stdout, StringComparison.Ordinal);
        Assert.Contains("127:107,95:80,60:58  Gcr3Root           0x5A5A1000", stdout, StringComparison.Ordinal);
        Assert.Contains("violation: rule ModeNotReserved violated: V && Tv ⇒ Mode != 7 (ILLEGAL_DEV_TABLE_ENTRY)", stdout, StringComparison.Ordinal);
        Assert.Contains("violation: reserved bit 63 is set (must be zero)", stdout, StringComparison.Ordinal);
        Assert.Contains("3 entries: 3 decoded, 0 empty, 0 not decodable, 1 with violations", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void LinesInOtherFormatsAreCountedNotDropped()
    {
        var text = "$ sudo cat /sys/kernel/debug/iommu/amd/iommu00/cmdbuf\nCMD Buffer Head Offset:0 Tail Offset:1\n  0: 000000a0 20000000 00000000 00000000\n  1: 0000 0000\n";
        var block = Assert.Single(AmdCmdBufDump.Parse(text));
        Assert.Single(block.Entries);
        Assert.Contains(block.Notes, n => n.StartsWith("1 line(s) not in the expected format were skipped (first: line 4: 1: 0000 0000)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("intel-qi", "amd-cmdbuf.txt")]
    [InlineData("amd-cmdbuf", "intel-invalidation-queue-sm.txt")]
    [InlineData("amd-devtbl", "amd-cmdbuf.txt")]
    [InlineData("intel-dmar-translation", "amd-devtbl.txt")]
    public void TheWrongKindOfDumpIsAUsageError(string kind, string file)
    {
        var (code, stdout, stderr) = CliRunner.Run("decode", "--debugfs", kind, TestData.Path("debugfs", file));
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith($"hwspec: no {kind} entries found; expected the text of /sys/kernel/debug/iommu/", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void AnUnknownKindIsAUsageError()
    {
        var (code, _, stderr) = CliRunner.Run("decode", "--debugfs", "arm-cmdq", "x");
        Assert.Equal(2, code);
        Assert.Contains("arm-cmdq", stderr, StringComparison.Ordinal);
    }
}
