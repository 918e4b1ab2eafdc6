using HwSpecGen.Hardware.ArmSmmuV3;
using HwSpecGen.Runtime;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>The Command set keyed by opcode bits 7:0, against the Linux CMDQ_OP_* and QEMU SMMUCommandType values.</summary>
public sealed class CommandSetTests
{
    public static TheoryData<ulong, CommandKind> Opcodes => new()
    {
        // Linux CMDQ_OP_* (arm-smmu-v3.h) where defined; QEMU SMMUCommandType for the rest.
        { 0x01, CommandKind.PrefetchConfig },   // CMDQ_OP_PREFETCH_CFG
        { 0x02, CommandKind.PrefetchAddr },     // SMMU_CMD_PREFETCH_ADDR
        { 0x03, CommandKind.CfgiSte },          // CMDQ_OP_CFGI_STE
        { 0x04, CommandKind.CfgiSteRange },     // CMDQ_OP_CFGI_ALL / SMMU_CMD_CFGI_STE_RANGE
        { 0x05, CommandKind.CfgiCd },           // CMDQ_OP_CFGI_CD
        { 0x06, CommandKind.CfgiCdAll },        // CMDQ_OP_CFGI_CD_ALL
        { 0x10, CommandKind.TlbiNhAll },        // CMDQ_OP_TLBI_NH_ALL
        { 0x11, CommandKind.TlbiNhAsid },       // CMDQ_OP_TLBI_NH_ASID
        { 0x12, CommandKind.TlbiNhVa },         // CMDQ_OP_TLBI_NH_VA
        { 0x13, CommandKind.TlbiNhVaa },        // CMDQ_OP_TLBI_NH_VAA (iommufd)
        { 0x20, CommandKind.TlbiEl2All },       // CMDQ_OP_TLBI_EL2_ALL
        { 0x21, CommandKind.TlbiEl2Asid },      // CMDQ_OP_TLBI_EL2_ASID
        { 0x22, CommandKind.TlbiEl2Va },        // CMDQ_OP_TLBI_EL2_VA
        { 0x23, CommandKind.TlbiEl2Vaa },       // SMMU_CMD_TLBI_EL2_VAA
        { 0x28, CommandKind.TlbiS12Vmall },     // CMDQ_OP_TLBI_S12_VMALL
        { 0x2A, CommandKind.TlbiS2Ipa },        // CMDQ_OP_TLBI_S2_IPA
        { 0x30, CommandKind.TlbiNsnhAll },      // CMDQ_OP_TLBI_NSNH_ALL
        { 0x40, CommandKind.AtcInv },           // CMDQ_OP_ATC_INV
        { 0x41, CommandKind.PriResp },          // CMDQ_OP_PRI_RESP
        { 0x44, CommandKind.Resume },           // CMDQ_OP_RESUME
        { 0x45, CommandKind.StallTerm },        // SMMU_CMD_STALL_TERM
        { 0x46, CommandKind.CmdSync },          // CMDQ_OP_CMD_SYNC
    };

    [Theory]
    [MemberData(nameof(Opcodes))]
    public void OpcodeSelectsTheMember(ulong opcode, CommandKind kind)
    {
        Assert.Equal(kind, CommandSet.KindOf(opcode));
        var set = CommandSet.Decode(FromQwords(opcode | 0xABCD_0000_0000_0000UL, 0));
        Assert.Equal(kind, set.Kind);
        Assert.Equal(opcode, set.Opcode);
        Assert.Equal(DecodeError.None, set.Error);
        Assert.True(set.IsKnown);
    }

    [Theory]
    [InlineData(0x00UL)] // SMMU_CMD_NONE
    [InlineData(0x07UL)] // QEMU's SMMU_CMD_CFGI_ALL enum value (no consumer case; CERROR_ILL)
    [InlineData(0x18UL)] // SMMU_CMD_TLBI_EL3_ALL (Secure only)
    [InlineData(0x1AUL)] // SMMU_CMD_TLBI_EL3_VA
    [InlineData(0x47UL)]
    [InlineData(0xFFUL)]
    public void OtherOpcodesAreIllegal(ulong opcode)
    {
        // QEMU smmuv3_cmdq_consume default: cmd_error = SMMU_CERROR_ILL.
        var set = CommandSet.Decode(FromQwords(opcode, 0));
        Assert.Equal(CommandKind.Unknown, set.Kind);
        Assert.Equal(DecodeError.UnknownOpcode, set.Error);
        Assert.Equal("CERROR_ILL", CommandSet.UnknownError);
    }

    [Fact]
    public void LinuxCommandsRoundTripThroughTheSet()
    {
        // A TLBI_NH_VA as arm_smmu_cmdq_build_cmd builds it (see TlbiNhCommandTests): the set hands back the member.
        var bytes = FromQwords(0x8001_8000_0101_0012UL, 0x8000_1234_5678_9A01UL);
        var set = CommandSet.Decode(bytes);
        Assert.Equal(CommandKind.TlbiNhVa, set.Kind);
        Assert.True(set.TryGet(out TlbiNhVa va));
        Assert.False(set.TryGet(out CmdSync _));
        Assert.Equal(0x8001UL, va.Asid);
        Assert.Equal(bytes, va.ToBytes());
        Assert.True(set.Validate().IsValid);
        Assert.Equal(0x12UL, FieldGet(Cmdq0Op, set.GetWord(0)));
    }

    [Fact]
    public void ShortInputIsTooShort()
    {
        Assert.Equal(DecodeError.TooShort, CommandSet.Decode(new byte[15]).Error);
        Assert.Equal(16, CommandSet.SizeBytes);
    }
}
