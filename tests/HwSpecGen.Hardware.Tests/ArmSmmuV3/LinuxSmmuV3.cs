using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// Bit positions Linux drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.h defines (mainline, with the iommufd nesting
/// additions CMDQ_OP_TLBI_NH_ALL, STRTAB_STE_0_CFG_NESTED, STRTAB_STE_1_MEV), and the io-pgtable-arm.c PTE bits,
/// restated as values so tests can rebuild and take apart what the driver writes.
/// </summary>
internal static class LinuxSmmuV3
{
    // ---- command queue (CMDQ_*)
    public static readonly ulong Cmdq0Op = GenMask(7, 0);
    public const ulong Cmdq0Ssv = 1UL << 11;
    public static readonly ulong CmdqPrefetch0Sid = GenMask(63, 32);
    public static readonly ulong CmdqPrefetch1Size = GenMask(4, 0);
    public static readonly ulong CmdqPrefetch1AddrMask = GenMask(63, 12);
    public static readonly ulong CmdqCfgi0Ssid = GenMask(31, 12);
    public static readonly ulong CmdqCfgi0Sid = GenMask(63, 32);
    public const ulong CmdqCfgi1Leaf = 1UL << 0;
    public static readonly ulong CmdqCfgi1Range = GenMask(4, 0);
    public static readonly ulong CmdqTlbi0Num = GenMask(16, 12);
    public static readonly ulong CmdqTlbi0Scale = GenMask(24, 20);
    public static readonly ulong CmdqTlbi0Vmid = GenMask(47, 32);
    public static readonly ulong CmdqTlbi0Asid = GenMask(63, 48);
    public const ulong CmdqTlbi1Leaf = 1UL << 0;
    public static readonly ulong CmdqTlbi1Ttl = GenMask(9, 8);
    public static readonly ulong CmdqTlbi1Tg = GenMask(11, 10);
    public static readonly ulong CmdqTlbi1VaMask = GenMask(63, 12);
    public static readonly ulong CmdqTlbi1IpaMask = GenMask(51, 12);
    public static readonly ulong CmdqAtc0Ssid = GenMask(31, 12);
    public static readonly ulong CmdqAtc0Sid = GenMask(63, 32);
    public const ulong CmdqAtc0Global = 1UL << 9;
    public static readonly ulong CmdqAtc1Size = GenMask(5, 0);
    public static readonly ulong CmdqAtc1AddrMask = GenMask(63, 12);
    public static readonly ulong CmdqPri0Ssid = GenMask(31, 12);
    public static readonly ulong CmdqPri0Sid = GenMask(63, 32);
    public static readonly ulong CmdqPri1Grpid = GenMask(8, 0);
    public static readonly ulong CmdqPri1Resp = GenMask(13, 12);
    public static readonly ulong CmdqResume0Resp = GenMask(13, 12);
    public static readonly ulong CmdqResume0Sid = GenMask(63, 32);
    public static readonly ulong CmdqResume1Stag = GenMask(15, 0);
    public static readonly ulong CmdqSync0Cs = GenMask(13, 12);
    public static readonly ulong CmdqSync0Msh = GenMask(23, 22);
    public static readonly ulong CmdqSync0MsiAttr = GenMask(27, 24);
    public static readonly ulong CmdqSync0MsiData = GenMask(63, 32);
    public static readonly ulong CmdqSync1MsiAddrMask = GenMask(51, 2);
    public static readonly ulong CmdqConsErr = GenMask(30, 24);

    // ---- stream table (STRTAB_*)
    public static readonly ulong StrtabL1DescSpan = GenMask(4, 0);
    public static readonly ulong StrtabL1DescL2PtrMask = GenMask(51, 6);
    public const ulong StrtabSte0V = 1UL << 0;
    public static readonly ulong StrtabSte0Cfg = GenMask(3, 1);
    public static readonly ulong StrtabSte0S1Fmt = GenMask(5, 4);
    public static readonly ulong StrtabSte0S1CtxPtrMask = GenMask(51, 6);
    public static readonly ulong StrtabSte0S1CdMax = GenMask(63, 59);
    public static readonly ulong StrtabSte1S1Dss = GenMask(1, 0);
    public static readonly ulong StrtabSte1S1Cir = GenMask(3, 2);
    public static readonly ulong StrtabSte1S1Cor = GenMask(5, 4);
    public static readonly ulong StrtabSte1S1Csh = GenMask(7, 6);
    public const ulong StrtabSte1Mev = 1UL << 19;
    public const ulong StrtabSte1S2Fwb = 1UL << 25;
    public const ulong StrtabSte1S1Stalld = 1UL << 27;
    public static readonly ulong StrtabSte1Eats = GenMask(29, 28);
    public static readonly ulong StrtabSte1Strw = GenMask(31, 30);
    public static readonly ulong StrtabSte1ShCfg = GenMask(45, 44);
    public static readonly ulong StrtabSte2S2Vmid = GenMask(15, 0);
    public static readonly ulong StrtabSte2Vtcr = GenMask(50, 32);
    public static readonly ulong StrtabSte2VtcrS2T0sz = GenMask(5, 0);
    public static readonly ulong StrtabSte2VtcrS2Sl0 = GenMask(7, 6);
    public static readonly ulong StrtabSte2VtcrS2Ir0 = GenMask(9, 8);
    public static readonly ulong StrtabSte2VtcrS2Or0 = GenMask(11, 10);
    public static readonly ulong StrtabSte2VtcrS2Sh0 = GenMask(13, 12);
    public static readonly ulong StrtabSte2VtcrS2Tg = GenMask(15, 14);
    public static readonly ulong StrtabSte2VtcrS2Ps = GenMask(18, 16);
    public const ulong StrtabSte2S2Aa64 = 1UL << 51;
    public const ulong StrtabSte2S2Endi = 1UL << 52;
    public const ulong StrtabSte2S2Ptw = 1UL << 54;
    public const ulong StrtabSte2S2S = 1UL << 57;
    public const ulong StrtabSte2S2R = 1UL << 58;
    public static readonly ulong StrtabSte3S2TtbMask = GenMask(51, 4);

