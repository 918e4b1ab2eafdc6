namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>
/// The extraction macros and reserved-bit masks of QEMU hw/i386/intel_iommu_internal.h (qemu master
/// after the 2024 descriptor-type fix, plus the PASID-cache, PRI and gpasid series where named),
/// rewritten from their documented bit positions so tests can apply them to our encoders' output.
/// </summary>
internal static class QemuVtdMacros
{
    // ---- invalidation descriptors
    public static ulong InvDescType(ulong lo) => ((lo >> 5) & 0x70UL) | (lo & 0xFUL);

    public const ulong InvDescAllOne = ulong.MaxValue;

    public static ulong InvDescCcG(ulong lo) => lo & (3UL << 4);
    public static ulong InvDescCcDid(ulong lo) => (lo >> 16) & 0xFFFFUL;
    public static ulong InvDescCcSid(ulong lo) => (lo >> 32) & 0xFFFFUL;
    public static ulong InvDescCcFm(ulong lo) => (lo >> 48) & 3UL;
    public const ulong InvDescCcRsvd = 0xFFFC_0000_0000_F1C0UL;

    public static ulong InvDescIotlbG(ulong lo) => lo & (3UL << 4);
    public static ulong InvDescIotlbDid(ulong lo) => (lo >> 16) & 0xFFFFUL;
    public static ulong InvDescIotlbAddr(ulong hi) => hi & ~0xFFFUL;
    public static ulong InvDescIotlbAm(ulong hi) => hi & 0x3FUL;
    public const ulong InvDescIotlbRsvdLo = 0xFFFF_FFFF_0000_F100UL;
    public const ulong InvDescIotlbRsvdHi = 0xF80UL;

    public static ulong InvDescDeviceIotlbAddr(ulong hi) => hi & 0xFFFF_FFFF_FFFF_F000UL;
    public static ulong InvDescDeviceIotlbSize(ulong hi) => hi & 1UL;
    public static ulong InvDescDeviceIotlbSid(ulong lo) => (lo >> 32) & 0xFFFFUL;
    public const ulong InvDescDeviceIotlbRsvdHi = 0xFFEUL;
    public const ulong InvDescDeviceIotlbRsvdLo = 0xFFFF_0000_FFE0_F1F0UL;

    // struct VTDInvDescIEC: type:4, granularity:1, resved_1:22, index_mask:5, index:16
    public static ulong InvDescIecGranularity(ulong lo) => (lo >> 4) & 1UL;
    public static ulong InvDescIecIndexMask(ulong lo) => (lo >> 27) & 0x1FUL;
    public static ulong InvDescIecIndex(ulong lo) => (lo >> 32) & 0xFFFFUL;
    public const ulong InvDescIecRsvd = 0xFFFF_0000_07FF_F1E0UL;

    public const ulong InvDescWaitSw = 1UL << 5;
    public const ulong InvDescWaitIf = 1UL << 4;
    public const ulong InvDescWaitFn = 1UL << 6;
    public const int InvDescWaitDataShift = 32;
    public const ulong InvDescWaitRsvdLo = 0xFFFF_F180UL;
    public const ulong InvDescWaitRsvdHi = 3UL;

    public static ulong InvDescPiotlbG(ulong lo) => lo & (3UL << 4);
    public static ulong InvDescPiotlbDid(ulong lo) => (lo >> 16) & 0xFFFFUL;
    public static ulong InvDescPiotlbPasid(ulong lo) => (lo >> 32) & 0xF_FFFFUL;
    public static ulong InvDescPiotlbAm(ulong hi) => hi & 0x3FUL;
    public static ulong InvDescPiotlbIh(ulong hi) => (hi >> 6) & 1UL;
    public static ulong InvDescPiotlbAddr(ulong hi) => hi & ~0xFFFUL;
    public const ulong InvDescPiotlbRsvdVal0 = 0xFFF0_0000_0000_F1C0UL;
    public const ulong InvDescPiotlbRsvdVal1 = 0xF80UL;

