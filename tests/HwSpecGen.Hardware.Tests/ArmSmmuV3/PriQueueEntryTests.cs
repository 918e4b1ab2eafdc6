using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>PRI queue entries against the Linux PRIQ_* masks read by arm_smmu_handle_ppr, and the PRI_RESP it answers with.</summary>
public sealed class PriQueueEntryTests
{
    // A last, privileged read/write request with PASID: PRIQ_0_SID 0x8000_0000, PRIQ_0_SSID 0x80000, PERM_PRIV |
    // PERM_READ | PERM_WRITE, PRG_LAST, SSID_V; PRIQ_1_PRG_IDX 0x100, PRIQ_1_ADDR_MASK 0x8000_0000_0000_0000.
    private static readonly ulong[] PprWithPasid =
    {
        FieldPrep(Priq0Sid, 0x8000_0000) | FieldPrep(Priq0Ssid, 0x80000) | Priq0PermPriv | Priq0PermRead | Priq0PermWrite | Priq0PrgLast | Priq0SsidV,
        FieldPrep(Priq1PrgIdx, 0x100) | 0x8000_0000_0000_0000UL,
    };

    // A non-last unprivileged execute request without PASID: SID ~0, SSID bits present but SSV clear, group 0x1FF,
    // address 0xFFFF_FFFF_FFFF_F000.
    private static readonly ulong[] PprWithoutPasid =
    {
        FieldPrep(Priq0Sid, 0xFFFF_FFFF) | FieldPrep(Priq0Ssid, 0xFFFFF) | Priq0PermExec,
        FieldPrep(Priq1PrgIdx, 0x1FF) | 0xFFFF_FFFF_FFFF_F000UL,
    };

    [Fact]
    public void LinuxPriqFieldsDecode()
    {
        Assert.Equal(new[] { 0xF408_0000_8000_0000UL, 0x8000_0000_0000_0100UL }, PprWithPasid);
        var a = Decode<PriQueueEntry>(FromQwords(PprWithPasid));
        Assert.Equal(0x8000_0000UL, a.Sid);
        Assert.Equal(0x80000UL, a.Ssid);
        Assert.True(a.Ssv && a.Last && a.PrivAccess && a.ReadAccess && a.WriteAccess);
        Assert.False(a.ExecAccess);
        Assert.Equal(0x100UL, a.PrgIndex);
        Assert.Equal(0x8000_0000_0000_0000UL, a.PageAddress);
        Assert.True(a.Validate().IsValid);

        var b = Decode<PriQueueEntry>(FromQwords(PprWithoutPasid));
        Assert.Equal(0xFFFF_FFFFUL, b.Sid);
        Assert.Equal(0xFFFFFUL, b.Ssid);
        Assert.False(b.Ssv || b.Last || b.PrivAccess || b.ReadAccess || b.WriteAccess);
        Assert.True(b.ExecAccess);
        Assert.Equal(0x1FFUL, b.PrgIndex);
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL, b.PageAddress);

        Assert.Equal(FromQwords(PprWithPasid), PriQueueEntry.Create().WithSid(0x8000_0000).WithSsid(0x80000).WithPrivAccess(true).WithReadAccess(true)
            .WithWriteAccess(true).WithLast(true).WithSsv(true).WithPrgIndex(0x100).WithPageAddress(0x8000_0000_0000_0000).ToBytes());
    }

    [Fact]
    public void HandlePprAnswersALastRequestWithDeny()
    {
        // arm_smmu_handle_ppr: ssid = ssv ? FIELD_GET(PRIQ_0_SSID) : IOMMU_NO_PASID; for a last request it issues
        // CMDQ_OP_PRI_RESP with substream_valid = ssv, sid, ssid, grpid = PRIQ_1_PRG_IDX, resp = PRI_RESP_DENY.
        var req = Decode<PriQueueEntry>(FromQwords(PprWithPasid));
        var resp = PriResp.Create().WithSsv(req.Ssv).WithSid(req.Sid).WithSsid(req.Ssv ? req.Ssid : 0).WithPrgIndex(req.PrgIndex)
            .WithResp(PriResponse.ResponseFailure);
        var q = Qwords(resp.ToBytes());
        Assert.Equal(0x41UL | Cmdq0Ssv | FieldPrep(CmdqPri0Ssid, 0x80000) | FieldPrep(CmdqPri0Sid, 0x8000_0000), q[0]);
        Assert.Equal(FieldPrep(CmdqPri1Grpid, 0x100), q[1]);
    }

    [Fact]
    public void UnconfirmedBitsAreIgnored()
    {
        // Bits 57:52 and 75:73 carry nothing Linux reads; they are left ignored (not RES0).
        var e = Decode<PriQueueEntry>(FromQwords(PprWithPasid[0] | (0x3FUL << 52), PprWithPasid[1] | (7UL << 9)));
        Assert.True(e.Validate().IsValid);
        Assert.Equal(0x100UL, e.PrgIndex);
        Assert.Equal(0x80000UL, e.Ssid);
    }
}
