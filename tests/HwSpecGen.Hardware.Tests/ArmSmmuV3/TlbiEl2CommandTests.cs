using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>CMD_TLBI_EL2_ALL, EL2_ASID, EL2_VA and EL2_VAA against Linux arm_smmu_cmdq_build_cmd (E2H configurations) and QEMU CMD_*.</summary>
public sealed class TlbiEl2CommandTests
{
    // arm_smmu_cmdq_build_cmd(CMDQ_OP_TLBI_EL2_ALL): opcode only.
    private static readonly ulong[] LinuxEl2All = { 0x0000_0000_0000_0020UL, 0 };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_TLBI_EL2_ASID, asid = 0x8000 / 0xFFFF): FIELD_PREP(CMDQ_TLBI_0_ASID (63:48), asid).
    private static readonly ulong[] LinuxEl2Asid1 = { 0x8000_0000_0000_0021UL, 0 };
    private static readonly ulong[] LinuxEl2Asid2 = { 0xFFFF_0000_0000_0021UL, 0 };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_TLBI_EL2_VA, asid = 0x8001, num = 0x10, scale = 0x10, leaf, ttl = 2, tg = 1,
    // addr = 0x8000_0000_0000_1FFF): no VMID (the NH_VA case falls through past it);
    //   cmd[1] = 1 | 2 << 8 | 1 << 10 | (addr & GENMASK_ULL(63, 12)) = 0x8000_0000_0000_1601.
    private static readonly ulong[] LinuxEl2Va1 = { 0x8001_0000_0101_0022UL, 0x8000_0000_0000_1601UL };
    private static readonly ulong[] LinuxEl2Va2 = { 0xFFFF_0000_01F1_F022UL, 0xFFFF_FFFF_FFFF_FF00UL };

    [Fact]
    public void LinuxEl2AllDecodes()
    {
        Assert.True(Decode<TlbiEl2All>(FromQwords(LinuxEl2All)).Validate().IsValid);
        Assert.Equal(FromQwords(LinuxEl2All), TlbiEl2All.Create().ToBytes());
        Assert.Equal(0x20U, CmdType(Words(TlbiEl2All.Create().ToBytes())));

        // A VMID or ASID in EL2_ALL is RES0.
        var v = Decode<TlbiEl2All>(FromQwords(0xFFFF_FFFF_0000_0020UL, 0)).Validate();
        Assert.Equal(0xFFFF_FFFF_0000_0000UL, v.ReservedBitsSet(0));
    }

    [Fact]
    public void LinuxEl2AsidDecodes()
    {
        Assert.Equal(0x8000UL, Decode<TlbiEl2Asid>(FromQwords(LinuxEl2Asid1)).Asid);
        Assert.Equal(0xFFFFUL, Decode<TlbiEl2Asid>(FromQwords(LinuxEl2Asid2)).Asid);
        Assert.Equal(FromQwords(LinuxEl2Asid1), TlbiEl2Asid.Create().WithAsid(0x8000).ToBytes());
        Assert.Equal(FromQwords(LinuxEl2Asid2), TlbiEl2Asid.Create().WithAsid(0xFFFF).ToBytes());
        Assert.Equal(0xFFFFU, CmdAsid(Words(FromQwords(LinuxEl2Asid2))));

        // No VMID in EL2_ASID.
        Assert.Equal(CmdqTlbi0Vmid, Decode<TlbiEl2Asid>(FromQwords(LinuxEl2Asid1[0] | CmdqTlbi0Vmid, 0)).Validate().ReservedBitsSet(0));
    }

    [Fact]
    public void LinuxEl2VaDecodes()
    {
        var a = Decode<TlbiEl2Va>(FromQwords(LinuxEl2Va1));
        Assert.Equal(0x8001UL, a.Asid);
        Assert.Equal(0x10UL, a.Num);
        Assert.Equal(0x10UL, a.Scale);
        Assert.True(a.Leaf);
        Assert.Equal(2UL, a.Ttl);
        Assert.Equal(TlbiGranule.Granule4K, a.Tg);
        Assert.Equal(0x8000_0000_0000_1000UL, a.Address);
        Assert.True(a.Validate().IsValid);

        var b = Decode<TlbiEl2Va>(FromQwords(LinuxEl2Va2));
        Assert.Equal(0xFFFFUL, b.Asid);
        Assert.Equal(31UL, b.Num);
        Assert.Equal(31UL, b.Scale);
        Assert.Equal(3UL, b.Ttl);
        Assert.Equal(TlbiGranule.Granule64K, b.Tg);
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL, b.Address);

        Assert.Equal(FromQwords(LinuxEl2Va1), TlbiEl2Va.Create().WithAsid(0x8001).WithNum(0x10).WithScale(0x10).WithLeaf(true).WithTtl(2)
            .WithTg(TlbiGranule.Granule4K).WithAddress(0x8000_0000_0000_1FFFUL & CmdqTlbi1VaMask).ToBytes());
        Assert.Equal(FromQwords(LinuxEl2Va2), TlbiEl2Va.Create().WithAsid(0xFFFF).WithNum(31).WithScale(31).WithTtl(3)
            .WithTg(TlbiGranule.Granule64K).WithAddress(0xFFFF_FFFF_FFFF_F000).ToBytes());

        // The VMID bits are RES0 in EL2_VA (Linux skips CMDQ_TLBI_0_VMID for it).
        Assert.Equal(CmdqTlbi0Vmid, Decode<TlbiEl2Va>(FromQwords(LinuxEl2Va1[0] | CmdqTlbi0Vmid, LinuxEl2Va1[1])).Validate().ReservedBitsSet(0));
    }

    [Fact]
    public void QemuReadsOurEl2Va()
    {
        var w = Words(FromQwords(LinuxEl2Va1));
        Assert.Equal(0x22U, CmdType(w));
        Assert.Equal(0x8001U, CmdAsid(w));
        Assert.Equal(0U, CmdVmid(w));
        Assert.Equal(0x8000_0000_0000_1000UL, CmdAddr(w));
        Assert.Equal(1U, CmdTg(w));
    }

    [Fact]
    public void El2VaaHasNeitherVmidNorAsid()
    {
        // Never built by Linux; QEMU consumes it with no effect. Top bits of NUM/SCALE/TTL/TG/address.
        var a = TlbiEl2Vaa.Create().WithNum(0x10).WithScale(0x10).WithLeaf(true).WithTtl(2).WithTg(TlbiGranule.Granule16K).WithAddress(0x8000_0000_0000_0000);
        Assert.Equal(
            new[]
            {
                0x23UL | FieldPrep(CmdqTlbi0Num, 0x10) | FieldPrep(CmdqTlbi0Scale, 0x10),
                CmdqTlbi1Leaf | FieldPrep(CmdqTlbi1Ttl, 2) | FieldPrep(CmdqTlbi1Tg, 2) | 0x8000_0000_0000_0000UL,
            },
            Qwords(a.ToBytes()));
        Assert.True(a.Validate().IsValid);

        var b = Decode<TlbiEl2Vaa>(FromQwords(0x23UL | FieldPrep(CmdqTlbi0Num, 31) | FieldPrep(CmdqTlbi0Scale, 31), FieldPrep(CmdqTlbi1Ttl, 3) | FieldPrep(CmdqTlbi1Tg, 3) | 0xFFFF_FFFF_FFFF_F000UL));
        Assert.Equal(31UL, b.Num);
        Assert.Equal(31UL, b.Scale);
        Assert.Equal(3UL, b.Ttl);
        Assert.Equal(TlbiGranule.Granule64K, b.Tg);
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL, b.Address);
        Assert.Equal(0U, CmdAsid(Words(b.ToBytes())) | CmdVmid(Words(b.ToBytes())));

        var v = Decode<TlbiEl2Vaa>(FromQwords(Qwords(a.ToBytes())[0] | CmdqTlbi0Vmid | CmdqTlbi0Asid, Qwords(a.ToBytes())[1])).Validate();
        Assert.Equal(CmdqTlbi0Vmid | CmdqTlbi0Asid, v.ReservedBitsSet(0));
    }
}