    // PASID-cache series: extract64(val[0], 4, 2) etc.
    public static ulong InvDescPasidcG(ulong lo) => (lo >> 4) & 3UL;
    public static ulong InvDescPasidcDid(ulong lo) => (lo >> 16) & 0xFFFFUL;
    public static ulong InvDescPasidcPasid(ulong lo) => (lo >> 32) & 0xF_FFFFUL;
    public const ulong InvDescPasidcRsvdVal0 = 0xFFF0_0000_0000_F1C0UL;

    public static ulong InvDescPasidDeviceIotlbAddr(ulong hi) => hi & 0xFFFF_FFFF_FFFF_F000UL;
    public static ulong InvDescPasidDeviceIotlbSize(ulong hi) => (hi >> 11) & 1UL;
    public static ulong InvDescPasidDeviceIotlbGlobal(ulong hi) => hi & 1UL;
    public static ulong InvDescPasidDeviceIotlbSid(ulong lo) => (lo >> 16) & 0xFFFFUL;
    public static ulong InvDescPasidDeviceIotlbPasid(ulong lo) => (lo >> 32) & 0xF_FFFFUL;
    public const ulong InvDescPasidDeviceIotlbRsvdVal0 = 0xFFF0_0000_0000_F000UL;
    public const ulong InvDescPasidDeviceIotlbRsvdVal1 = 0x7FEUL;

    // PRI series
    public const ulong InvDescPgrespRsvdHi = 0xFFFF_FFFF_FFFF_F003UL;
    public const ulong InvDescPgrespRsvdLo = 0xFFF0_0000_0000_01E0UL;
    public static ulong InvDescPgrespPp(ulong lo) => (lo >> 4) & 1UL;
    public static ulong InvDescPgrespRc(ulong lo) => (lo >> 12) & 0xFUL;
    public static ulong InvDescPgrespRid(ulong lo) => (lo >> 16) & 0xFFFFUL;
    public static ulong InvDescPgrespPasid(ulong lo) => (lo >> 32) & 0xF_FFFFUL;
    public static ulong InvDescPgrespPrgi(ulong hi) => (hi >> 3) & 0x1FFUL;

    // ---- root / context / PASID entries
    public static ulong HawMask(int aw) => (1UL << aw) - 1;
    public const ulong RootEntryP = 1UL;
    public const ulong RootEntryCtp = ~0xFFFUL;
    public static ulong RootEntryRsvd(int aw) => 0xFFEUL | ~HawMask(aw);

    public const ulong SmContextEntryRid2PasidMask = 0xF_FFFFUL;
    public static ulong SmContextEntryRsvdVal0(int aw) => 0x1E0UL | ~HawMask(aw);
    public const ulong SmContextEntryRsvdVal1 = 0xFFFF_FFFF_FFE0_0000UL;
    public static ulong SmContextEntryPdts(ulong val0) => (val0 >> 9) & 0x7UL;
    public const ulong SmContextEntryPre = 0x10UL;
    public const ulong PasidDirBaseAddrMask = ~0xFFFUL;

    public static ulong PasidDirIndex(ulong pasid) => (pasid >> 6) & 0x3FFFUL;
    public static ulong PasidTableIndex(ulong pasid) => pasid & 0x3FUL;
    public const ulong PasidDirFpd = 1UL << 1;
    public const ulong PasidTableBaseAddrMask = ~0xFFFUL;
    public const ulong PasidEntryP = 1UL;
    public const ulong PasidEntryFpd = 1UL << 1;
    public const ulong SmPasidEntryPgtt = 7UL << 6;
    public const ulong SmPasidEntryFlt = 1UL << 6;
    public const ulong SmPasidEntrySlt = 2UL << 6;
    public const ulong SmPasidEntryNested = 3UL << 6;
    public const ulong SmPasidEntryPt = 4UL << 6;
    public static ulong SmPasidEntryAw(ulong val0) => (val0 >> 2) & 7UL;
    public static ulong SmPasidEntryDid(ulong val1) => val1 & 0xFFFFUL;
    public const ulong SmPasidEntrySlptptr = ~0xFFFUL;
    public static ulong SmPasidEntrySre(ulong val2) => val2 & 1UL;
    public static ulong SmPasidEntryFspm(ulong val2) => (val2 >> 2) & 3UL;
    public static ulong SmPasidEntryWpe(ulong val2) => (val2 >> 4) & 1UL;
    public static ulong SmPasidEntryEafe(ulong val2) => (val2 >> 7) & 1UL;
    public static ulong SmPasidEntryFsptpfn(ulong val2) => val2 >> 12;

