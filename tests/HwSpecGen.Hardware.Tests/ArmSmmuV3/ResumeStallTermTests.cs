using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>CMD_RESUME and CMD_STALL_TERM against Linux arm_smmu_cmdq_build_cmd (CMDQ_RESUME_*) and QEMU CMD_RESUME_*.</summary>
public sealed class ResumeStallTermTests
{
    // arm_smmu_page_response -> arm_smmu_cmdq_build_cmd(CMDQ_OP_RESUME, resume.sid = 0x8000_0000,
    // resume.resp = CMDQ_RESUME_0_RESP_RETRY (1), resume.stag = 0x8000):
    //   cmd[0] = 0x44 | FIELD_PREP(RESP 13:12, 1) | sid << 32; cmd[1] = FIELD_PREP(STAG 15:0, 0x8000)
    private static readonly ulong[] LinuxResumeRetry = { 0x8000_0000_0000_1044UL, 0x0000_0000_0000_8000UL };

    // Same with sid = 0xFFFF_FFFF, resp = CMDQ_RESUME_0_RESP_ABORT (2), stag = 0xFFFF.
    private static readonly ulong[] LinuxResumeAbort = { 0xFFFF_FFFF_0000_2044UL, 0x0000_0000_0000_FFFFUL };

    [Fact]
    public void LinuxResumeDecodes()
    {
        // Linux's 2-bit RESP is the spec's Ac (bit 12, retry) and Ab (bit 13, abort); TERM = 0 is neither.
        var retry = Decode<Resume>(FromQwords(LinuxResumeRetry));
        Assert.Equal(0x8000_0000UL, retry.Sid);
        Assert.True(retry.Ac);
        Assert.False(retry.Ab);
        Assert.Equal(0x8000UL, retry.Stag);
        Assert.True(retry.Validate().IsValid);

        var abort = Decode<Resume>(FromQwords(LinuxResumeAbort));
        Assert.Equal(0xFFFF_FFFFUL, abort.Sid);
        Assert.False(abort.Ac);
        Assert.True(abort.Ab);
        Assert.Equal(0xFFFFUL, abort.Stag);

        Assert.Equal(FromQwords(LinuxResumeRetry), Resume.Create().WithSid(0x8000_0000).WithAc(true).WithStag(0x8000).ToBytes());
        Assert.Equal(FromQwords(LinuxResumeAbort), Resume.Create().WithSid(0xFFFF_FFFF).WithAb(true).WithStag(0xFFFF).ToBytes());
        Assert.Equal(1UL, FieldGet(CmdqResume0Resp, LinuxResumeRetry[0]));
    }

    [Fact]
    public void QemuReadsOurResume()
    {
        // QEMU CMD_RESUME_AC = bit 12, CMD_RESUME_AB = bit 13, CMD_RESUME_STAG = word[2] 15:0, CMD_SID = word[1].
        var w = Words(Resume.Create().WithSid(0x1234_5678).WithAb(true).WithStag(0xBEEF).ToBytes());
        Assert.Equal(0x44U, CmdType(w));
        Assert.Equal(0x1234_5678U, CmdSid(w));
        Assert.Equal(0U, CmdResumeAc(w));
        Assert.Equal(1U, CmdResumeAb(w));
        Assert.Equal(0xBEEFU, CmdResumeStag(w));

        // Bit 11 is RES0 in RESUME (no SSV); SSec on the NS queue is illegal.
        var v = Decode<Resume>(FromQwords(LinuxResumeRetry[0] | (1UL << 11), LinuxResumeRetry[1])).Validate();
        Assert.Equal(1UL << 11, v.ReservedBitsSet(0));
        Assert.Equal(new[] { "NonSecureQueue" }, ViolatedRules(Resume.Create().WithSsec(true)));
    }

    [Fact]
    public void StallTermCarriesOnlyTheStreamId()
    {
        // Never built by Linux; QEMU consumes SMMU_CMD_STALL_TERM with no effect (it has no stall model).
        var a = StallTerm.Create().WithSid(0x8000_0000);
        Assert.Equal(new[] { 0x8000_0000_0000_0045UL, 0UL }, Qwords(a.ToBytes()));
        var w = Words(a.ToBytes());
        Assert.Equal(0x45U, CmdType(w));
        Assert.Equal(0x8000_0000U, CmdSid(w));
        Assert.True(a.Validate().IsValid);

        var b = Decode<StallTerm>(FromQwords(0xFFFF_FFFF_0000_0445UL, 0));
        Assert.Equal(0xFFFF_FFFFUL, b.Sid);
        Assert.True(b.Ssec);
        Assert.Equal(new[] { "NonSecureQueue" }, ViolatedRules(b));

        // A STAG or response in STALL_TERM is RES0.
        var v = Decode<StallTerm>(FromQwords(0x0000_0001_0000_1045UL, 0xFFFF)).Validate();
        Assert.Equal(0x1000UL, v.ReservedBitsSet(0));
        Assert.Equal(0xFFFFUL, v.ReservedBitsSet(1));
    }
}
