using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// Two vectors for every event type - one with small values, one with the top bit of every multi-bit field set -
/// written by QEMU smmuv3_record_event where QEMU records the type and with the Linux EVTQ_* masks otherwise, decoded
/// through <see cref="EventSet"/>.
/// </summary>
public sealed class EventTopBitTests
{
    public static TheoryData<uint, bool> QemuRecordedTypes()
    {
        var data = new TheoryData<uint, bool>();
        foreach (var type in new[]
        {
            EvtFUut, EvtCBadStreamId, EvtFSteFetch, EvtCBadSte, EvtFStreamDisabled, EvtFTransForbidden, EvtCBadSubstreamId,
            EvtFCdFetch, EvtCBadCd, EvtFWalkEabt, EvtFTranslation, EvtFAddrSize, EvtFAccess, EvtFPermission, EvtFCfgConflict,
        })
        {
            data.Add(type, false);
            data.Add(type, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(QemuRecordedTypes))]
    public void QemuRecordDecodes(uint type, bool top)
    {
        var info = top
            ? new EventInfo(type, 0x8000_0000)
            {
                Ssid = 0x80000,
                Ssv = true,
                Stall = true,
                Stag = 0x8000,
                S2 = true,
                Class = 2,
                Rnw = true,
                Pnu = true,
                Ind = true,
                Addr = 0x8008_0000_0000_0000,
                Addr2 = 0x0008_0000_0000_0000,
            }
            : new EventInfo(type, 1) { Ssid = 1, Addr = 0x1000, Addr2 = 0x2000 };
        var record = RecordEvent(info);
        var set = EventSet.Decode(FromWords(record));
        Assert.Equal(type, (uint)set.Opcode);
        Assert.True(set.IsKnown);
        Assert.True(set.Validate().IsValid);

        var view = EventView.Of(set);
        Assert.Equal(info.Sid, view.Sid);

        // Which fields QEMU fills per type (smmuv3_record_event).
        var hasSsv = type is not (EvtFStreamDisabled or EvtFTransForbidden or EvtCBadSubstreamId);
        var hasSsid = hasSsv || type == EvtCBadSubstreamId;
        Assert.Equal(hasSsid ? info.Ssid : 0, view.Ssid);
        Assert.Equal(hasSsv && info.Ssv, view.Ssv);

        var full = type is EvtFWalkEabt or EvtFTranslation or EvtFAddrSize or EvtFAccess or EvtFPermission;
        if (full)
        {
            Assert.Equal(info.Stall, view.Stall);
            Assert.Equal(info.Stag, view.Stag);
            Assert.Equal(info.S2, view.S2);
            Assert.Equal(info.Class, view.Class);
            Assert.Equal(info.Pnu, view.PnU);
            Assert.Equal(info.Ind, view.InD);
            Assert.Equal(info.Rnw, view.RnW);
            Assert.Equal(info.Addr, view.InputAddr);
            Assert.Equal(info.Addr2, view.SecondAddr); // IPA (51:12) or FetchAddr (51:3)
        }

        if (type == EvtFUut)
        {
            Assert.Equal(info.Addr, view.InputAddr);
            Assert.Equal((info.Rnw, info.Pnu, info.Ind), (view.RnW, view.PnU, view.InD));
        }

        if (type == EvtFTransForbidden)
        {
            Assert.Equal(info.Addr, view.InputAddr);
            Assert.Equal(info.Rnw, view.RnW);
        }

        if (type == EvtFSteFetch)
        {
            Assert.Equal(info.Addr & Evtq3FetchAddr, view.SecondAddr);
        }

        // Linux arm_smmu_decode_event reads the same header.
        var q = Qwords(FromWords(record));
        Assert.Equal(view.Sid, FieldGet(Evtq0Sid, q[0]));
        Assert.Equal(view.Ssid, FieldGet(Evtq0Ssid, q[0]));
    }

    [Theory]
    [InlineData(0x05U, false)]
    [InlineData(0x05U, true)]
    [InlineData(0x20U, false)]
    [InlineData(0x20U, true)]
    [InlineData(0x24U, false)]
    [InlineData(0x24U, true)]
    [InlineData(0x25U, false)]
    [InlineData(0x25U, true)]
    public void LinuxOnlyTypesDecode(uint type, bool top)
    {
        // F_BAD_ATS_TREQ, F_TLB_CONFLICT, E_PAGE_REQUEST, F_VMS_FETCH: QEMU asserts it never records them.
        var sid = top ? 0x8000_0000UL : 2;
        var ssid = top ? 0x80000UL : 3;
        var fetch = top ? 0x0008_0000_0000_0000UL : 0x40;
        var words = new ulong[] { type | (top ? Evtq0Ssv : 0) | FieldPrep(Evtq0Ssid, ssid) | FieldPrep(Evtq0Sid, sid), 0, 0, type == 0x25 ? fetch : 0 };
        var set = EventSet.Decode(FromQwords(words));
        var view = EventView.Of(set);
        Assert.Equal(type, (uint)set.Opcode);
        Assert.Equal(sid, view.Sid);
        Assert.Equal(ssid, view.Ssid);
        Assert.Equal(top, view.Ssv);
        Assert.Equal(type == 0x25 ? fetch : 0, view.SecondAddr);
        Assert.True(set.Validate().IsValid);
    }

    /// <summary>The fields of any decoded event, read through the generated member structs.</summary>
    private sealed record EventView(ulong Sid, ulong Ssid, bool Ssv)
    {
        public bool Stall { get; init; }
        public ulong Stag { get; init; }
        public bool S2 { get; init; }
        public uint Class { get; init; }
        public bool RnW { get; init; }
        public bool PnU { get; init; }
        public bool InD { get; init; }
        public ulong InputAddr { get; init; }
        public ulong SecondAddr { get; init; }

        public static EventView Of(EventSet set)
        {
            switch (set.Kind)
            {
                case EventKind.FUut when set.TryGet(out FUut e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv) { RnW = e.RnW, PnU = e.PnU, InD = e.InD, InputAddr = e.InputAddr };
                case EventKind.CBadStreamid when set.TryGet(out CBadStreamid e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv);
                case EventKind.FSteFetch when set.TryGet(out FSteFetch e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv) { SecondAddr = e.FetchAddr };
                case EventKind.CBadSte when set.TryGet(out CBadSte e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv);
                case EventKind.FBadAtsTreq when set.TryGet(out FBadAtsTreq e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv);
                case EventKind.FStreamDisabled when set.TryGet(out FStreamDisabled e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv);
                case EventKind.FTranslForbidden when set.TryGet(out FTranslForbidden e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv) { RnW = e.RnW, InputAddr = e.InputAddr };
                case EventKind.CBadSubstreamid when set.TryGet(out CBadSubstreamid e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv);
                case EventKind.FCdFetch when set.TryGet(out FCdFetch e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv) { SecondAddr = e.FetchAddr };
                case EventKind.CBadCd when set.TryGet(out CBadCd e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv);
                case EventKind.FWalkEabt when set.TryGet(out FWalkEabt e):
                    return Full(e.Sid, e.Ssid, e.Ssv, e.Stall, e.Stag, e.S2, e.Class, e.RnW, e.PnU, e.InD, e.InputAddr, e.FetchAddr);
                case EventKind.FTranslation when set.TryGet(out FTranslation e):
                    return Full(e.Sid, e.Ssid, e.Ssv, e.Stall, e.Stag, e.S2, e.Class, e.RnW, e.PnU, e.InD, e.InputAddr, e.Ipa);
                case EventKind.FAddrSize when set.TryGet(out FAddrSize e):
                    return Full(e.Sid, e.Ssid, e.Ssv, e.Stall, e.Stag, e.S2, e.Class, e.RnW, e.PnU, e.InD, e.InputAddr, e.Ipa);
                case EventKind.FAccess when set.TryGet(out FAccess e):
                    return Full(e.Sid, e.Ssid, e.Ssv, e.Stall, e.Stag, e.S2, e.Class, e.RnW, e.PnU, e.InD, e.InputAddr, e.Ipa);
                case EventKind.FPermission when set.TryGet(out FPermission e):
                    return Full(e.Sid, e.Ssid, e.Ssv, e.Stall, e.Stag, e.S2, e.Class, e.RnW, e.PnU, e.InD, e.InputAddr, e.Ipa);
                case EventKind.FTlbConflict when set.TryGet(out FTlbConflict e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv);
                case EventKind.FCfgConflict when set.TryGet(out FCfgConflict e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv);
                case EventKind.EPageRequest when set.TryGet(out EPageRequest e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv);
                case EventKind.FVmsFetch when set.TryGet(out FVmsFetch e):
                    return new EventView(e.Sid, e.Ssid, e.Ssv) { SecondAddr = e.FetchAddr };
                default:
                    throw new Xunit.Sdk.XunitException($"unexpected event {set.Kind}");
            }
        }

        private static EventView Full(ulong sid, ulong ssid, bool ssv, bool stall, ulong stag, bool s2, FaultClass cls, bool rnw, bool pnu, bool ind, ulong input, ulong second) =>
            new(sid, ssid, ssv) { Stall = stall, Stag = stag, S2 = s2, Class = (uint)cls, RnW = rnw, PnU = pnu, InD = ind, InputAddr = input, SecondAddr = second };
    }
}
