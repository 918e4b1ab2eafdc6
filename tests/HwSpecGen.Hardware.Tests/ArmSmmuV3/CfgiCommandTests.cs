using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// CMD_CFGI_STE, CMD_CFGI_STE_RANGE / CMD_CFGI_ALL, CMD_CFGI_CD and CMD_CFGI_CD_ALL against Linux
/// arm_smmu_cmdq_build_cmd (arm-smmu-v3.c) and QEMU smmuv3_cmdq_consume (hw/arm/smmuv3.c).
/// </summary>
public sealed class CfgiCommandTests
{
    // arm_smmu_cmdq_build_cmd(CMDQ_OP_CFGI_STE, cfgi.sid = 0x8000_0000, cfgi.leaf = true) - what
    // arm_smmu_ste_writer_sync_entry issues after every STE update:
    //   cmd[0] = FIELD_PREP(CMDQ_0_OP, 0x03) | FIELD_PREP(CMDQ_CFGI_0_SID (63:32), 0x8000_0000)
    //   cmd[1] = FIELD_PREP(CMDQ_CFGI_1_LEAF (bit 0), 1)
    private static readonly ulong[] LinuxCfgiSteLeaf = { 0x8000_0000_0000_0003UL, 0x0000_0000_0000_0001UL };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_CFGI_STE, cfgi.sid = 0xFFFF_FFFF, cfgi.leaf = false).
    private static readonly ulong[] LinuxCfgiSteNonLeaf = { 0xFFFF_FFFF_0000_0003UL, 0x0000_0000_0000_0000UL };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_CFGI_ALL): only cmd[1] |= FIELD_PREP(CMDQ_CFGI_1_RANGE (4:0), 31), opcode 0x04.
    private static readonly ulong[] LinuxCfgiAll = { 0x0000_0000_0000_0004UL, 0x0000_0000_0000_001FUL };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_CFGI_CD, cfgi.ssid = 0x80000, cfgi.sid = 0x8000_0000, cfgi.leaf = true)
    // (arm_smmu_sync_cd): SSID 31:12 = 0x80000 -> 0x8000_0000 in the low half; no SSV bit.
    private static readonly ulong[] LinuxCfgiCdLeaf = { 0x8000_0000_8000_0005UL, 0x0000_0000_0000_0001UL };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_CFGI_CD, ssid = 0xFFFFF, sid = 1, leaf = false) - the "an invalid L1CD can
    // be cached" sync of arm_smmu_alloc_cd_ptr.
    private static readonly ulong[] LinuxCfgiCdNonLeaf = { 0x0000_0001_FFFF_F005UL, 0x0000_0000_0000_0000UL };

    // arm_smmu_cmdq_build_cmd(CMDQ_OP_CFGI_CD_ALL, cfgi.sid = 0x8000_0000) / (sid = 0xABCD).
    private static readonly ulong[] LinuxCfgiCdAll1 = { 0x8000_0000_0000_0006UL, 0x0000_0000_0000_0000UL };
    private static readonly ulong[] LinuxCfgiCdAll2 = { 0x0000_ABCD_0000_0006UL, 0x0000_0000_0000_0000UL };

    [Fact]
    public void LinuxCfgiSteDecodes()
    {
        var leaf = Decode<CfgiSte>(FromQwords(LinuxCfgiSteLeaf));
        Assert.Equal(0x8000_0000UL, leaf.Sid);
        Assert.True(leaf.Leaf);
        Assert.False(leaf.Ssec);
        Assert.True(leaf.Validate().IsValid);

        var nonLeaf = Decode<CfgiSte>(FromQwords(LinuxCfgiSteNonLeaf));
        Assert.Equal(0xFFFF_FFFFUL, nonLeaf.Sid);
        Assert.False(nonLeaf.Leaf);
        Assert.True(nonLeaf.Validate().IsValid);
    }

    [Fact]
    public void EncoderReproducesLinuxCfgiSte()
    {
        Assert.Equal(FromQwords(LinuxCfgiSteLeaf), CfgiSte.Create().WithSid(0x8000_0000).WithLeaf(true).ToBytes());
        Assert.Equal(FromQwords(LinuxCfgiSteNonLeaf), CfgiSte.Create().WithSid(0xFFFF_FFFF).ToBytes());
    }

    [Fact]
    public void QemuReadsOurCfgiSte()
    {
        // smmuv3_cmdq_consume SMMU_CMD_CFGI_STE: CMD_SSEC must be 0, sid = CMD_SID.
        var w = Words(CfgiSte.Create().WithSid(0x8000_0001).WithLeaf(true).ToBytes());
        Assert.Equal(0x03U, CmdType(w));
        Assert.Equal(0x8000_0001U, CmdSid(w));
        Assert.Equal(0U, CmdSsec(w));
        Assert.Equal(1U, CmdLeaf(w));
    }

    [Fact]
    public void SsecOnTheNonSecureQueueIsIllegal()
    {
        // QEMU smmuv3_cmdq_consume: CMD_SSEC(&cmd) -> cmd_error = SMMU_CERROR_ILL for every CFGI command.
        var cmd = CfgiSte.Create().WithSid(5).WithSsec(true);
        Assert.Equal(1U, CmdSsec(Words(cmd.ToBytes())));
        Assert.Equal(new[] { "NonSecureQueue" }, ViolatedRules(cmd));
        Assert.Equal(new[] { "CERROR_ILL" }, cmd.Validate().RuleErrors(CfgiSte.Layout));
        Assert.Equal(new[] { "NonSecureQueue" }, ViolatedRules(CfgiSteRange.CreateAll().WithSsec(true)));
        Assert.Equal(new[] { "NonSecureQueue" }, ViolatedRules(CfgiCd.Create().WithSsec(true)));
        Assert.Equal(new[] { "NonSecureQueue" }, ViolatedRules(CfgiCdAll.Create().WithSsec(true)));
    }

    [Fact]
    public void CfgiSteReservedBitsAreMustBeZero()
    {
        // Bit 11 (no SSV in CFGI_STE) and bit 65 are RES0; arm_vsmmu_validate_user_cmd rejects them.
        var bytes = FromQwords(LinuxCfgiSteLeaf[0] | (1UL << 11), LinuxCfgiSteLeaf[1] | 2);
        var v = Decode<CfgiSte>(bytes).Validate();
        Assert.Equal(1UL << 11, v.ReservedBitsSet(0));
        Assert.Equal(2UL, v.ReservedBitsSet(1));
    }

    [Fact]
    public void LinuxCfgiAllIsCfgiSteRangeWithRange31()
    {
        var all = Decode<CfgiSteRange>(FromQwords(LinuxCfgiAll));
        Assert.Equal(CfgiSteRange.OpcodeValue, all.Opcode);
        Assert.Equal(31UL, all.Range);
        Assert.True(all.IsAll);
        Assert.Equal(0UL, all.FirstSid);
        Assert.Equal(0xFFFF_FFFFUL, all.LastSid);
        Assert.True(all.Covers(0) && all.Covers(0xFFFF_FFFF));
        Assert.Equal(FromQwords(LinuxCfgiAll), CfgiSteRange.CreateAll().ToBytes());
        Assert.True(all.Validate().IsValid);
    }

    [Fact]
    public void QemuStreamIdRangeOfCfgiSteRange()
    {
        // smmuv3_cmdq_consume SMMU_CMD_CFGI_STE_RANGE: mask = (1ULL << (range + 1)) - 1;
        // start = sid & ~mask; end = start + mask. Range = 0x10 (top bit of the 5-bit field): mask = 0x1FFFF.
        var cmd = CfgiSteRange.ForRange(0x8001_2345, 0x10);
        var w = Words(cmd.ToBytes());
        Assert.Equal(0x04U, CmdType(w));
        Assert.Equal(0x8001_2345U, CmdSid(w));
        Assert.Equal(0x10U, CmdSteRange(w));
        var mask = (1UL << ((int)CmdSteRange(w) + 1)) - 1;
        var start = CmdSid(w) & ~mask;
        Assert.Equal(start, cmd.FirstSid);
        Assert.Equal(start + mask, cmd.LastSid);
        Assert.Equal(0x8000_0000UL, cmd.FirstSid);
        Assert.Equal(0x8001_FFFFUL, cmd.LastSid);
        Assert.False(cmd.Covers(0x7FFF_FFFF));
        Assert.False(cmd.Covers(0x8002_0000));
        Assert.False(cmd.IsAll);

        // Range = 0: the pair {sid & ~1, sid | 1}.
        var pair = CfgiSteRange.ForRange(0x1235, 0);
        Assert.Equal(0x1234UL, pair.FirstSid);
        Assert.Equal(0x1235UL, pair.LastSid);
    }

    [Fact]
    public void QemuCfgiAllOpcodeIsNotACommand()
    {
        // QEMU's SMMUCommandType names 0x07 SMMU_CMD_CFGI_ALL, but smmuv3_cmdq_consume has no case for it
        // (CFGI_ALL is handled as SMMU_CMD_CFGI_STE_RANGE, 0x04) and its default branch raises CERROR_ILL,
        // matching Linux CMDQ_OP_CFGI_ALL = 0x4. Our set follows Linux: 0x07 is unknown.
        var set = CommandSet.Decode(FromQwords(QemuSmmuV3.SmmuCmdCfgiAll, 31));
        Assert.Equal(CommandKind.Unknown, set.Kind);
        Assert.Equal("CERROR_ILL", CommandSet.UnknownError);
    }

    [Fact]
    public void LinuxCfgiCdDecodes()
    {
        var leaf = Decode<CfgiCd>(FromQwords(LinuxCfgiCdLeaf));
        Assert.Equal(0x8000_0000UL, leaf.Sid);
        Assert.Equal(0x80000UL, leaf.Ssid);
        Assert.True(leaf.Leaf);
        Assert.True(leaf.Validate().IsValid);

        var nonLeaf = Decode<CfgiCd>(FromQwords(LinuxCfgiCdNonLeaf));
        Assert.Equal(1UL, nonLeaf.Sid);
        Assert.Equal(0xFFFFFUL, nonLeaf.Ssid);
        Assert.False(nonLeaf.Leaf);
        Assert.True(nonLeaf.Validate().IsValid);

        Assert.Equal(FromQwords(LinuxCfgiCdLeaf), CfgiCd.Create().WithSsid(0x80000).WithSid(0x8000_0000).WithLeaf(true).ToBytes());
        Assert.Equal(FromQwords(LinuxCfgiCdNonLeaf), CfgiCd.Create().WithSsid(0xFFFFF).WithSid(1).ToBytes());
    }

    [Fact]
    public void QemuReadsOurCfgiCd()
    {
        // smmuv3_cmdq_consume SMMU_CMD_CFGI_CD: sid = CMD_SID (QEMU flushes the whole StreamID; CMD_SSID is the SSID).
        var w = Words(CfgiCd.Create().WithSsid(0xABCDE).WithSid(0xFEDC_BA98).WithLeaf(true).ToBytes());
        Assert.Equal(0x05U, CmdType(w));
        Assert.Equal(0xFEDC_BA98U, CmdSid(w));
        Assert.Equal(0xABCDEU, CmdSsid(w));
        Assert.Equal(0U, CmdSsv(w)); // bit 11 is RES0 in CFGI_CD
        Assert.Equal(1U, CmdLeaf(w));
    }

    [Fact]
    public void LinuxCfgiCdAllDecodes()
    {
        var a = Decode<CfgiCdAll>(FromQwords(LinuxCfgiCdAll1));
        Assert.Equal(0x8000_0000UL, a.Sid);
        Assert.True(a.Validate().IsValid);
        var b = Decode<CfgiCdAll>(FromQwords(LinuxCfgiCdAll2));
        Assert.Equal(0xABCDUL, b.Sid);
        Assert.Equal(FromQwords(LinuxCfgiCdAll1), CfgiCdAll.Create().WithSid(0x8000_0000).ToBytes());
        Assert.Equal(FromQwords(LinuxCfgiCdAll2), CfgiCdAll.Create().WithSid(0xABCD).ToBytes());
        Assert.Equal(0xABCDU, CmdSid(Words(b.ToBytes())));

        // Anything in the second dword is RES0 in CFGI_CD_ALL.
        Assert.Equal(1UL, Decode<CfgiCdAll>(FromQwords(LinuxCfgiCdAll2[0], 1)).Validate().ReservedBitsSet(1));
    }
}
