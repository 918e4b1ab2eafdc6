using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>CMD_PREFETCH_CONFIG and CMD_PREFETCH_ADDR against Linux arm_smmu_cmdq_build_cmd / CMDQ_PREFETCH_* and QEMU CMD_*.</summary>
public sealed class PrefetchCommandTests
{
    // arm_smmu_write_ste issues arm_smmu_cmdq_build_cmd(CMDQ_OP_PREFETCH_CFG, prefetch.sid = 0x8000_0001):
    //   cmd[0] = 0x01 | FIELD_PREP(CMDQ_PREFETCH_0_SID (63:32), 0x8000_0001); cmd[1] = 0.
    private static readonly ulong[] LinuxPrefetchCfg = { 0x8000_0001_0000_0001UL, 0x0000_0000_0000_0000UL };

    [Fact]
    public void LinuxPrefetchConfigDecodes()
    {
        var cmd = Decode<PrefetchConfig>(FromQwords(LinuxPrefetchCfg));
        Assert.Equal(0x8000_0001UL, cmd.Sid);
        Assert.False(cmd.Ssv);
        Assert.Equal(0UL, cmd.Ssid);
        Assert.True(cmd.Validate().IsValid);
        Assert.Equal(FromQwords(LinuxPrefetchCfg), PrefetchConfig.Create().WithSid(0x8000_0001).ToBytes());
    }

    [Fact]
    public void PrefetchConfigWithSubstreamReadsBackThroughQemuMacros()
    {
        // Top bits of every multi-bit field: SID[31], SSID[19]; QEMU CMD_SID / CMD_SSID / CMD_SSV.
        var cmd = PrefetchConfig.Create().WithSid(0xFFFF_FFFF).WithSsid(0x80000).WithSsv(true);
        var w = Words(cmd.ToBytes());
        Assert.Equal(0x01U, CmdType(w));
        Assert.Equal(0xFFFF_FFFFU, CmdSid(w));
        Assert.Equal(0x80000U, CmdSsid(w));
        Assert.Equal(1U, CmdSsv(w));
        Assert.Equal(0U, CmdSsec(w));
        Assert.True(cmd.Validate().IsValid);
        Assert.Equal(new ulong[] { 0xFFFF_FFFF_8000_0801UL, 0 }, Qwords(cmd.ToBytes()));
    }

    [Fact]
    public void PrefetchAddrMatchesLinuxMasks()
    {
        // Linux defines CMDQ_PREFETCH_1_SIZE (4:0) and CMDQ_PREFETCH_1_ADDR_MASK (63:12) but never builds the
        // command; build it with those masks: SID 0x8000_0000, SIZE 0x10, ADDR 0x8000_0000_0000_0000.
        var linux = new[]
        {
            0x02UL | FieldPrep(CmdqPrefetch0Sid, 0x8000_0000),
            FieldPrep(CmdqPrefetch1Size, 0x10) | (0x8000_0000_0000_0FFFUL & CmdqPrefetch1AddrMask),
        };
        Assert.Equal(new[] { 0x8000_0000_0000_0002UL, 0x8000_0000_0000_0010UL }, linux);
        var cmd = Decode<PrefetchAddr>(FromQwords(linux));
        Assert.Equal(0x8000_0000UL, cmd.Sid);
        Assert.Equal(0x10UL, cmd.Size);
        Assert.Equal(0x8000_0000_0000_0000UL, cmd.Address);
        Assert.True(cmd.Validate().IsValid);
        Assert.Equal(FromQwords(linux), PrefetchAddr.Create().WithSid(0x8000_0000).WithSize(0x10).WithAddress(0x8000_0000_0000_0000).ToBytes());
    }

    [Fact]
    public void PrefetchAddrReadsBackThroughQemuMacros()
    {
        var cmd = PrefetchAddr.Create().WithSid(0x1234).WithSsid(0xFFFFF).WithSsv(true).WithSize(0x1F).WithAddress(0xFFFF_FFFF_FFFF_F000);
        var w = Words(cmd.ToBytes());
        Assert.Equal(0x02U, CmdType(w));
        Assert.Equal(0x1234U, CmdSid(w));
        Assert.Equal(0xFFFFFU, CmdSsid(w));
        Assert.Equal(1U, CmdSsv(w));
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL, CmdAddr(w));
        Assert.Equal(0x1FUL, FieldGet(CmdqPrefetch1Size, Qwords(cmd.ToBytes())[1]));

        // The address field holds VA[63:12]: low bits cannot be encoded.
        Assert.Throws<System.ArgumentOutOfRangeException>(() => PrefetchAddr.Create().WithAddress(0x1001));

        // Bits 75:69 (Stride/NS in the spec, unconfirmed by the sources) are left ignored, not RES0.
        var withStride = Decode<PrefetchAddr>(FromQwords(Qwords(cmd.ToBytes())[0], Qwords(cmd.ToBytes())[1] | (0x7FUL << 5)));
        Assert.True(withStride.Validate().IsValid);
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL, withStride.Address);
        Assert.Equal(0x1FUL, withStride.Size);
    }
}
