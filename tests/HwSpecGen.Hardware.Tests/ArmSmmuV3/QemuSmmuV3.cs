using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// The field accessors of QEMU's SMMUv3 model, restated from their documented bit positions so tests can apply
/// them to our encoders' output: hw/arm/smmuv3-internal.h (<c>CMD_*</c>, <c>EVT_SET_*</c>, <c>L1STD_SPAN</c>,
/// <c>l1std_l2ptr</c>), include/hw/arm/smmuv3-common.h of current qemu master (the <c>REG32</c>/<c>FIELD</c>
/// STE and CD layouts) and, where they differ, the older smmuv3-internal.h STE/CD macros (suffix <c>Old</c>).
/// QEMU keeps commands, STEs, CDs and events as <c>uint32_t word[]</c>.
/// </summary>
internal static class QemuSmmuV3
{
    // ---- commands: Cmd { uint32_t word[4]; }
    public static uint CmdType(uint[] w) => Extract32(w[0], 0, 8);
    public static uint CmdNum(uint[] w) => Extract32(w[0], 12, 5);
    public static uint CmdScale(uint[] w) => Extract32(w[0], 20, 5);
    public static uint CmdSsec(uint[] w) => Extract32(w[0], 10, 1);
    public static uint CmdSsv(uint[] w) => Extract32(w[0], 11, 1);
    public static uint CmdResumeAc(uint[] w) => Extract32(w[0], 12, 1);
    public static uint CmdResumeAb(uint[] w) => Extract32(w[0], 13, 1);
    public static uint CmdSyncCs(uint[] w) => Extract32(w[0], 12, 2);
    public static uint CmdSsid(uint[] w) => Extract32(w[0], 12, 20);
    public static uint CmdSid(uint[] w) => w[1];
    public static uint CmdVmid(uint[] w) => Extract32(w[1], 0, 16);
    public static uint CmdAsid(uint[] w) => Extract32(w[1], 16, 16);
    public static uint CmdResumeStag(uint[] w) => Extract32(w[2], 0, 16);
    public static uint CmdResp(uint[] w) => Extract32(w[2], 11, 2);
    public static uint CmdLeaf(uint[] w) => Extract32(w[2], 0, 1);
    public static uint CmdTtl(uint[] w) => Extract32(w[2], 8, 2);
    public static uint CmdTg(uint[] w) => Extract32(w[2], 10, 2);
    public static uint CmdSteRange(uint[] w) => Extract32(w[2], 0, 5);
    public static ulong CmdAddr(uint[] w) => ((ulong)w[3] << 32) | ((ulong)Extract32(w[2], 12, 20) << 12);

    // QEMU SMMUCommandType values that differ from Linux: SMMU_CMD_CFGI_ALL is 0x07 in QEMU's enum.
    public const uint SmmuCmdCfgiAll = 0x07;
    public const uint SmmuCmdTlbiEl3All = 0x18;

    // QEMU SMMUCmdError.
    public const uint SmmuCerrorNone = 0;
    public const uint SmmuCerrorIll = 1;
    public const uint SmmuCerrorAbt = 2;
    public const uint SmmuCerrorAtcInvSync = 3;

    // ---- STE: STE { uint32_t word[16]; } (smmuv3-common.h FIELDs)
    public static uint SteValid(uint[] w) => Extract32(w[0], 0, 1);
    // STE_CONFIG (named ...Of to keep clear of the SteConfig enum)
    public static uint SteConfigOf(uint[] w) => Extract32(w[0], 1, 3);
    public static uint SteS1Fmt(uint[] w) => Extract32(w[0], 4, 2);
    public static ulong SteCtxPtr(uint[] w) => ((ulong)Extract32(w[0], 6, 26) << 6) | ((ulong)Extract32(w[1], 0, 24) << 32);
    public static uint SteS1CdMax(uint[] w) => Extract32(w[1], 27, 5);
    public static uint SteS1Stalld(uint[] w) => Extract32(w[2], 27, 1);
    public static uint SteEats(uint[] w) => Extract32(w[2], 28, 2);
    public static uint SteStrw(uint[] w) => Extract32(w[2], 30, 2);
    public static uint SteS2Vmid(uint[] w) => Extract32(w[4], 0, 16);
    public static uint SteS2T0sz(uint[] w) => Extract32(w[5], 0, 6);
    public static uint SteS2Sl0(uint[] w) => Extract32(w[5], 6, 2);
    public static uint SteS2Tg(uint[] w) => Extract32(w[5], 14, 2);
    public static uint SteS2Ps(uint[] w) => Extract32(w[5], 16, 3);
    public static uint SteS2Aa64(uint[] w) => Extract32(w[5], 19, 1);
    public static uint SteS2Endi(uint[] w) => Extract32(w[5], 20, 1);
    public static uint SteS2Affd(uint[] w) => Extract32(w[5], 21, 1);
    public static uint SteS2Hd(uint[] w) => Extract32(w[5], 23, 1);
    public static uint SteS2Ha(uint[] w) => Extract32(w[5], 24, 1);
    public static uint SteS2S(uint[] w) => Extract32(w[5], 25, 1);
    public static uint SteS2R(uint[] w) => Extract32(w[5], 26, 1);
    public static ulong SteS2Ttb(uint[] w) => ((ulong)Extract32(w[6], 4, 28) << 4) | ((ulong)Extract32(w[7], 0, 20) << 32);

