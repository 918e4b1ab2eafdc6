using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// Event records QEMU never writes (F_BAD_ATS_TREQ, F_TLB_CONFLICT, E_PAGE_REQUEST, F_VMS_FETCH), built with the
/// Linux EVTQ_* masks that arm_smmu_decode_event / arm_smmu_handle_evt read, and our encoders checked against them.
/// </summary>
public sealed class EventRecordLinuxTests
{
    [Fact]
    public void StreamHeaderEvents()
    {
        // The common header of every record: EVTQ_0_ID 7:0, EVTQ_0_SSV bit 11, EVTQ_0_SSID 31:12, EVTQ_0_SID 63:32.
        var header = FieldPrep(Evtq0Ssid, 0x80000) | Evtq0Ssv | FieldPrep(Evtq0Sid, 0x8000_0000);

        var ats = Decode<FBadAtsTreq>(FromQwords(0x05 | header, 0, 0, 0));
        Assert.Equal(0x8000_0000UL, ats.Sid);
        Assert.Equal(0x80000UL, ats.Ssid);
        Assert.True(ats.Ssv);
        Assert.Equal(FromQwords(0x05 | header, 0, 0, 0), FBadAtsTreq.Create().WithSid(0x8000_0000).WithSsid(0x80000).WithSsv(true).ToBytes());

        var tlb = Decode<FTlbConflict>(FromQwords(0x20 | FieldPrep(Evtq0Sid, 0xFFFF_FFFF), 0, 0, 0));
        Assert.Equal(0xFFFF_FFFFUL, tlb.Sid);
        Assert.False(tlb.Ssv);

        var pri = Decode<EPageRequest>(FromQwords(0x24 | header, 0, 0, 0));
        Assert.Equal(0x8000_0000UL, pri.Sid);
        Assert.Equal(0x24UL, pri.EventId);
    }

    [Fact]
    public void PayloadsWeDoNotDecodeAreIgnored()
    {
        // The records' type-specific payloads (Reason, ATS/PRI request fields, ...) are not confirmed by the sources
        // and are left ignored: any value keeps the record valid and decodes to the same header.
        var bytes = FromQwords(0x24 | FieldPrep(Evtq0Sid, 3) | 0x700, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);
        var e = Decode<EPageRequest>(bytes);
        Assert.True(e.Validate().IsValid);
        Assert.Equal(3UL, e.Sid);
        Assert.Equal(bytes, e.ToBytes());
    }

    [Fact]
    public void VmsFetchCarriesAFetchAddress()
    {
        // F_VMS_FETCH (0x25) shares the F_STE_FETCH layout: FetchAddr in dword 3 (Linux EVTQ_3_FETCH_ADDR 51:3).
        var e = Decode<FVmsFetch>(FromQwords(0x25 | FieldPrep(Evtq0Sid, 9), 0, 0, 0x0000_8000_0000_0008UL & Evtq3FetchAddr));
        Assert.Equal(0x0000_8000_0000_0008UL, e.FetchAddr);
        Assert.Equal(9UL, e.Sid);
        var built = FVmsFetch.Create().WithSid(9).WithFetchAddr(0x000F_FFFF_FFFF_FFF8);
        Assert.Equal(0x000F_FFFF_FFFF_FFF8UL, Qwords(built.ToBytes())[3] & Evtq3FetchAddr);
    }

    [Fact]
    public void LinuxTranslationFaultFields()
    {
        // arm_smmu_decode_event: id, ssv, ssid, sid, stag, stall, class, iova = evt[2], ipa = evt[3] & EVTQ_3_IPA,
        // ttrnw = EVTQ_1_TT_READ (bit 44) - the TtRnW bit QEMU never sets.
        var words = new[]
        {
            0x13UL | Evtq0Ssv | FieldPrep(Evtq0Ssid, 0xFFFFF) | FieldPrep(Evtq0Sid, 0x8000_0000),
            FieldPrep(Evtq1Stag, 0xFFFF) | Evtq1Stall | Evtq1RnW | Evtq1S2 | FieldPrep(Evtq1Class, 2) | Evtq1TtRead,
            0xFFFF_FFFF_FFFF_FFFFUL,
            0x000F_FFFF_FFFF_F000UL,
        };
        var e = Decode<FPermission>(FromQwords(words));
        Assert.Equal(0xFFFFUL, e.Stag);
        Assert.True(e.Stall && e.RnW && e.S2 && e.TtRnW);
        Assert.False(e.PnU || e.InD);
        Assert.Equal(FaultClass.In, e.Class);
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, e.Ipa);
        Assert.Equal(FromQwords(words), FPermission.Create().WithSsv(true).WithSsid(0xFFFFF).WithSid(0x8000_0000).WithStag(0xFFFF).WithStall(true)
            .WithRnW(true).WithS2(true).WithClass(FaultClass.In).WithTtRnW(true).WithInputAddr(ulong.MaxValue).WithIpa(0x000F_FFFF_FFFF_F000).ToBytes());
    }
}
