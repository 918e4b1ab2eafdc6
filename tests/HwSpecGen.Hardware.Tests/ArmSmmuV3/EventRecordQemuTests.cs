using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// Event records written by QEMU hw/arm/smmuv3.c <c>smmuv3_record_event</c> (EVT_SET_* on <c>Evt.word[8]</c>),
/// decoded by our structs, and read back with Linux EVTQ_* masks (arm_smmu_handle_evt / arm_smmu_decode_event).
/// </summary>
public sealed class EventRecordQemuTests
{
    [Fact]
    public void TranslationFaultFromQemu()
    {
        // A stage-2 (S2 = 1) translation fault for SID 0x8000_0001, SSID 0x80000: stall with STAG 0x8000, class IN (2), write,
        // privileged instruction fetch, input 0x8000_0000_DEAD_B000, addr2 (IPA) 0x000F_8000_0000_0000.
        var evt = RecordEvent(new EventInfo(EvtFTranslation, 0x8000_0001)
        {
            Ssid = 0x80000,
            Ssv = true,
            Stall = true,
            Stag = 0x8000,
            S2 = true,
            Class = 2,
            Rnw = false,
            Pnu = true,
            Ind = true,
            Addr = 0x8000_0000_DEAD_B000,
            Addr2 = 0x000F_8000_0000_0000,
        });
        var set = EventSet.Decode(FromWords(evt));
        Assert.Equal(EventKind.FTranslation, set.Kind);
        Assert.True(set.TryGet(out FTranslation f));
        Assert.Equal(0x8000_0001UL, f.Sid);
        Assert.True(f.Ssv);
        Assert.Equal(0x80000UL, f.Ssid);
        Assert.True(f.Stall);
        Assert.Equal(0x8000UL, f.Stag);
        Assert.True(f.S2);
        Assert.Equal(FaultClass.In, f.Class);
        Assert.False(f.RnW);
        Assert.True(f.PnU);
        Assert.True(f.InD);
        Assert.Equal(0x8000_0000_DEAD_B000UL, f.InputAddr);
        Assert.Equal(0x000F_8000_0000_0000UL, f.Ipa);
        Assert.True(f.Validate().IsValid);

        // Linux arm_smmu_handle_evt / arm_smmu_decode_event on the same record.
        var q = Qwords(FromWords(evt));
        Assert.Equal(0x10UL, FieldGet(Evtq0Id, q[0]));
        Assert.Equal(0x8000_0001UL, FieldGet(Evtq0Sid, q[0]));
        Assert.Equal(0x80000UL, FieldGet(Evtq0Ssid, q[0]));
        Assert.Equal(0x8000UL, FieldGet(Evtq1Stag, q[1]));
        Assert.Equal(Evtq1Stall | Evtq1PnU | Evtq1InD | Evtq1S2, q[1] & (Evtq1Stall | Evtq1PnU | Evtq1InD | Evtq1RnW | Evtq1S2));
        Assert.Equal(2UL, FieldGet(Evtq1Class, q[1]));
        Assert.Equal(0x000F_8000_0000_0000UL, q[3] & Evtq3Ipa);
    }

    [Fact]
    public void PermissionAccessAddressSizeFromQemu()
    {
        // Same FullInfo path, read fault, class TT (1), no stall, IPA with page-offset bits that the record ignores.
        foreach (var type in new[] { EvtFPermission, EvtFAccess, EvtFAddrSize })
        {
            var evt = RecordEvent(new EventInfo(type, 0xFFFF_FFFF)
            {
                Ssid = 0xFFFFF,
                Ssv = true,
                Class = 1,
                Rnw = true,
                Addr = ulong.MaxValue,
                Addr2 = 0x0000_1234_5678_9ABC,
            });
            var set = EventSet.Decode(FromWords(evt));
            Assert.Equal(type, (uint)set.Opcode);
            var words = Qwords(FromWords(evt));
            var (sid, ssid, cls, rnw, input, ipa) = type switch
            {
                EvtFPermission => Fields(FromWords(evt), (FPermission e) => (e.Sid, e.Ssid, e.Class, e.RnW, e.InputAddr, e.Ipa)),
                EvtFAccess => Fields(FromWords(evt), (FAccess e) => (e.Sid, e.Ssid, e.Class, e.RnW, e.InputAddr, e.Ipa)),
                _ => Fields(FromWords(evt), (FAddrSize e) => (e.Sid, e.Ssid, e.Class, e.RnW, e.InputAddr, e.Ipa)),
            };
            Assert.Equal(0xFFFF_FFFFUL, sid);
            Assert.Equal(0xFFFFFUL, ssid);
            Assert.Equal(FaultClass.Tt, cls);
            Assert.True(rnw);
            Assert.Equal(ulong.MaxValue, input);
            Assert.Equal(0x0000_1234_5678_9000UL, ipa);
            Assert.Equal(words[3] & Evtq3Ipa, ipa);
        }
    }

