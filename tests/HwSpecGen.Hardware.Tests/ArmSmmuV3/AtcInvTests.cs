using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>CMD_ATC_INV against Linux arm_smmu_atc_inv_to_cmd + arm_smmu_cmdq_build_cmd and QEMU CMD_*.</summary>
public sealed class AtcInvTests
{
    // arm_smmu_atc_inv_to_cmd(ssid = 0x80000, iova = 0x1_0000_7000, size = 0x2000), then cmd.atc.sid = 0x8000_0000:
    //   page_start = 0x100007, page_end = 0x100008, log2_span = fls(0xF) = 4, page_start &= ~0xF -> 0x100000
    //   -> substream_valid = 1, atc.addr = 0x1_0000_0000, atc.size = 4
    //   cmd[0] = 0x40 | SSV (bit 11) | 0x80000 << 12 | 0x8000_0000 << 32; cmd[1] = 4 | 0x1_0000_0000
    private static readonly ulong[] LinuxAtcInvRange = { 0x8000_0000_8000_0840UL, 0x0000_0001_0000_0004UL };

    // arm_smmu_atc_inv_master: arm_smmu_atc_inv_to_cmd(IOMMU_NO_PASID, 0, 0) -> size = ATC_INV_SIZE_ALL (52), sid = ~0.
    private static readonly ulong[] LinuxAtcInvAll = { 0xFFFF_FFFF_0000_0040UL, 0x0000_0000_0000_0034UL };

    // arm_smmu_atc_inv_to_cmd(ssid = 0xFFFFF, iova = 0xFFFF_FFFF_FFFF_F000, size = 0x1000), sid = 0x12:
    //   page_start == page_end -> log2_span = 0, addr = 0xFFFF_FFFF_FFFF_F000.
    private static readonly ulong[] LinuxAtcInvLastPage = { 0x0000_0012_FFFF_F840UL, 0xFFFF_FFFF_FFFF_F000UL };

    [Fact]
    public void LinuxAtcInvDecodes()
    {
        var a = Decode<AtcInv>(FromQwords(LinuxAtcInvRange));
        Assert.True(a.Ssv);
        Assert.False(a.Global);
        Assert.Equal(0x80000UL, a.Ssid);
        Assert.Equal(0x8000_0000UL, a.Sid);
        Assert.Equal(4UL, a.Size);
        Assert.Equal(0x1_0000_0000UL, a.Address);
        Assert.True(a.Validate().IsValid);

        var b = Decode<AtcInv>(FromQwords(LinuxAtcInvAll));
        Assert.False(b.Ssv);
        Assert.Equal(0xFFFF_FFFFUL, b.Sid);
        Assert.Equal(AtcInv.SizeAll, b.Size);
        Assert.Equal(0UL, b.Address);
        Assert.True(b.Validate().IsValid);

        var c = Decode<AtcInv>(FromQwords(LinuxAtcInvLastPage));
        Assert.Equal(0xFFFFFUL, c.Ssid);
        Assert.Equal(0UL, c.Size);
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL, c.Address);
    }

    [Fact]
    public void ForRangeReproducesLinuxAtcInvToCmd()
    {
        Assert.Equal(FromQwords(LinuxAtcInvRange), AtcInv.ForRange(0x8000_0000, 0x80000, 0x1_0000_7000, 0x2000).ToBytes());
        Assert.Equal(FromQwords(LinuxAtcInvAll), AtcInv.ForRange(0xFFFF_FFFF, 0, 0, 0).ToBytes());
        Assert.Equal(FromQwords(LinuxAtcInvLastPage), AtcInv.ForRange(0x12, 0xFFFFF, 0xFFFF_FFFF_FFFF_F000, 0x1000).ToBytes());

        // The comment's other example: pages [7; 10] -> fls(0b1101) = 4 -> [0; 15].
        var cmd = AtcInv.ForRange(1, 0, 7 * 0x1000UL, 4 * 0x1000UL);
        Assert.Equal(4UL, cmd.Size);
        Assert.Equal(0UL, cmd.Address);
        Assert.False(cmd.Ssv);
    }

    [Fact]
    public void CoveredRangeIsTheAlignedSpan()
    {
        var a = Decode<AtcInv>(FromQwords(LinuxAtcInvRange)).CoveredRange;
        Assert.Equal(new TlbiSpan(0x1_0000_0000, 16, 12), a);
        Assert.True(a.Contains(0x1_0000_7000) && a.Contains(0x1_0000_8FFF));
        Assert.False(a.Contains(0x1_0001_0000));

        var all = Decode<AtcInv>(FromQwords(LinuxAtcInvAll)).CoveredRange;
        Assert.Equal(0UL, all.Address);
        Assert.Equal(System.UInt128.One << 64, all.Bytes);
        Assert.Equal(ulong.MaxValue, all.Last);

        // A misaligned address is aligned down to the span.
        Assert.Equal(new TlbiSpan(0x8000, 8, 12), AtcInv.Create().WithSize(3).WithAddress(0xB000).CoveredRange);
    }

    [Fact]
    public void QemuReadsOurAtcInv()
    {
        var cmd = AtcInv.ForRange(0x8000_0000, 0xFFFFF, 0x8000_0000_0000_0000, 0x1000).WithGlobal(true);
        var w = Words(cmd.ToBytes());
        Assert.Equal(0x40U, CmdType(w));
        Assert.Equal(0x8000_0000U, CmdSid(w));
        Assert.Equal(0xFFFFFU, CmdSsid(w));
        Assert.Equal(1U, CmdSsv(w));
        Assert.Equal(0x8000_0000_0000_0000UL, CmdAddr(w));
        Assert.Equal(CmdqAtc0Global, Qwords(cmd.ToBytes())[0] & CmdqAtc0Global);
        Assert.True(cmd.Validate().IsValid);
    }

    [Fact]
    public void SizeAbove52IsIllegal()
    {
        // arm_vsmmu_validate_user_cmd (newer iommufd): Size > ATC_INV_SIZE_ALL is rejected; Size = 63 sets the
        // top bit of the 6-bit field.
        var cmd = AtcInv.Create().WithSize(63);
        Assert.Equal(63UL, FieldGet(CmdqAtc1Size, Qwords(cmd.ToBytes())[1]));
        Assert.Equal(new[] { "SizeInRange" }, ViolatedRules(cmd));
        Assert.Equal(new[] { "CERROR_ILL" }, cmd.Validate().RuleErrors(AtcInv.Layout));
        Assert.Empty(ViolatedRules(AtcInv.Create().WithSize(52)));
    }
}