    // ---- context descriptors (CTXDESC_*)
    public const ulong CtxDescL1DescV = 1UL << 0;
    public static readonly ulong CtxDescL1DescL2PtrMask = GenMask(51, 12);
    public static readonly ulong CtxDescCd0TcrT0sz = GenMask(5, 0);
    public static readonly ulong CtxDescCd0TcrTg0 = GenMask(7, 6);
    public static readonly ulong CtxDescCd0TcrIrgn0 = GenMask(9, 8);
    public static readonly ulong CtxDescCd0TcrOrgn0 = GenMask(11, 10);
    public static readonly ulong CtxDescCd0TcrSh0 = GenMask(13, 12);
    public const ulong CtxDescCd0TcrEpd0 = 1UL << 14;
    public const ulong CtxDescCd0Endi = 1UL << 15;
    public const ulong CtxDescCd0TcrEpd1 = 1UL << 30;
    public const ulong CtxDescCd0V = 1UL << 31;
    public static readonly ulong CtxDescCd0TcrIps = GenMask(34, 32);
    public const ulong CtxDescCd0TcrTbi0 = 1UL << 38;
    public const ulong CtxDescCd0Aa64 = 1UL << 41;
    public const ulong CtxDescCd0TcrHd = 1UL << 42;
    public const ulong CtxDescCd0TcrHa = 1UL << 43;
    public const ulong CtxDescCd0S = 1UL << 44;
    public const ulong CtxDescCd0R = 1UL << 45;
    public const ulong CtxDescCd0A = 1UL << 46;
    public const ulong CtxDescCd0Aset = 1UL << 47;
    public static readonly ulong CtxDescCd0Asid = GenMask(63, 48);
    public static readonly ulong CtxDescCd1Ttb0Mask = GenMask(51, 4);

    // ---- event queue (EVTQ_*)
    public static readonly ulong Evtq0Id = GenMask(7, 0);
    public const ulong Evtq0Ssv = 1UL << 11;
    public static readonly ulong Evtq0Ssid = GenMask(31, 12);
    public static readonly ulong Evtq0Sid = GenMask(63, 32);
    public static readonly ulong Evtq1Stag = GenMask(15, 0);
    public const ulong Evtq1Stall = 1UL << 31;
    public const ulong Evtq1PnU = 1UL << 33;
    public const ulong Evtq1InD = 1UL << 34;
    public const ulong Evtq1RnW = 1UL << 35;
    public const ulong Evtq1S2 = 1UL << 39;
    public static readonly ulong Evtq1Class = GenMask(41, 40);
    public const ulong Evtq1TtRead = 1UL << 44;
    public static readonly ulong Evtq2Addr = GenMask(63, 0);
    public static readonly ulong Evtq3Ipa = GenMask(51, 12);
    public static readonly ulong Evtq3FetchAddr = GenMask(51, 3);

    // ---- PRI queue (PRIQ_*)
    public static readonly ulong Priq0Sid = GenMask(31, 0);
    public static readonly ulong Priq0Ssid = GenMask(51, 32);
    public const ulong Priq0PermPriv = 1UL << 58;
    public const ulong Priq0PermExec = 1UL << 59;
    public const ulong Priq0PermRead = 1UL << 60;
    public const ulong Priq0PermWrite = 1UL << 61;
    public const ulong Priq0PrgLast = 1UL << 62;
    public const ulong Priq0SsidV = 1UL << 63;
    public static readonly ulong Priq1PrgIdx = GenMask(8, 0);
    public static readonly ulong Priq1AddrMask = GenMask(63, 12);