    [Fact]
    public void WalkExternalAbortFromQemu()
    {
        // F_WALK_EABT: addr2 is the descriptor fetch address (8-byte aligned) -> FetchAddr, Linux EVTQ_3_FETCH_ADDR (51:3).
        var evt = RecordEvent(new EventInfo(EvtFWalkEabt, 0x42) { Ssv = false, Class = 0, Rnw = true, Addr = 0x1000, Addr2 = 0x0008_0000_0000_0FF8 });
        var e = Decode<FWalkEabt>(FromWords(evt));
        Assert.Equal(0x42UL, e.Sid);
        Assert.Equal(FaultClass.Cd, e.Class);
        Assert.Equal(0x1000UL, e.InputAddr);
        Assert.Equal(0x0008_0000_0000_0FF8UL, e.FetchAddr);
        Assert.Equal(Qwords(FromWords(evt))[3] & Evtq3FetchAddr, e.FetchAddr);
        Assert.Equal(EventKind.FWalkEabt, EventSet.Decode(FromWords(evt)).Kind);
    }

    [Fact]
    public void UntranslatedAndForbiddenFromQemu()
    {
        var uut = Decode<FUut>(FromWords(RecordEvent(new EventInfo(EvtFUut, 0x8000_0000) { Ssid = 0x80000, Ssv = true, Addr = 0x8000_0000_0000_0000, Rnw = true, Pnu = true, Ind = true })));
        Assert.Equal(0x8000_0000UL, uut.Sid);
        Assert.Equal(0x80000UL, uut.Ssid);
        Assert.True(uut.Ssv && uut.RnW && uut.PnU && uut.InD);
        Assert.Equal(0x8000_0000_0000_0000UL, uut.InputAddr);

        var forbidden = Decode<FTranslForbidden>(FromWords(RecordEvent(new EventInfo(EvtFTransForbidden, 7) { Addr = 0xFFFF_0000_0000_1234, Rnw = false })));
        Assert.Equal(7UL, forbidden.Sid);
        Assert.False(forbidden.RnW);
        Assert.Equal(0xFFFF_0000_0000_1234UL, forbidden.InputAddr);
        Assert.False(forbidden.Ssv);
    }

    [Fact]
    public void ConfigurationErrorsFromQemu()
    {
        // C_BAD_STREAMID, C_BAD_STE, C_BAD_CD and F_CFG_CONFLICT record SSID/SSV; C_BAD_SUBSTREAMID only the SSID.
        var info = new EventInfo(EvtCBadStreamId, 0xFFFF_FFFF) { Ssid = 0x80000, Ssv = true };
        var a = Decode<CBadStreamid>(FromWords(RecordEvent(info)));
        Assert.Equal(0xFFFF_FFFFUL, a.Sid);
        Assert.Equal(0x80000UL, a.Ssid);
        Assert.True(a.Ssv);
        Assert.Equal(0x02UL, a.EventId);

        var ste = Decode<CBadSte>(FromWords(RecordEvent(info with { Type = EvtCBadSte, Sid = 0x8000_0000 })));
        Assert.Equal(0x8000_0000UL, ste.Sid);
        Assert.Equal(0x04UL, ste.EventId);
        var cd = Decode<CBadCd>(FromWords(RecordEvent(info with { Type = EvtCBadCd, Ssid = 0xFFFFF })));
        Assert.Equal(0xFFFFFUL, cd.Ssid);
        Assert.Equal(0x0AUL, cd.EventId);
        var conflict = Decode<FCfgConflict>(FromWords(RecordEvent(info with { Type = EvtFCfgConflict })));
        Assert.Equal(0x21UL, conflict.EventId);
        var sub = Decode<CBadSubstreamid>(FromWords(RecordEvent(info with { Type = EvtCBadSubstreamId })));
        Assert.Equal(0x80000UL, sub.Ssid);
        Assert.False(sub.Ssv);
        var disabled = Decode<FStreamDisabled>(FromWords(RecordEvent(info with { Type = EvtFStreamDisabled })));
        Assert.Equal(0xFFFF_FFFFUL, disabled.Sid);
        Assert.Equal(0UL, disabled.Ssid);
    }