    // Older smmuv3-internal.h (before the FIELD rewrite): S2HD/S2HA/S2S one bit higher, 16-bit pointer high parts.
    public static uint SteS2HdOld(uint[] w) => Extract32(w[5], 24, 1);
    public static uint SteS2HaOld(uint[] w) => Extract32(w[5], 25, 1);
    public static uint SteS2SOld(uint[] w) => Extract32(w[5], 26, 1);
    public static ulong SteCtxPtrOld(uint[] w) => ((ulong)Extract32(w[1], 0, 16) << 32) | (w[0] & 0xFFFF_FFC0UL);
    public static ulong SteS2TtbOld(uint[] w) => ((ulong)Extract32(w[7], 0, 16) << 32) | (w[6] & 0xFFFF_FFF0UL);

    // ---- CD: CD { uint32_t word[16]; } (smmuv3-common.h FIELDs)
    public static uint CdTsz(uint[] w, int sel) => sel != 0 ? Extract32(w[0], 16, 6) : Extract32(w[0], 0, 6);
    public static uint CdTg(uint[] w, int sel) => sel != 0 ? Extract32(w[0], 22, 2) : Extract32(w[0], 6, 2);
    public static uint CdEpd(uint[] w, int sel) => sel != 0 ? Extract32(w[0], 30, 1) : Extract32(w[0], 14, 1);
    public static uint CdEndi(uint[] w) => Extract32(w[0], 15, 1);
    public static uint CdValid(uint[] w) => Extract32(w[0], 31, 1);
    public static uint CdIps(uint[] w) => Extract32(w[1], 0, 3);
    public static uint CdAffd(uint[] w) => Extract32(w[1], 3, 1);
    public static uint CdTbi(uint[] w) => Extract32(w[1], 6, 2);
    public static uint CdAarch64(uint[] w) => Extract32(w[1], 9, 1);
    public static uint CdHd(uint[] w) => Extract32(w[1], 10, 1);
    public static uint CdHa(uint[] w) => Extract32(w[1], 11, 1);
    public static uint CdS(uint[] w) => Extract32(w[1], 12, 1);
    public static uint CdR(uint[] w) => Extract32(w[1], 13, 1);
    public static uint CdA(uint[] w) => Extract32(w[1], 14, 1);
    public static uint CdAsid(uint[] w) => Extract32(w[1], 16, 16);
    public static uint CdHad(uint[] w, int sel) => sel != 0 ? Extract32(w[4], 1, 1) : Extract32(w[2], 1, 1);

    public static ulong CdTtb(uint[] w, int sel) => sel != 0
        ? ((ulong)Extract32(w[5], 0, 20) << 32) | ((ulong)Extract32(w[4], 4, 28) << 4)
        : ((ulong)Extract32(w[3], 0, 20) << 32) | ((ulong)Extract32(w[2], 4, 28) << 4);

    // Older smmuv3-internal.h CD_TTB: a 19-bit high part (address bits 50:32 only).
    public static ulong CdTtbOld(uint[] w, int sel) => ((ulong)Extract32(w[(sel * 2) + 3], 0, 19) << 32) | (w[(sel * 2) + 2] & ~0xFUL);

    // ---- level-1 stream table descriptor: STEDesc { uint32_t word[2]; }
    public static uint L1StdSpan(uint[] w) => Extract32(w[0], 0, 5);
    public static ulong L1StdL2Ptr(uint[] w) => ((ulong)w[1] << 32) | (w[0] & ~0x1FUL);

