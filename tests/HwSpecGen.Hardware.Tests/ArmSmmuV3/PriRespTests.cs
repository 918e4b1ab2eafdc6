using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>CMD_PRI_RESP against Linux arm_smmu_cmdq_build_cmd / arm_smmu_handle_ppr, and the QEMU CMD_RESP disagreement.</summary>
public sealed class PriRespTests
{
    // arm_smmu_cmdq_build_cmd(CMDQ_OP_PRI_RESP, substream_valid, pri.ssid = 0x80000, pri.sid = 0x8000_0000,
    // pri.grpid = 0x100, pri.resp = PRI_RESP_SUCC (2)):
    //   cmd[0] = 0x41 | SSV | 0x80000 << 12 | sid << 32; cmd[1] = FIELD_PREP(GRPID 8:0, 0x100) | FIELD_PREP(RESP 13:12, 2)
    private static readonly ulong[] LinuxPriRespSuccess = { 0x8000_0000_8000_0841UL, 0x0000_0000_0000_2100UL };

    // arm_smmu_handle_ppr for a last request without PASID: ssv = 0, ssid = IOMMU_NO_PASID (0), grpid = 0x1FF,
    // resp = PRI_RESP_DENY (0), sid = 1.
    private static readonly ulong[] LinuxPriRespDeny = { 0x0000_0001_0000_0041UL, 0x0000_0000_0000_01FFUL };

    [Fact]
    public void LinuxPriRespDecodes()
    {
        var a = Decode<PriResp>(FromQwords(LinuxPriRespSuccess));
        Assert.True(a.Ssv);
        Assert.Equal(0x80000UL, a.Ssid);
        Assert.Equal(0x8000_0000UL, a.Sid);
        Assert.Equal(0x100UL, a.PrgIndex);
        Assert.Equal(PriResponse.Success, a.Resp);
        Assert.True(a.Validate().IsValid);

        var b = Decode<PriResp>(FromQwords(LinuxPriRespDeny));
        Assert.False(b.Ssv);
        Assert.Equal(1UL, b.Sid);
        Assert.Equal(0x1FFUL, b.PrgIndex);
        Assert.Equal(PriResponse.ResponseFailure, b.Resp);
        Assert.True(b.Validate().IsValid);

        Assert.Equal(FromQwords(LinuxPriRespSuccess), PriResp.Create().WithSsv(true).WithSsid(0x80000).WithSid(0x8000_0000).WithPrgIndex(0x100).WithResp(PriResponse.Success).ToBytes());
        Assert.Equal(FromQwords(LinuxPriRespDeny), PriResp.Create().WithSid(1).WithPrgIndex(0x1FF).WithResp(PriResponse.ResponseFailure).ToBytes());
    }

    [Fact]
    public void PriRespEncodingsMatchLinuxPriResp()
    {
        // enum pri_resp: PRI_RESP_DENY = 0, PRI_RESP_FAIL = 1, PRI_RESP_SUCC = 2 (the PCIe PRG response codes).
        Assert.Equal(0UL, (ulong)PriResponse.ResponseFailure);
        Assert.Equal(1UL, (ulong)PriResponse.InvalidRequest);
        Assert.Equal(2UL, (ulong)PriResponse.Success);

        // Linux returns -EINVAL for any other value; 0b11 is reserved.
        var reserved = Decode<PriResp>(FromQwords(LinuxPriRespDeny[0], LinuxPriRespDeny[1] | FieldPrep(CmdqPri1Resp, 3)));
        Assert.Equal(new[] { "RespNotReserved" }, ViolatedRules(reserved));
        Assert.False(reserved.Validate().IsValid);
    }

    [Fact]
    public void QemuCmdRespReadsOneBitLower()
    {
        // Disagreement: QEMU's CMD_RESP is extract32(word[2], 11, 2) = command bits 76:75, while Linux
        // CMDQ_PRI_1_RESP is GENMASK_ULL(13, 12) of cmd[1] = bits 77:76. QEMU does not implement PRI_RESP (it
        // never evaluates CMD_RESP), so we follow Linux and the spec. With Resp = Success (0b10):
        var w = Words(FromQwords(LinuxPriRespSuccess));
        Assert.Equal(0x41U, CmdType(w));
        Assert.Equal(0x8000_0000U, CmdSid(w));
        Assert.Equal(0x80000U, CmdSsid(w));
        Assert.Equal(1U, CmdSsv(w));
        Assert.Equal(0U, CmdResp(w)); // Linux's 0b10 sits at bits 13:12 of word[2]; QEMU's 12:11 window sees 0b00
        Assert.Equal(PriResponse.Success, Decode<PriResp>(FromQwords(LinuxPriRespSuccess)).Resp);
        Assert.Equal(2UL, FieldGet(CmdqPri1Resp, LinuxPriRespSuccess[1]));

        // PRI_RESP_FAIL (0b01) lands on QEMU's upper bit: QEMU would read 0b10.
        Assert.Equal(2U, CmdResp(Words(PriResp.Create().WithResp(PriResponse.InvalidRequest).ToBytes())));
    }

    [Fact]
    public void ReservedBits()
    {
        // Bits 10:8 (no SSec in PRI_RESP), 75:73 and 127:78 are RES0.
        var v = Decode<PriResp>(FromQwords(LinuxPriRespDeny[0] | 0x700, LinuxPriRespDeny[1] | (7UL << 9) | (1UL << 14))).Validate();
        Assert.Equal(0x700UL, v.ReservedBitsSet(0));
        Assert.Equal((7UL << 9) | (1UL << 14), v.ReservedBitsSet(1));
    }
}