    // gpasid series (val[1])
    public static ulong SmPasidEntryCdBit(ulong val1) => (val1 >> 25) & 1UL;
    public static ulong SmPasidEntryEmteBit(ulong val1) => (val1 >> 26) & 1UL;
    public static ulong SmPasidEntryEmt(ulong val1) => (val1 >> 27) & 0x7UL;
    public static ulong SmPasidEntryPwtBit(ulong val1) => (val1 >> 30) & 1UL;
    public static ulong SmPasidEntryPcdBit(ulong val1) => (val1 >> 31) & 1UL;
    public static ulong SmPasidEntryPat(ulong val1) => (val1 >> 32) & 0xFFFF_FFFFUL;

    // ---- fault recording register (high qword, low qword)
    public const ulong FrcdF = 1UL << 63;
    public const ulong FrcdT = 1UL << 62;
    public static ulong FrcdFr(ulong val) => (val & 0xFFUL) << 32;
    public static ulong FrcdSid(ulong val) => val & 0xFFFFUL;
    public static ulong FrcdPv(ulong val) => (val & 0xFFFFUL) << 40;
    public static ulong FrcdPp(ulong val) => (val & 1UL) << 31;
    public static ulong FrcdFi(ulong val) => val & ~0xFFFUL;

    // ---- page request descriptor (PRI series)
    public const ulong PrdType = 1UL;
    public static ulong PrdPp(ulong val) => (val & 1UL) << 8;
    public static ulong PrdRid(ulong val) => (val & 0xFFFFUL) << 16;
    public static ulong PrdPasid(ulong val) => (val & 0xF_FFFFUL) << 32;
    public static ulong PrdExr(ulong val) => (val & 1UL) << 52;
    public static ulong PrdPmr(ulong val) => (val & 1UL) << 53;
    public static ulong PrdRdr(ulong val) => val & 1UL;
    public static ulong PrdWrr(ulong val) => (val & 1UL) << 1;
    public static ulong PrdLpig(ulong val) => (val & 1UL) << 2;
    public static ulong PrdPrgi(ulong val) => (val & 0x1FFUL) << 3;
    public static ulong PrdAddr(ulong val) => val & 0xFFFF_FFFF_FFFF_F000UL;

    // ---- paging entries
    public const ulong FlP = 1UL;
    public const ulong FlRw = 1UL << 1;
    public const ulong FlUs = 1UL << 2;
    public const ulong FlA = 1UL << 5;
    public const ulong FlD = 1UL << 6;
    public const ulong PtPageSizeMask = 1UL << 7;
    public const ulong FsUpperIgnored = 0xFFF0_0000_0000_0000UL;
    public static ulong FptePageL1RsvdMask(int aw) => ~(HawMask(aw) | FsUpperIgnored);
    public static ulong FptePageL4RsvdMask(int aw) => 0x80UL | ~(HawMask(aw) | FsUpperIgnored);
    public static ulong FpteLpageL2RsvdMask(int aw) => 0x1F_E000UL | ~(HawMask(aw) | FsUpperIgnored);
    public static ulong FpteLpageL3RsvdMask(int aw) => 0x3FFF_E000UL | ~(HawMask(aw) | FsUpperIgnored);

