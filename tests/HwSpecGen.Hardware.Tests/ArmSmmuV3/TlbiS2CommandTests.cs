using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>CMD_TLBI_S12_VMALL and CMD_TLBI_S2_IPA against Linux arm_smmu_cmdq_build_cmd and QEMU CMD_*.</summary>
public sealed class TlbiS2CommandTests
{
    // arm_smmu_tlb_inv_context (stage 2) -> arm_smmu_cmdq_build_cmd(CMDQ_OP_TLBI_S12_VMALL, vmid = 0x8000 / 0xFFFF).
    private static readonly ulong[] LinuxS12Vmall1 = { 0x0000_8000_0000_0028UL, 0 };
    private static readonly ulong[] LinuxS12Vmall2 = { 0x0000_FFFF_0000_0028UL, 0 };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_TLBI_S2_IPA, vmid = 0x8000, num = 0x10, scale = 0x10, leaf, ttl = 2, tg = 3,
    // addr = 0x0008_0000_0001_0000): cmd[1] = 1 | 2 << 8 | 3 << 10 | (addr & GENMASK_ULL(51, 12)).
    private static readonly ulong[] LinuxS2Ipa1 = { 0x0000_8000_0101_002AUL, 0x0008_0000_0001_0E01UL };

    // Same with vmid = 0xFFFF, num = scale = 31, leaf = 0, ttl = 3, tg = 3, addr = ~0: CMDQ_TLBI_1_IPA_MASK keeps 51:12.
    private static readonly ulong[] LinuxS2Ipa2 = { 0x0000_FFFF_01F1_F02AUL, 0x000F_FFFF_FFFF_FF00UL };

    [Fact]
    public void LinuxS12VmallDecodes()
    {
        Assert.Equal(0x8000UL, Decode<TlbiS12Vmall>(FromQwords(LinuxS12Vmall1)).Vmid);
        Assert.Equal(0xFFFFUL, Decode<TlbiS12Vmall>(FromQwords(LinuxS12Vmall2)).Vmid);
        Assert.Equal(FromQwords(LinuxS12Vmall1), TlbiS12Vmall.Create().WithVmid(0x8000).ToBytes());
        Assert.Equal(FromQwords(LinuxS12Vmall2), TlbiS12Vmall.Create().WithVmid(0xFFFF).ToBytes());

        // QEMU SMMU_CMD_TLBI_S12_VMALL: vmid = CMD_VMID.
        Assert.Equal(0xFFFFU, CmdVmid(Words(FromQwords(LinuxS12Vmall2))));
        Assert.True(Decode<TlbiS12Vmall>(FromQwords(LinuxS12Vmall2)).Validate().IsValid);
    }

    [Fact]
    public void LinuxS2IpaDecodes()
    {
        var a = Decode<TlbiS2Ipa>(FromQwords(LinuxS2Ipa1));
        Assert.Equal(0x8000UL, a.Vmid);
        Assert.Equal(0x10UL, a.Num);
        Assert.Equal(0x10UL, a.Scale);
        Assert.True(a.Leaf);
        Assert.Equal(2UL, a.Ttl);
        Assert.Equal(TlbiGranule.Granule64K, a.Tg);
        Assert.Equal(0x0008_0000_0001_0000UL, a.Address);
        Assert.True(a.Validate().IsValid);

        var b = Decode<TlbiS2Ipa>(FromQwords(LinuxS2Ipa2));
        Assert.Equal(0xFFFFUL, b.Vmid);
        Assert.Equal(31UL, b.Num);
        Assert.Equal(31UL, b.Scale);
        Assert.False(b.Leaf);
        Assert.Equal(3UL, b.Ttl);
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, b.Address);
        Assert.True(b.Validate().IsValid);

        Assert.Equal(FromQwords(LinuxS2Ipa1), TlbiS2Ipa.Create().WithVmid(0x8000).WithNum(0x10).WithScale(0x10).WithLeaf(true).WithTtl(2)
            .WithTg(TlbiGranule.Granule64K).WithAddress(0x0008_0000_0001_0000).ToBytes());
        Assert.Equal(FromQwords(LinuxS2Ipa2), TlbiS2Ipa.Create().WithVmid(0xFFFF).WithNum(31).WithScale(31).WithTtl(3)
            .WithTg(TlbiGranule.Granule64K).WithAddress(ulong.MaxValue & CmdqTlbi1IpaMask).ToBytes());
    }

    [Fact]
    public void S2IpaAddressIsIpa55To12()
    {
        // Arm IHI 0070: the IPA field is [55:12] and bits 127:120 are RES0. Linux masks with 51:12 and QEMU
        // CMD_ADDR reads 63:12, so an IPA bit 55 written by our encoder is seen by QEMU, and bit 56 is rejected.
        var top = TlbiS2Ipa.Create().WithVmid(1).WithTg(TlbiGranule.Granule4K).WithTtl(3).WithAddress(0x0080_0000_0000_0000);
        Assert.Equal(0x0080_0000_0000_0000UL, CmdAddr(Words(top.ToBytes())));
        Assert.Equal(0UL, Qwords(top.ToBytes())[1] & CmdqTlbi1IpaMask); // beyond what Linux can express
        Assert.Throws<System.ArgumentOutOfRangeException>(() => TlbiS2Ipa.Create().WithAddress(0x0100_0000_0000_0000));

        var high = Decode<TlbiS2Ipa>(FromQwords(LinuxS2Ipa1[0], LinuxS2Ipa1[1] | (1UL << 56)));
        Assert.Equal(1UL << 56, high.Validate().ReservedBitsSet(1));
        Assert.Equal(0x0008_0000_0001_0000UL, high.Address);

        // No ASID in S2_IPA.
        Assert.Equal(CmdqTlbi0Asid, Decode<TlbiS2Ipa>(FromQwords(LinuxS2Ipa1[0] | CmdqTlbi0Asid, LinuxS2Ipa1[1])).Validate().ReservedBitsSet(0));
    }

    [Fact]
    public void QemuReadsOurS2Ipa()
    {
        // smmuv3_range_inval(s, &cmd, SMMU_STAGE_2): vmid = CMD_VMID, addr = CMD_ADDR, ...
        var w = Words(FromQwords(LinuxS2Ipa1));
        Assert.Equal(0x2AU, CmdType(w));
        Assert.Equal(0x8000U, CmdVmid(w));
        Assert.Equal(0x0008_0000_0001_0000UL, CmdAddr(w));
        Assert.Equal(0x10U, CmdNum(w));
        Assert.Equal(0x10U, CmdScale(w));
        Assert.Equal(2U, CmdTtl(w));
        Assert.Equal(3U, CmdTg(w));
        Assert.Equal(1U, CmdLeaf(w));
    }
}