    // ---- registers
    public static readonly ulong Idr0StLvl = GenMask(28, 27);
    public static readonly ulong Idr0StallModel = GenMask(25, 24);
    public static readonly ulong Idr0TtEndian = GenMask(22, 21);
    public const ulong Idr0Cd2l = 1UL << 19;
    public const ulong Idr0Vmid16 = 1UL << 18;
    public const ulong Idr0Pri = 1UL << 16;
    public const ulong Idr0Sev = 1UL << 14;
    public const ulong Idr0Msi = 1UL << 13;
    public const ulong Idr0Asid16 = 1UL << 12;
    public const ulong Idr0Ats = 1UL << 10;
    public const ulong Idr0Hyp = 1UL << 9;
    public static readonly ulong Idr0Httu = GenMask(7, 6);
    public const ulong Idr0CohAcc = 1UL << 4;
    public static readonly ulong Idr0Ttf = GenMask(3, 2);
    public const ulong Idr0S1P = 1UL << 1;
    public const ulong Idr0S2P = 1UL << 0;
    public const ulong Idr1TablesPreset = 1UL << 30;
    public const ulong Idr1QueuesPreset = 1UL << 29;
    public const ulong Idr1Rel = 1UL << 28;
    public const ulong Idr1AttrTypesOvr = 1UL << 27;
    public static readonly ulong Idr1CmdqS = GenMask(25, 21);
    public static readonly ulong Idr1EvtqS = GenMask(20, 16);
    public static readonly ulong Idr1PriqS = GenMask(15, 11);
    public static readonly ulong Idr1SsidSize = GenMask(10, 6);
    public static readonly ulong Idr1SidSize = GenMask(5, 0);
    public const ulong Idr3Fwb = 1UL << 8;
    public const ulong Idr3Ril = 1UL << 10;
    public static readonly ulong Idr5StallMax = GenMask(31, 16);
    public static readonly ulong Idr5Vax = GenMask(11, 10);
    public const ulong Idr5Gran64K = 1UL << 6;
    public const ulong Idr5Gran16K = 1UL << 5;
    public const ulong Idr5Gran4K = 1UL << 4;
    public static readonly ulong Idr5Oas = GenMask(2, 0);
    public const ulong Cr0AtsChk = 1UL << 4;
    public const ulong Cr0CmdqEn = 1UL << 3;
    public const ulong Cr0EvtqEn = 1UL << 2;
    public const ulong Cr0PriqEn = 1UL << 1;
    public const ulong Cr0SmmuEn = 1UL << 0;
    public const ulong GerrorErrMask = 0x1FD;
    public const ulong StrtabBaseRa = 1UL << 62;
    public static readonly ulong StrtabBaseAddrMask = GenMask(51, 6);
    public static readonly ulong StrtabBaseCfgFmt = GenMask(17, 16);
    public static readonly ulong StrtabBaseCfgSplit = GenMask(10, 6);
    public static readonly ulong StrtabBaseCfgLog2Size = GenMask(5, 0);
    public const ulong QBaseRwa = 1UL << 62;
    public static readonly ulong QBaseAddrMask = GenMask(51, 5);
    public static readonly ulong QBaseLog2Size = GenMask(4, 0);
    public const ulong QOverflowFlag = 1UL << 31;

    // ---- io-pgtable-arm.c (ARM_LPAE_PTE_*)
    public const ulong LpaePteTypeBlock = 1;
    public const ulong LpaePteTypeTable = 3;
    public const ulong LpaePteTypePage = 3;
    public static readonly ulong LpaePteAddrMask = GenMask(47, 12);
    public const ulong LpaePteNsTable = 1UL << 63;
    public const ulong LpaePteXn = 3UL << 53;
    public const ulong LpaePteDbm = 1UL << 51;
    public const ulong LpaePteAf = 1UL << 10;
    public const ulong LpaePteShIs = 3UL << 8;
    public const ulong LpaePteNs = 1UL << 5;
    public const ulong LpaePteApUnpriv = 1UL << 6;
    public const ulong LpaePteApRdonly = 2UL << 6;
    public const int LpaePteAttrIndxShift = 2;
    public const ulong LpaePteNg = 1UL << 11;
    public const ulong LpaePteHapRead = 1UL << 6;
    public const ulong LpaePteHapWrite = 2UL << 6;
    public const ulong LpaePteMemAttrOiwb = 0xFUL << 2;
    public const ulong LpaePteMemAttrNc = 0x5UL << 2;
    public const ulong LpaePteMemAttrDev = 0x1UL << 2;

    /// <summary>io-pgtable-arm.c <c>paddr_to_iopte</c>: PA[51:48] folded into bits 15:12 (64 KiB granule), then masked to 47:12.</summary>
    public static ulong PaddrToIopte(ulong paddr) => (paddr | (paddr >> (48 - 12))) & LpaePteAddrMask;
}