    // ---- events: Evt { uint32_t word[8]; } and the EVT_SET_* macros
    public static void EvtSetType(uint[] e, uint v) => e[0] = Deposit32(e[0], 0, 8, v);
    public static void EvtSetSsv(uint[] e, bool v) => e[0] = Deposit32(e[0], 11, 1, v ? 1U : 0U);
    public static void EvtSetSsid(uint[] e, uint v) => e[0] = Deposit32(e[0], 12, 20, v);
    public static void EvtSetSid(uint[] e, uint v) => e[1] = v;
    public static void EvtSetStag(uint[] e, uint v) => e[2] = Deposit32(e[2], 0, 16, v);
    public static void EvtSetStall(uint[] e, bool v) => e[2] = Deposit32(e[2], 31, 1, v ? 1U : 0U);
    public static void EvtSetPnu(uint[] e, bool v) => e[3] = Deposit32(e[3], 1, 1, v ? 1U : 0U);
    public static void EvtSetInd(uint[] e, bool v) => e[3] = Deposit32(e[3], 2, 1, v ? 1U : 0U);
    public static void EvtSetRnw(uint[] e, bool v) => e[3] = Deposit32(e[3], 3, 1, v ? 1U : 0U);
    public static void EvtSetS2(uint[] e, bool v) => e[3] = Deposit32(e[3], 7, 1, v ? 1U : 0U);
    public static void EvtSetClass(uint[] e, uint v) => e[3] = Deposit32(e[3], 8, 2, v);

    public static void EvtSetAddr(uint[] e, ulong addr)
    {
        e[5] = (uint)(addr >> 32);
        e[4] = (uint)addr;
    }

    public static void EvtSetAddr2(uint[] e, ulong addr)
    {
        e[7] = (uint)(addr >> 32);
        e[6] = (uint)addr;
    }

    // QEMU SMMUEventType values.
    public const uint EvtFUut = 0x01;
    public const uint EvtCBadStreamId = 0x02;
    public const uint EvtFSteFetch = 0x03;
    public const uint EvtCBadSte = 0x04;
    public const uint EvtFBadAtsTreq = 0x05;
    public const uint EvtFStreamDisabled = 0x06;
    public const uint EvtFTransForbidden = 0x07;
    public const uint EvtCBadSubstreamId = 0x08;
    public const uint EvtFCdFetch = 0x09;
    public const uint EvtCBadCd = 0x0A;
    public const uint EvtFWalkEabt = 0x0B;
    public const uint EvtFTranslation = 0x10;
    public const uint EvtFAddrSize = 0x11;
    public const uint EvtFAccess = 0x12;
    public const uint EvtFPermission = 0x13;
    public const uint EvtFTlbConflict = 0x20;
    public const uint EvtFCfgConflict = 0x21;
    public const uint EvtEPageReq = 0x24;

    /// <summary>The <c>SMMUEventInfo</c> fields <c>smmuv3_record_event</c> reads (the union members share names here).</summary>
    public sealed record EventInfo(uint Type, uint Sid)
    {
        public uint Ssid { get; init; }
        public bool Ssv { get; init; }
        public ulong Addr { get; init; }
        public ulong Addr2 { get; init; }
        public bool Rnw { get; init; }
        public bool Pnu { get; init; }
        public bool Ind { get; init; }
        public bool Stall { get; init; }
        public uint Stag { get; init; }
        public bool S2 { get; init; }
        public uint Class { get; init; }
    }

    /// <summary>
    /// The record QEMU hw/arm/smmuv3.c <c>smmuv3_record_event</c> (current master) writes for <paramref name="info"/>:
    /// <c>Evt evt = {}</c>, type and StreamID, then the per-type <c>EVT_SET_*</c> calls.
    /// </summary>
    public static uint[] RecordEvent(EventInfo info)
    {
        var e = new uint[8];
        EvtSetType(e, info.Type);
        EvtSetSid(e, info.Sid);
        switch (info.Type)
        {
            case EvtFUut:
                EvtSetSsid(e, info.Ssid);
                EvtSetSsv(e, info.Ssv);
                EvtSetAddr(e, info.Addr);
                EvtSetRnw(e, info.Rnw);
                EvtSetPnu(e, info.Pnu);
                EvtSetInd(e, info.Ind);
                break;
            case EvtCBadStreamId:
            case EvtCBadSte:
            case EvtCBadCd:
            case EvtFCfgConflict:
                EvtSetSsid(e, info.Ssid);
                EvtSetSsv(e, info.Ssv);
                break;
            case EvtFSteFetch:
                EvtSetSsid(e, info.Ssid);
                EvtSetSsv(e, info.Ssv);
                EvtSetAddr2(e, info.Addr);
                break;
            case EvtFStreamDisabled:
                break;
            case EvtFTransForbidden:
                EvtSetAddr(e, info.Addr);
                EvtSetRnw(e, info.Rnw);
                break;
            case EvtCBadSubstreamId:
                EvtSetSsid(e, info.Ssid);
                break;
            case EvtFCdFetch:
                EvtSetSsid(e, info.Ssid);
                EvtSetSsv(e, info.Ssv);
                EvtSetAddr(e, info.Addr);
                break;
            case EvtFWalkEabt:
            case EvtFTranslation:
            case EvtFAddrSize:
            case EvtFAccess:
            case EvtFPermission:
                EvtSetStall(e, info.Stall);
                EvtSetStag(e, info.Stag);
                EvtSetSsid(e, info.Ssid);
                EvtSetSsv(e, info.Ssv);
                EvtSetS2(e, info.S2);
                EvtSetAddr(e, info.Addr);
                EvtSetRnw(e, info.Rnw);
                EvtSetPnu(e, info.Pnu);
                EvtSetInd(e, info.Ind);
                EvtSetClass(e, info.Class);
                EvtSetAddr2(e, info.Addr2);
                break;
            default:
                throw new System.ArgumentException("QEMU does not record this event type (g_assert_not_reached)", nameof(info));
        }

        return e;
    }

