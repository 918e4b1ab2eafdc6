using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// The non-hypervisor TLB invalidations CMD_TLBI_NH_ALL, NH_ASID, NH_VA, NH_VAA and NSNH_ALL against Linux
/// arm_smmu_cmdq_build_cmd (and arm-smmu-v3-iommufd.c for the guest-issued forms) and QEMU CMD_* macros.
/// </summary>
public sealed class TlbiNhCommandTests
{
    // arm_smmu_cmdq_build_cmd(CMDQ_OP_TLBI_NH_ALL, tlbi.vmid = 0x8000): cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_VMID (47:32), vmid).
    private static readonly ulong[] LinuxNhAll1 = { 0x0000_8000_0000_0010UL, 0 };
    private static readonly ulong[] LinuxNhAll2 = { 0x0000_FFFF_0000_0010UL, 0 };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_TLBI_NH_ASID, asid = 0x8000, vmid = 0x8001): ASID 63:48, then (fallthrough) VMID.
    private static readonly ulong[] LinuxNhAsid1 = { 0x8000_8001_0000_0011UL, 0 };
    private static readonly ulong[] LinuxNhAsid2 = { 0x0001_FFFF_0000_0011UL, 0 };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_TLBI_NH_VA, vmid = 0x8000, asid = 0x8001, num = 0x10, scale = 0x10, leaf,
    // ttl = 2, tg = 2, addr = 0x8000_1234_5678_9ABC):
    //   cmd[0] = 0x12 | 0x10 << 12 | 0x10 << 20 | 0x8000 << 32 | 0x8001 << 48 = 0x8001_8000_0101_0012
    //   cmd[1] = 1 | 2 << 8 | 2 << 10 | (addr & GENMASK_ULL(63, 12))      = 0x8000_1234_5678_9A01
    private static readonly ulong[] LinuxNhVa1 = { 0x8001_8000_0101_0012UL, 0x8000_1234_5678_9A01UL };

    // Same with vmid = 0, asid = 0xFFFF, num = 31, scale = 31, leaf = 0, ttl = 3, tg = 3, addr = 0xFFFF_FFFF_FFFF_F000.
    private static readonly ulong[] LinuxNhVa2 = { 0xFFFF_0000_01F1_F012UL, 0xFFFF_FFFF_FFFF_FF00UL };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_TLBI_NSNH_ALL): opcode only.
    private static readonly ulong[] LinuxNsnhAll = { 0x0000_0000_0000_0030UL, 0 };

    [Fact]
    public void LinuxNhAllDecodes()
    {
        Assert.Equal(0x8000UL, Decode<TlbiNhAll>(FromQwords(LinuxNhAll1)).Vmid);
        Assert.Equal(0xFFFFUL, Decode<TlbiNhAll>(FromQwords(LinuxNhAll2)).Vmid);
        Assert.Equal(FromQwords(LinuxNhAll1), TlbiNhAll.Create().WithVmid(0x8000).ToBytes());
        Assert.Equal(FromQwords(LinuxNhAll2), TlbiNhAll.Create().WithVmid(0xFFFF).ToBytes());
        Assert.Equal(0xFFFFU, CmdVmid(Words(FromQwords(LinuxNhAll2))));
        Assert.True(Decode<TlbiNhAll>(FromQwords(LinuxNhAll1)).Validate().IsValid);

        // An ASID in NH_ALL is RES0 (arm_vsmmu_validate_user_cmd allows only VMID for NH_ALL).
        Assert.Equal(1UL << 48, Decode<TlbiNhAll>(FromQwords(LinuxNhAll1[0] | (1UL << 48), 0)).Validate().ReservedBitsSet(0));
    }

    [Fact]
    public void LinuxNhAsidDecodes()
    {
        var a = Decode<TlbiNhAsid>(FromQwords(LinuxNhAsid1));
        Assert.Equal(0x8000UL, a.Asid);
        Assert.Equal(0x8001UL, a.Vmid);
        var b = Decode<TlbiNhAsid>(FromQwords(LinuxNhAsid2));
        Assert.Equal(0x0001UL, b.Asid);
        Assert.Equal(0xFFFFUL, b.Vmid);
        Assert.Equal(FromQwords(LinuxNhAsid1), TlbiNhAsid.Create().WithAsid(0x8000).WithVmid(0x8001).ToBytes());
        Assert.Equal(FromQwords(LinuxNhAsid2), TlbiNhAsid.Create().WithAsid(1).WithVmid(0xFFFF).ToBytes());

        // QEMU SMMU_CMD_TLBI_NH_ASID: asid = CMD_ASID, vmid = CMD_VMID.
        var w = Words(a.ToBytes());
        Assert.Equal(0x11U, CmdType(w));
        Assert.Equal(0x8000U, CmdAsid(w));
        Assert.Equal(0x8001U, CmdVmid(w));
    }

    [Fact]
    public void LinuxNhVaDecodes()
    {
        var a = Decode<TlbiNhVa>(FromQwords(LinuxNhVa1));
        Assert.Equal(0x8000UL, a.Vmid);
        Assert.Equal(0x8001UL, a.Asid);
        Assert.Equal(0x10UL, a.Num);
        Assert.Equal(0x10UL, a.Scale);
        Assert.True(a.Leaf);
        Assert.Equal(2UL, a.Ttl);
        Assert.Equal(TlbiGranule.Granule16K, a.Tg);
        Assert.Equal(0x8000_1234_5678_9000UL, a.Address);
        Assert.True(a.Validate().IsValid);

        var b = Decode<TlbiNhVa>(FromQwords(LinuxNhVa2));
        Assert.Equal(0UL, b.Vmid);
        Assert.Equal(0xFFFFUL, b.Asid);
        Assert.Equal(31UL, b.Num);
        Assert.Equal(31UL, b.Scale);
        Assert.False(b.Leaf);
        Assert.Equal(3UL, b.Ttl);
        Assert.Equal(TlbiGranule.Granule64K, b.Tg);
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL, b.Address);
        Assert.True(b.Validate().IsValid);
    }

    [Fact]
    public void EncoderReproducesLinuxNhVa()
    {
        var a = TlbiNhVa.Create().WithVmid(0x8000).WithAsid(0x8001).WithNum(0x10).WithScale(0x10).WithLeaf(true).WithTtl(2)
            .WithTg(TlbiGranule.Granule16K).WithAddress(0x8000_1234_5678_9ABCUL & CmdqTlbi1VaMask);
        Assert.Equal(FromQwords(LinuxNhVa1), a.ToBytes());
        var b = TlbiNhVa.Create().WithAsid(0xFFFF).WithNum(31).WithScale(31).WithTtl(3).WithTg(TlbiGranule.Granule64K)
            .WithAddress(0xFFFF_FFFF_FFFF_F000);
        Assert.Equal(FromQwords(LinuxNhVa2), b.ToBytes());
    }

    [Fact]
    public void QemuReadsOurNhVa()
    {
        // smmuv3_range_inval: addr = CMD_ADDR, vmid = CMD_VMID, asid = CMD_ASID (NH_VA only), num/scale/ttl/leaf/tg.
        var w = Words(FromQwords(LinuxNhVa1));
        Assert.Equal(0x12U, CmdType(w));
        Assert.Equal(0x8000_1234_5678_9000UL, CmdAddr(w));
        Assert.Equal(0x8000U, CmdVmid(w));
        Assert.Equal(0x8001U, CmdAsid(w));
        Assert.Equal(0x10U, CmdNum(w));
        Assert.Equal(0x10U, CmdScale(w));
        Assert.Equal(2U, CmdTtl(w));
        Assert.Equal(2U, CmdTg(w));
        Assert.Equal(1U, CmdLeaf(w));
    }

    [Fact]
    public void RangeFieldRules()
    {
        // Arm IHI 0070 §4.4.1.1 (and arm_vsmmu_validate_range): NUM/SCALE/TTL must be 0 without TG; TG != 0 with
        // NUM = SCALE = TTL = 0 is reserved.
        Assert.Equal(new[] { "RangeFieldsNeedTg" }, ViolatedRules(TlbiNhVa.Create().WithNum(1)));
        Assert.Equal(new[] { "RangeNotReserved" }, ViolatedRules(TlbiNhVa.Create().WithTg(TlbiGranule.Granule4K)));
        Assert.Empty(ViolatedRules(TlbiNhVa.Create().WithTg(TlbiGranule.Granule4K).WithTtl(3)));
        Assert.Empty(ViolatedRules(TlbiNhVa.Create()));

        // SCALE[5] (bit 25) needs SMMU_IDR5.DS; Linux and QEMU use the 5-bit field, so bit 25 is RES0 here.
        var scale5 = Decode<TlbiNhVa>(FromQwords(LinuxNhVa1[0] | (1UL << 25), LinuxNhVa1[1]));
        Assert.Equal(1UL << 25, scale5.Validate().ReservedBitsSet(0));
        Assert.Equal(0x10UL, scale5.Scale);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => TlbiNhVa.Create().WithScale(32));
    }

    [Fact]
    public void NhVaaHasNoAsid()
    {
        // Linux never builds NH_VAA itself; a guest's NH_VAA reaches the hardware through arm_vsmmu_convert_user_cmd,
        // which only rewrites the VMID. Build one with the Linux masks (no ASID: arm_vsmmu_validate_user_cmd).
        var linux = new[]
        {
            0x13UL | FieldPrep(CmdqTlbi0Num, 0x10) | FieldPrep(CmdqTlbi0Scale, 0x10) | FieldPrep(CmdqTlbi0Vmid, 0x8000),
            CmdqTlbi1Leaf | FieldPrep(CmdqTlbi1Ttl, 2) | FieldPrep(CmdqTlbi1Tg, 2) | (0x8000_0000_0000_4000UL & CmdqTlbi1VaMask),
        };
        var a = Decode<TlbiNhVaa>(FromQwords(linux));
        Assert.Equal(0x8000UL, a.Vmid);
        Assert.Equal(0x10UL, a.Num);
        Assert.Equal(0x10UL, a.Scale);
        Assert.True(a.Leaf);
        Assert.Equal(2UL, a.Ttl);
        Assert.Equal(TlbiGranule.Granule16K, a.Tg);
        Assert.Equal(0x8000_0000_0000_4000UL, a.Address);
        Assert.True(a.Validate().IsValid);

        var b = TlbiNhVaa.Create().WithVmid(0xFFFF).WithNum(31).WithScale(31).WithTtl(3).WithTg(TlbiGranule.Granule64K).WithAddress(0xFFFF_FFFF_FFFF_0000);
        var w = Words(b.ToBytes());
        Assert.Equal(0x13U, CmdType(w));
        Assert.Equal(0xFFFFU, CmdVmid(w));
        Assert.Equal(0U, CmdAsid(w));
        Assert.Equal(31U, CmdNum(w));
        Assert.Equal(31U, CmdScale(w));
        Assert.Equal(3U, CmdTtl(w));
        Assert.Equal(3U, CmdTg(w));
        Assert.Equal(0xFFFF_FFFF_FFFF_0000UL, CmdAddr(w));

        // An ASID is RES0 in NH_VAA.
        Assert.Equal(CmdqTlbi0Asid, Decode<TlbiNhVaa>(FromQwords(linux[0] | CmdqTlbi0Asid, linux[1])).Validate().ReservedBitsSet(0));
    }

    [Fact]
    public void LinuxNsnhAllDecodes()
    {
        var cmd = Decode<TlbiNsnhAll>(FromQwords(LinuxNsnhAll));
        Assert.True(cmd.Validate().IsValid);
        Assert.Equal(FromQwords(LinuxNsnhAll), TlbiNsnhAll.Create().ToBytes());

        // Every bit but the opcode is RES0.
        var dirty = Decode<TlbiNsnhAll>(FromQwords(0xFFFF_FFFF_FFFF_FF30UL, ulong.MaxValue)).Validate();
        Assert.Equal(0xFFFF_FFFF_FFFF_FF00UL, dirty.ReservedBitsSet(0));
        Assert.Equal(ulong.MaxValue, dirty.ReservedBitsSet(1));
    }
}
