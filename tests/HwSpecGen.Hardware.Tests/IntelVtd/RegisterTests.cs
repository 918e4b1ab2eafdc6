using HwSpecGen.Hardware.IntelVtd;
using static HwSpecGen.Hardware.Tests.IntelVtd.QemuVtdMacros;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>Register formats against QEMU's register constants and Linux's accessors.</summary>
public sealed class RegisterTests
{
    [Fact]
    public void QemuCapabilityValueReadsAsLinuxCapAccessorsDo()
    {
        var cap = CapFro | CapNfr | CapNd | CapMgaw(48) | CapMamv | CapPsi | CapSllps | CapDrainWrite | CapDrainRead
            | CapFs1gp | CapCm | CapSagaw39 | CapSagaw48;
        Assert.Equal(0x01D2_008C_222F_0686UL, cap);
        var c = CapabilityRegister.FromWords([cap]);
        Assert.Equal(6UL, c.Nd);                      // cap_ndoms = 1 << (4 + 2 * 6) = 65536
        Assert.True(c.Cm);                            // cap_caching_mode
        Assert.Equal(0x6UL, c.Sagaw);                 // cap_sagaw: 39- and 48-bit
        Assert.Equal(47UL, c.Mgaw);                   // cap_mgaw = 47 + 1
        Assert.Equal(0x220UL, c.Fro * 16);            // cap_fault_reg_offset
        Assert.Equal(3UL, c.Sllps);                   // cap_super_page_val: 2 MiB and 1 GiB
        Assert.True(c.Psi);
        Assert.Equal(0UL, c.Nfr);                     // cap_num_fault_regs = 0 + 1
        Assert.Equal(18UL, c.Mamv);                   // cap_max_amask_val
        Assert.True(c.Dwd && c.Drd && c.Fs1gp);
        Assert.False(c.Fs5lp || c.Pi || c.Esrtps);
        Assert.True(c.Validate().IsValid);
    }

    [Fact]
    public void AllOnesCapabilitySetsEveryTopBitAndReservedBitsAreIgnored()
    {
        var c = CapabilityRegister.FromWords([ulong.MaxValue]);
        Assert.Equal(7UL, c.Nd);
        Assert.Equal(0x1FUL, c.Sagaw);
        Assert.Equal(0x3FUL, c.Mgaw);
        Assert.Equal(0x3FFUL, c.Fro);
        Assert.Equal(0xFUL, c.Sllps);
        Assert.Equal(0xFFUL, c.Nfr);
        Assert.Equal(0x3FUL, c.Mamv);
        Assert.True(c.Esrtps && c.Esirtps && c.Ecmds && c.Fs5lp && c.Isoch);
        Assert.True(c.Validate().IsValid);
    }

    [Fact]
    public void ScalableModeEcapReadsAsLinuxEcapAccessorsDo()
    {
        // QEMU x-scalable-mode + x-flts style bits, plus NEST (Linux nested_supported = SMTS && NEST).
        const ulong ecap = EcapIro | EcapQi | EcapDt | EcapIr | EcapEim | EcapPt | EcapSc | EcapMhmv | EcapSrs | EcapPss
            | EcapPasid | EcapSmts | EcapSlts | EcapFlts | 1UL << 26;
        var e = ExtendedCapabilityRegister.FromWords([ecap]);
        Assert.Equal(0xF0UL, e.Iro * 16);             // ecap_iotlb_offset
        Assert.Equal(15UL, e.Mhmv);                   // ecap_max_handle_mask
        Assert.Equal(19UL, e.Pss);                    // ecap_pss: 20-bit PASIDs
        Assert.True(e.Qi && e.Dt && e.Ir && e.Eim && e.Pt && e.Sc && e.Srs && e.Pasid && e.Smts && e.Slts && e.Flts && e.Nest);
        Assert.False(e.Prs || e.Dit || e.Pds || e.Slads || e.Ers);
        Assert.True(e.Validate().IsValid);

        var all = ExtendedCapabilityRegister.FromWords([ulong.MaxValue]);
        Assert.Equal(0x3FFUL, all.Iro);
        Assert.Equal(0x1FUL, all.Pss);
        Assert.True(all.Rprivs && all.Adms && all.Pms && all.LegacyPasid);
    }