    // ---- registers: smmuv3_init_regs (current master, default stage-1 configuration)
    public static uint InitIdr0(bool stage2)
    {
        uint idr0 = 0;
        idr0 = stage2 ? Deposit32(idr0, 0, 1, 1) : Deposit32(idr0, 1, 1, 1); // S2P or S1P
        idr0 = Deposit32(idr0, 2, 2, 2);   // TTF = AArch64
        idr0 = Deposit32(idr0, 4, 1, 1);   // COHACC
        idr0 = Deposit32(idr0, 12, 1, 1);  // ASID16
        idr0 = Deposit32(idr0, 18, 1, 1);  // VMID16
        idr0 = Deposit32(idr0, 21, 2, 2);  // TTENDIAN = little endian
        idr0 = Deposit32(idr0, 24, 2, 1);  // STALL_MODEL = no stall
        idr0 = Deposit32(idr0, 26, 1, 1);  // TERM_MODEL
        idr0 = Deposit32(idr0, 27, 2, 1);  // STLEVEL = 2-level
        return idr0;
    }

    public const uint SmmuIdr1SidSize = 16;
    public const uint SmmuCmdqs = 19;
    public const uint SmmuEventqs = 19;
    public const uint SmmuIdr5Oas = 4;

    public static uint InitIdr1() => Deposit32(Deposit32(Deposit32(0, 0, 6, SmmuIdr1SidSize), 16, 5, SmmuEventqs), 21, 5, SmmuCmdqs);

    public static uint InitIdr3() => Deposit32(Deposit32(Deposit32(0, 10, 1, 1), 2, 1, 1), 11, 2, 2); // RIL, HAD, BBML = 2

    public static uint InitIdr5() => Deposit32(Deposit32(Deposit32(Deposit32(0, 4, 1, 1), 5, 1, 1), 6, 1, 1), 0, 3, SmmuIdr5Oas);

    public const ulong SmmuBaseAddrMask = 0xF_FFFF_FFFF_FFC0UL;
    public const uint SmmuCr0Reserved = 0xFFFF_FC20;

    // ---- smmu-internal.h page-table accessors
    public static ulong PteAddress(ulong pte, int shift) => Extract64(pte, shift, 47 - shift + 1) << shift;
    public static ulong PteAp(ulong pte) => Extract64(pte, 6, 2);
    public static ulong PteApTable(ulong pte) => Extract64(pte, 61, 2);
    public static ulong PteAf(ulong pte) => Extract64(pte, 10, 1);
    public static bool IsTablePte(ulong pte, int level) => level < 3 && (pte & 3) == 3;
    public static bool IsBlockPte(ulong pte, int level) => level < 3 && (pte & 3) == 1;
    public static bool IsPagePte(ulong pte, int level) => level == 3 && (pte & 3) == 3;

    /// <summary>QEMU smmu-internal.h <c>level_shift</c>.</summary>
    public static int LevelShift(int level, int granuleShift) => granuleShift + ((3 - level) * (granuleShift - 3));

    /// <summary>QEMU smmu-internal.h <c>iova_level_offset</c>.</summary>
    public static ulong IovaLevelOffset(ulong iova, int inputSize, int level, int granuleShift) =>
        ((iova & (inputSize == 64 ? ulong.MaxValue : (1UL << inputSize) - 1)) >> LevelShift(level, granuleShift)) & ((1UL << (granuleShift - 3)) - 1);
}