    public const ulong SlR = 1UL;
    public const ulong SlW = 1UL << 1;
    public const ulong SpteSnp = 0x800UL;
    public const ulong SlIgnCom = 0xBFF0_0000_0000_0000UL;
    public const ulong SlTm = 1UL << 62;

    // vtd_init drops SNP from the leaf masks in scalable mode.
    public static ulong SptePageL1RsvdMaskScalable(int aw) => (0x800UL | ~(HawMask(aw) | SlIgnCom)) & ~SpteSnp;
    public static ulong SptePageL2RsvdMask(int aw) => 0x800UL | ~(HawMask(aw) | SlIgnCom);
    public static ulong SptePageL4RsvdMask(int aw) => 0x880UL | ~(HawMask(aw) | SlIgnCom);
    public static ulong SpteLpageL2RsvdMaskScalable(int aw) => (0x1F_F800UL | ~(HawMask(aw) | SlIgnCom)) & ~SpteSnp;
    public static ulong SpteLpageL3RsvdMaskScalable(int aw) => (0x3FFF_F800UL | ~(HawMask(aw) | SlIgnCom)) & ~SpteSnp;

    // ---- registers
    public const ulong CapFro = 0x220UL << 20;
    public const ulong CapNfr = 0UL;
    public const ulong CapNd = (16 - 4) / 2;
    public static ulong CapMgaw(int aw) => ((ulong)(aw - 1) & 0x3FUL) << 16;
    public const ulong Mamv = 18;
    public const ulong CapMamv = Mamv << 48;
    public const ulong CapPsi = 1UL << 39;
    public const ulong CapSllps = (1UL << 34) | (1UL << 35);
    public const ulong CapDrainWrite = 1UL << 54;
    public const ulong CapDrainRead = 1UL << 55;
    public const ulong CapFs1gp = 1UL << 56;
    public const ulong CapCm = 1UL << 7;
    public const ulong CapSagaw39 = 0x2UL << 8;
    public const ulong CapSagaw48 = 0x4UL << 8;

    public const ulong EcapIro = 0xF0UL << 4;
    public const ulong EcapQi = 1UL << 1;
    public const ulong EcapDt = 1UL << 2;
    public const ulong EcapIr = 1UL << 3;
    public const ulong EcapEim = 1UL << 4;
    public const ulong EcapPt = 1UL << 6;
    public const ulong EcapSc = 1UL << 7;
    public const ulong EcapMhmv = 15UL << 20;
    public const ulong EcapSrs = 1UL << 31;
    public const ulong EcapPss = 19UL << 35;
    public const ulong EcapPasid = 1UL << 40;
    public const ulong EcapSmts = 1UL << 43;
    public const ulong EcapSlts = 1UL << 46;
    public const ulong EcapFlts = 1UL << 47;

    public const ulong RtaddrSmt = 1UL << 10;

    public static ulong IqaIqaMask(int aw) => HawMask(aw) ^ 0xFFFUL;
    public const ulong IqaQs = 0x7UL;
    public const ulong IqaDwMask = 0x800UL;
    public static ulong IqtQt(bool dw, ulong val) => dw ? (val >> 5) & 0x3FFFUL : (val >> 4) & 0x7FFFUL;
    public const ulong IqtQt256RsvBit = 0x10UL;
    public const ulong IqhQhMask = 0x7FFF0UL;

    public static ulong FstsFri(ulong val) => ((uint)val << 8) & 0xFF00UL;
    public const ulong FstsIqe = 1UL << 4;
    public const ulong FstsPpf = 1UL << 1;
    public const ulong FstsPfo = 1UL;
    public const ulong FectlIm = 1UL << 31;
    public const ulong FectlIp = 1UL << 30;
    public const ulong IectlIm = 1UL << 31;
    public const ulong IectlIp = 1UL << 30;
    public const ulong IcsIwc = 1UL;
}