    [Fact]
    public void DmarEnableQiProgramsIqaWith256BitDescriptors()
    {
        // __dmar_enable_qi with ecap_smts: val = virt_to_phys(qi->desc) | BIT_ULL(11) | BIT_ULL(0).
        var iqa = InvalidationQueueAddressRegister.FromWords([0x8000_0000_0000_0801UL]);
        Assert.Equal(1UL, iqa.Qs);
        Assert.Equal(DescriptorWidth.Bits256, iqa.Dw);
        Assert.Equal(0x8000_0000_0000_0000UL, iqa.Iqa);
        Assert.Equal(8192UL, iqa.QueueBytes);         // Linux allocates SZ_8K
        Assert.Equal(256UL, iqa.DescriptorCount);     // QI_LENGTH
        Assert.Equal(32, iqa.DescriptorBytes);

        // Without SMTS: 4 KiB, 128-bit descriptors.
        var legacy = InvalidationQueueAddressRegister.FromWords([0x1_2345_6000UL]);
        Assert.Equal(DescriptorWidth.Bits128, legacy.Dw);
        Assert.Equal(256UL, legacy.DescriptorCount);
    }

    [Fact]
    public void IqaAsQemuReadsIt()
    {
        var iqa = InvalidationQueueAddressRegister.Create().WithQs(7).WithDw(DescriptorWidth.Bits256).WithIqa(0x000F_FFFF_FFFF_F000);
        var v = iqa.GetWord(0);
        Assert.Equal(7UL, v & IqaQs);
        Assert.Equal(IqaDwMask, v & IqaDwMask);
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, v & IqaIqaMask(52));
        Assert.Equal(1UL << (7 + 8 - 1), iqa.DescriptorCount); // vtd_handle_gcmd_qie: 1 << (QS + 8 - DW)
    }

    [Fact]
    public void QiSubmitSyncTailWriteReadsAsVtdIqtQt()
    {
        // qi_submit_sync: writel(free_head << qi_shift, DMAR_IQT_REG); shift 5 with SMTS.
        var tail = InvalidationQueueTailRegister256.FromWords([0xFFUL << 5]);
        Assert.Equal(0xFFUL, tail.Qt);
        Assert.Equal(IqtQt(true, 0xFFUL << 5), tail.Qt);
        Assert.True(tail.Validate().IsValid);

        var top = InvalidationQueueTailRegister256.Create().WithQt(0x3FFF);
        Assert.Equal(0x3FFFUL, IqtQt(true, top.GetWord(0)));
        var narrow = InvalidationQueueTailRegister.Create().WithQt(0x7FFF);
        Assert.Equal(0x7FFFUL, IqtQt(false, narrow.GetWord(0)));
        Assert.Equal(IqhQhMask, narrow.GetWord(0));

        // VTD_IQT_QT_256_RSV_BIT: bit 4 with DW = 1 makes QEMU raise IQE.
        Assert.Equal(IqtQt256RsvBit, InvalidationQueueTailRegister256.FromWords([0x30UL]).Validate().ReservedBitsSet(0));
        var head = InvalidationQueueHeadRegister.FromWords([0x40000UL]);
        Assert.Equal(0x4000UL, head.Qh);
        Assert.Equal(0x2000UL, InvalidationQueueHeadRegister256.FromWords([0x40000UL]).Qh);
    }

    [Fact]
    public void IqercdReadsAsLinuxDmarIqerMacrosDo()
    {
        // DMAR_IQER_REG_IQEI = bits 3:0, _ITESID = 47:32, _ICESID = 63:48.
        var r = InvalidationQueueErrorRecordRegister.FromWords([0x8001_8002_0000_0004UL]);
        Assert.Equal(InvalidationQueueErrorInfo.ReservedFieldViolation, r.Iqei);
        Assert.Equal(0x8002UL, r.Itesid);
        Assert.Equal(0x8001UL, r.Icesid);

        var top = InvalidationQueueErrorRecordRegister.FromWords([0xFFFF_FFFF_0000_000FUL]);
        Assert.Equal((InvalidationQueueErrorInfo)15, top.Iqei);
        Assert.True(top.Validate().IsValid); // unnamed IQEI values are not violations
    }

    [Fact]
    public void FaultStatusAndControlRegisters()
    {
        // dmar_fault clears with DMA_FSTS_PFO | DMA_FSTS_PPF | DMA_FSTS_PRO; dma_fsts_fault_record_index = bits 15:8.
        var clear = FaultStatusRegister.FromWords([0x83UL]);
        Assert.True(clear.Pfo && clear.Ppf && clear.Pro);
        Assert.False(clear.Iqe || clear.Ice || clear.Ite);

        var f = FaultStatusRegister.Create().WithFri(0x80).WithIqe(true).WithPfo(true).WithIte(true).WithIce(true);
        Assert.Equal(FstsFri(0x80) | FstsIqe | FstsPfo | 1UL << 6 | 1UL << 5, f.GetWord(0));

        Assert.Equal(FectlIm, FaultEventControlRegister.Create().WithIm(true).GetWord(0));
        var iectl = InvalidationEventControlRegister.FromWords([IectlIm | IectlIp]);
        Assert.True(iectl.Im && iectl.Ip);
        Assert.Equal(IcsIwc, InvalidationCompletionStatusRegister.Create().WithIwc(true).GetWord(0));
        Assert.Equal(FectlIp, FaultEventControlRegister.Create().WithIp(true).GetWord(0));
    }

    [Fact]
    public void RootTableAddressSelectsScalableMode()
    {
        // Linux iommu_set_root_entry: addr | DMA_RTADDR_SMT when scalable mode is used.
        var r = RootTableAddressRegister.FromWords([0x8000_0000_0000_0000UL | RtaddrSmt]);
        Assert.Equal(TranslationTableMode.Scalable, r.Ttm);
        Assert.Equal(0x8000_0000_0000_0000UL, r.Rta);
        Assert.Equal(TranslationTableMode.AbortDma, RootTableAddressRegister.FromWords([0xC00UL]).Ttm);
        Assert.False(RootTableAddressRegister.FromWords([0x800UL]).Validate().IsValid); // TTM 2 is reserved
    }

    [Fact]
    public void GlobalCommandAndStatusBitsAreLinuxDmaGcmdAndDmaGsts()
    {
        // Linux iommu.h: DMA_GCMD_TE 31, SRTP 30, SFL 29, EAFL 28, WBF 27, QIE 26, IRE 25, SIRTP 24, CFI 23 (GSTS the same)
        Assert.Equal(1UL << 31, GlobalCommandRegister.Create().WithTe(true).GetWord(0));
        Assert.Equal(1UL << 30, GlobalCommandRegister.Create().WithSrtp(true).GetWord(0));
        Assert.Equal(1UL << 26, GlobalCommandRegister.Create().WithQie(true).GetWord(0));
        Assert.Equal(1UL << 25, GlobalCommandRegister.Create().WithIre(true).GetWord(0));
        Assert.Equal(1UL << 24, GlobalCommandRegister.Create().WithSirtp(true).GetWord(0));
        Assert.Equal(1UL << 23, GlobalCommandRegister.Create().WithCfi(true).GetWord(0));
        var gsts = GlobalStatusRegister.FromWords([(1UL << 31) | (1UL << 30) | (1UL << 26)]);
        Assert.True(gsts.Tes && gsts.Rtps && gsts.Qies);
        Assert.False(gsts.Ires || gsts.Fls || gsts.Wbfs);
        Assert.True(GlobalStatusRegister.FromWords([uint.MaxValue]).Validate().IsValid);
    }
}
