using System;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>Builds the 256-bit event record of a fault with the generated event encoders (Arm IHI 0070 §7.3).</summary>
internal static class SmmuV3EventRecords
{
    /// <summary>Writes the record for <paramref name="f"/> into <paramref name="destination"/> (32 bytes); false for a fault that records nothing.</summary>
    public static bool TryEncode(in SmmuV3Fault f, Span<byte> destination)
    {
        var ssv = f.Ssid is not null;
        var ssid = (ulong)(f.Ssid ?? 0);
        var rnw = (f.Access & Access.Write) == 0;
        var pnu = (f.Access & Access.Privileged) != 0;
        var ind = (f.Access & Access.Execute) != 0;
        var ipa = f.Ipa & ~0xFFFUL;
        switch (f.Code)
        {
            case "C_BAD_STREAMID":
                CBadStreamid.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WriteTo(destination);
                return true;
            case "F_STE_FETCH":
                FSteFetch.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WithFetchAddr(f.FetchAddress & ~7UL).WriteTo(destination);
                return true;
            case "C_BAD_STE":
                CBadSte.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WriteTo(destination);
                return true;
            case "F_STREAM_DISABLED":
                FStreamDisabled.Create().WithSid(f.Sid).WriteTo(destination);
                return true;
            case "C_BAD_SUBSTREAMID":
                CBadSubstreamid.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WriteTo(destination);
                return true;
            case "F_CD_FETCH":
                FCdFetch.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WithFetchAddr(f.FetchAddress & ~7UL).WriteTo(destination);
                return true;
            case "C_BAD_CD":
                CBadCd.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WriteTo(destination);
                return true;
            case "F_WALK_EABT":
                FWalkEabt.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WithRnW(rnw).WithPnU(pnu).WithInD(ind).WithS2(f.S2).WithClass(f.Class)
                    .WithInputAddr(f.InputAddress).WithFetchAddr(f.FetchAddress & ~7UL).WriteTo(destination);
                return true;
            case "F_TRANSLATION":
                FTranslation.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WithRnW(rnw).WithPnU(pnu).WithInD(ind).WithS2(f.S2).WithClass(f.Class)
                    .WithInputAddr(f.InputAddress).WithIpa(f.S2 ? ipa : 0).WriteTo(destination);
                return true;
            case "F_ADDR_SIZE":
                FAddrSize.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WithRnW(rnw).WithPnU(pnu).WithInD(ind).WithS2(f.S2).WithClass(f.Class)
                    .WithInputAddr(f.InputAddress).WithIpa(f.S2 ? ipa : 0).WriteTo(destination);
                return true;
            case "F_ACCESS":
                FAccess.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WithRnW(rnw).WithPnU(pnu).WithInD(ind).WithS2(f.S2).WithClass(f.Class)
                    .WithInputAddr(f.InputAddress).WithIpa(f.S2 ? ipa : 0).WriteTo(destination);
                return true;
            case "F_PERMISSION":
                FPermission.Create().WithSid(f.Sid).WithSsv(ssv).WithSsid(ssid).WithRnW(rnw).WithPnU(pnu).WithInD(ind).WithS2(f.S2).WithClass(f.Class)
                    .WithInputAddr(f.InputAddress).WithIpa(f.S2 ? ipa : 0).WriteTo(destination);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The record with its StreamID replaced by <paramref name="vsid"/> (<c>arm_vmaster_report_event</c>), for the kinds
    /// Linux forwards to a vEVENTQ (<c>arm_smmu_handle_event</c>: C_BAD_STE, F_STREAM_DISABLED, C_BAD_SUBSTREAMID,
    /// C_BAD_CD, F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION, each only with S2 = 0); false otherwise.
    /// </summary>
    public static bool TryRewriteForGuest(in EventSet e, ulong vsid, Span<byte> destination)
    {
        switch (e.Kind)
        {
            case EventKind.CBadSte when e.TryGet(out CBadSte v):
                v.WithSid(vsid).WriteTo(destination);
                return true;
            case EventKind.FStreamDisabled when e.TryGet(out FStreamDisabled v):
                v.WithSid(vsid).WriteTo(destination);
                return true;
            case EventKind.CBadSubstreamid when e.TryGet(out CBadSubstreamid v):
                v.WithSid(vsid).WriteTo(destination);
                return true;
            case EventKind.CBadCd when e.TryGet(out CBadCd v):
                v.WithSid(vsid).WriteTo(destination);
                return true;
            case EventKind.FTranslation when e.TryGet(out FTranslation v) && !v.S2:
                v.WithSid(vsid).WriteTo(destination);
                return true;
            case EventKind.FAddrSize when e.TryGet(out FAddrSize v) && !v.S2:
                v.WithSid(vsid).WriteTo(destination);
                return true;
            case EventKind.FAccess when e.TryGet(out FAccess v) && !v.S2:
                v.WithSid(vsid).WriteTo(destination);
                return true;
            case EventKind.FPermission when e.TryGet(out FPermission v) && !v.S2:
                v.WithSid(vsid).WriteTo(destination);
                return true;
            default:
                return false;
        }
    }
}