    [Fact]
    public void SteFetchAndCdFetchAddresses()
    {
        // F_STE_FETCH: current QEMU writes the fetch address with EVT_SET_ADDR2 (dword 3), where Linux
        // EVTQ_3_FETCH_ADDR (51:3) and the spec put FetchAddr.
        var steFetch = RecordEvent(new EventInfo(EvtFSteFetch, 0x8000_0000) { Ssid = 1, Ssv = true, Addr = 0x000F_FFFF_FFFF_FFC0 });
        var a = Decode<FSteFetch>(FromWords(steFetch));
        Assert.Equal(0x000F_FFFF_FFFF_FFC0UL, a.FetchAddr);
        Assert.Equal(0x8000_0000UL, a.Sid);

        // Disagreement: for F_CD_FETCH QEMU uses EVT_SET_ADDR (dword 2) instead. We follow Linux/the spec: dword 2 is
        // ignored in F_CD_FETCH, so QEMU's record decodes with FetchAddr = 0.
        var cdFetch = RecordEvent(new EventInfo(EvtFCdFetch, 0x8000_0000) { Ssid = 0x80000, Ssv = true, Addr = 0x8_1234_5000 });
        var b = Decode<FCdFetch>(FromWords(cdFetch));
        Assert.Equal(0UL, b.FetchAddr);
        Assert.Equal(0x8_1234_5000UL, Qwords(FromWords(cdFetch))[2]);
        Assert.Equal(0x80000UL, b.Ssid);
        Assert.True(b.Validate().IsValid);
    }

    [Fact]
    public void QemuEventTypesMatchTheSet()
    {
        Assert.Equal(EventKind.FUut, EventSet.KindOf(EvtFUut));
        Assert.Equal(EventKind.CBadStreamid, EventSet.KindOf(EvtCBadStreamId));
        Assert.Equal(EventKind.FSteFetch, EventSet.KindOf(EvtFSteFetch));
        Assert.Equal(EventKind.CBadSte, EventSet.KindOf(EvtCBadSte));
        Assert.Equal(EventKind.FBadAtsTreq, EventSet.KindOf(EvtFBadAtsTreq));
        Assert.Equal(EventKind.FStreamDisabled, EventSet.KindOf(EvtFStreamDisabled));
        Assert.Equal(EventKind.FTranslForbidden, EventSet.KindOf(EvtFTransForbidden));
        Assert.Equal(EventKind.CBadSubstreamid, EventSet.KindOf(EvtCBadSubstreamId));
        Assert.Equal(EventKind.FCdFetch, EventSet.KindOf(EvtFCdFetch));
        Assert.Equal(EventKind.CBadCd, EventSet.KindOf(EvtCBadCd));
        Assert.Equal(EventKind.FWalkEabt, EventSet.KindOf(EvtFWalkEabt));
        Assert.Equal(EventKind.FTranslation, EventSet.KindOf(EvtFTranslation));
        Assert.Equal(EventKind.FAddrSize, EventSet.KindOf(EvtFAddrSize));
        Assert.Equal(EventKind.FAccess, EventSet.KindOf(EvtFAccess));
        Assert.Equal(EventKind.FPermission, EventSet.KindOf(EvtFPermission));
        Assert.Equal(EventKind.FTlbConflict, EventSet.KindOf(EvtFTlbConflict));
        Assert.Equal(EventKind.FCfgConflict, EventSet.KindOf(EvtFCfgConflict));
        Assert.Equal(EventKind.EPageRequest, EventSet.KindOf(EvtEPageReq));
        Assert.Equal(EventKind.FVmsFetch, EventSet.KindOf(0x25));
        Assert.Equal(EventKind.Unknown, EventSet.KindOf(0x00));
        Assert.Equal(EventKind.Unknown, EventSet.KindOf(0xE0)); // IMPLEMENTATION DEFINED events
    }

    private static T Fields<TEvent, T>(byte[] bytes, System.Func<TEvent, T> select)
        where TEvent : struct, HwSpecGen.Runtime.IHardwareFormat<TEvent> => select(Decode<TEvent>(bytes));
}
