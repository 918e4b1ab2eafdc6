using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// The 512-bit STE against Linux arm_smmu_make_abort_ste / make_bypass_ste / make_cdtable_ste /
/// make_s2_domain_ste / make_nested_cd_table_ste (arm-smmu-v3.c, arm-smmu-v3-iommufd.c) and the QEMU STE_* accessors.
/// </summary>
public sealed class StreamTableEntryTests
{
    // arm_smmu_make_abort_ste: data[0] = STRTAB_STE_0_V | FIELD_PREP(STRTAB_STE_0_CFG, STRTAB_STE_0_CFG_ABORT).
    private static readonly ulong[] LinuxAbort = { 0x1UL, 0, 0, 0, 0, 0, 0, 0 };

    // arm_smmu_make_bypass_ste with ARM_SMMU_FEAT_ATTR_TYPES_OVR: CFG = BYPASS (4) -> 0x9; data[1] = SHCFG INCOMING (1) << 44.
    private static readonly ulong[] LinuxBypass = { 0x9UL, 0x0000_1000_0000_0000UL, 0, 0, 0, 0, 0, 0 };

    // arm_smmu_make_cdtable_ste(ats_enabled, s1dss = STRTAB_STE_1_S1DSS_BYPASS) for a cd_table with
    // s1fmt = STRTAB_STE_0_S1FMT_64K_L2 (2), cdtab_dma = 0x8_1234_5000, s1cdmax = 20, on an SMMU with
    // FEAT_STALLS (master without stall -> S1STALLD), FEAT_ATTR_TYPES_OVR (SHCFG incoming), no E2H (STRW NSEL1, S2VMID 0):
    //   data[0] = V | 5 << 1 | 2 << 4 | 0x8_1234_5000 | 20 << 59                       = 0xA000_0008_1234_502B
    //   data[1] = S1DSS 1 | S1CIR WBRA 1 << 2 | S1COR WBRA 1 << 4 | S1CSH ISH 3 << 6
    //             | S1STALLD (1 << 27) | EATS TRANS 1 << 28 | SHCFG 1 << 44               = 0x0000_1000_1800_00D5
    private static readonly ulong[] LinuxCdTable1 = { 0xA000_0008_1234_502BUL, 0x0000_1000_1800_00D5UL, 0, 0, 0, 0, 0, 0 };

    // arm_smmu_make_cdtable_ste(!ats, s1dss = SSID0 (2)), s1fmt LINEAR, cdtab_dma = 0x000F_FFFF_FFFF_FFC0
    // (top of STRTAB_STE_0_S1CTXPTR_MASK 51:6), s1cdmax 0, stall-enabled master, FEAT_E2H -> STRW = EL2 (2 << 30).
    private static readonly ulong[] LinuxCdTable2 = { 0x000F_FFFF_FFFF_FFCBUL, 0x0000_0000_8000_00D6UL, 0, 0, 0, 0, 0, 0 };

    // arm_smmu_make_s2_domain_ste(ats_enabled) with ATTR_TYPES_OVR, s2_cfg.vmid = 0x8001 and an io-pgtable VTCR of
    // tsz 16, sl 2, irgn 1, orgn 1, sh 3, tg 2 (16K), ps 5 (48-bit), vttbr = 0x8_8765_4000:
    //   data[0] = V | CFG S2_TRANS (6) << 1                                            = 0xD
    //   data[1] = EATS TRANS 1 << 28 | SHCFG INCOMING 1 << 44
    //   data[2] = VMID | VTCR << 32 | S2AA64 (51) | S2PTW (54) | S2R (58)              = 0x044D_B590_0000_8001
    //   data[3] = vttbr & GENMASK_ULL(51, 4)
    private static readonly ulong[] LinuxS2 = { 0xDUL, 0x0000_1000_1000_0000UL, 0x044D_B590_0000_8001UL, 0x0000_0008_8765_4000UL, 0, 0, 0, 0 };

    // arm_smmu_make_s2_domain_ste(!ats), no ATTR_TYPES_OVR, vmid = 0xFFFF, VTCR tsz 32, sl 1, irgn 3, orgn 2, sh 2,
    // tg 1 (64K), ps 6 (52-bit), vttbr = 0x000F_FFFF_FFFF_0000.
    private static readonly ulong[] LinuxS2Wide = { 0xDUL, 0, 0x044E_6B60_0000_FFFFUL, 0x000F_FFFF_FFFF_0000UL, 0, 0, 0, 0 };

    // arm_smmu_make_nested_cd_table_ste: arm_smmu_make_s2_domain_ste(vmid 0x42, VTCR as LinuxS2 but tg 0, ats) then
    //   data[0] = V | CFG NESTED (7) << 1 | (guest ste[0] & ~CFG); data[1] |= guest ste[1] | STRTAB_STE_1_MEV (1 << 19),
    // for a guest STE (within STRTAB_STE_0/1_NESTING_ALLOWED) of S1 translate, S1FMT 1, S1ContextPtr IPA 0x4_0000_1000,
    // S1CDMAX 16, S1DSS SSID0, S1CIR 2, S1COR 3, S1CSH 2, S1STALLD, EATS TRANS.
    private static readonly ulong[] GuestSte = { 0x8000_0004_0000_101BUL, 0x0000_0000_1800_00BAUL };
    private static readonly ulong[] LinuxNested = { 0x8000_0004_0000_101FUL, 0x0000_0000_1808_00BAUL, 0x044D_3590_0000_0042UL, 0x0000_0008_8765_4000UL, 0, 0, 0, 0 };

    [Fact]
    public void LinuxAbortAndBypass()
    {
        var abort = Decode<Ste>(FromQwords(LinuxAbort));
        Assert.True(abort.V);
        Assert.Equal(SteConfig.Abort, abort.Config);
        Assert.True(abort.Validate().IsValid);
        Assert.Equal(FromQwords(LinuxAbort), Ste.Create().WithV(true).WithConfig(SteConfig.Abort).ToBytes());

        var bypass = Decode<Ste>(FromQwords(LinuxBypass));
        Assert.Equal(SteConfig.Bypass, bypass.Config);
        Assert.Equal(ShareabilityConfig.Incoming, bypass.ShCfg);
        Assert.True(bypass.Validate().IsValid);
        Assert.Equal(FromQwords(LinuxBypass), Ste.Create().WithV(true).WithConfig(SteConfig.Bypass).WithShCfg(ShareabilityConfig.Incoming).ToBytes());

        // QEMU decode_ste: STE_CFG_ABORT(config) = !(config & 4); STE_CFG_BYPASS(config) = config == 4.
        Assert.Equal(0U, SteConfigOf(Words(abort.ToBytes())) & 4);
        Assert.Equal(4U, SteConfigOf(Words(bypass.ToBytes())));
    }

    [Fact]
    public void LinuxCdTableSte()
    {
        var a = Decode<Ste>(FromQwords(LinuxCdTable1));
        Assert.True(a.V);
        Assert.Equal(SteConfig.S1Trans, a.Config);
        Assert.Equal(S1Format.TwoLevel64K, a.S1Fmt);
        Assert.Equal(0x8_1234_5000UL, a.S1ContextPtr);
        Assert.Equal(20UL, a.S1CdMax);
        Assert.Equal(S1DefaultSubstream.Bypass, a.S1Dss);
        Assert.Equal(ContextCacheability.WriteBackReadAllocate, a.S1Cir);
        Assert.Equal(ContextCacheability.WriteBackReadAllocate, a.S1Cor);
        Assert.Equal(Shareability.InnerShareable, a.S1Csh);
        Assert.True(a.S1Stalld);
        Assert.Equal(AtsConfig.FullAts, a.Eats);
        Assert.Equal(StreamWorld.NsEl1, a.Strw);
        Assert.Equal(ShareabilityConfig.Incoming, a.ShCfg);
        Assert.Equal(0UL, a.S2Vmid);
        Assert.True(a.Validate().IsValid);

        var b = Decode<Ste>(FromQwords(LinuxCdTable2));
        Assert.Equal(S1Format.Linear, b.S1Fmt);
        Assert.Equal(0x000F_FFFF_FFFF_FFC0UL, b.S1ContextPtr);
        Assert.Equal(S1DefaultSubstream.Ssid0, b.S1Dss);
        Assert.Equal(StreamWorld.NsEl2, b.Strw);
        Assert.Equal(AtsConfig.Abort, b.Eats);
        Assert.False(b.S1Stalld);
        Assert.True(b.Validate().IsValid);

        var built = Ste.Create().WithV(true).WithConfig(SteConfig.S1Trans).WithS1Fmt(S1Format.TwoLevel64K).WithS1ContextPtr(0x8_1234_5000)
            .WithS1CdMax(20).WithS1Dss(S1DefaultSubstream.Bypass).WithS1Cir(ContextCacheability.WriteBackReadAllocate)
            .WithS1Cor(ContextCacheability.WriteBackReadAllocate).WithS1Csh(Shareability.InnerShareable).WithS1Stalld(true)
            .WithEats(AtsConfig.FullAts).WithShCfg(ShareabilityConfig.Incoming);
        Assert.Equal(FromQwords(LinuxCdTable1), built.ToBytes());
    }

    [Fact]
    public void QemuReadsOurCdTableSte()
    {
        // QEMU STE_VALID/STE_CONFIG/STE_S1FMT/STE_CTXPTR/STE_S1CDMAX/STE_S1STALLD/STE_EATS/STE_STRW (smmuv3-common.h).
        var w = Words(FromQwords(LinuxCdTable1));
        Assert.Equal(1U, SteValid(w));
        Assert.Equal(5U, SteConfigOf(w));
        Assert.Equal(2U, SteS1Fmt(w));
        Assert.Equal(0x8_1234_5000UL, SteCtxPtr(w));
        Assert.Equal(20U, SteS1CdMax(w));
        Assert.Equal(1U, SteS1Stalld(w));
        Assert.Equal(1U, SteEats(w));
        Assert.Equal(0U, SteStrw(w));
        Assert.Equal(2U, SteStrw(Words(FromQwords(LinuxCdTable2))));
    }

    [Fact]
    public void S1ContextPointerReachesBit55()
    {
        // Spec and current QEMU (CTXPTR_HI = word[1] bits 23:0): S1ContextPtr is [55:6]. Linux masks 51:6; the older
        // QEMU STE_CTXPTR kept only word[1] bits 15:0 (pointer bits 47:32).
        var ste = Ste.Create().WithV(true).WithConfig(SteConfig.S1Trans).WithS1ContextPtr(0x0080_0000_0000_0040);
        var w = Words(ste.ToBytes());
        Assert.Equal(0x0080_0000_0000_0040UL, SteCtxPtr(w));
        Assert.Equal(0x40UL, SteCtxPtrOld(w));
        Assert.Equal(0x40UL, Qwords(ste.ToBytes())[0] & StrtabSte0S1CtxPtrMask);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => Ste.Create().WithS1ContextPtr(0x20));

        // Bits 58:56 (above the pointer) are RES0.
        var v = Decode<Ste>(FromQwords(LinuxCdTable1[0] | (7UL << 56), LinuxCdTable1[1], 0, 0, 0, 0, 0, 0)).Validate();
        Assert.Equal(7UL << 56, v.ReservedBitsSet(0));
    }

    [Fact]
    public void LinuxS2DomainSte()
    {
        var a = Decode<Ste>(FromQwords(LinuxS2));
        Assert.Equal(SteConfig.S2Trans, a.Config);
        Assert.Equal(AtsConfig.FullAts, a.Eats);
        Assert.Equal(ShareabilityConfig.Incoming, a.ShCfg);
        Assert.Equal(0x8001UL, a.S2Vmid);
        Assert.Equal(16UL, a.S2T0sz);
        Assert.Equal(2UL, a.S2Sl0);
        Assert.Equal(TableCacheability.WriteBackReadWriteAllocate, a.S2Ir0);
        Assert.Equal(TableCacheability.WriteBackReadWriteAllocate, a.S2Or0);
        Assert.Equal(Shareability.InnerShareable, a.S2Sh0);
        Assert.Equal(TranslationGranule.Granule16K, a.S2Tg);
        Assert.Equal(AddressSize.Bits48, a.S2Ps);
        Assert.True(a.S2Aa64);
        Assert.False(a.S2Endi);
        Assert.True(a.S2Ptw);
        Assert.True(a.S2R);
        Assert.False(a.S2S);
        Assert.Equal(0x8_8765_4000UL, a.S2Ttb);
        Assert.True(a.Validate().IsValid);

        var b = Decode<Ste>(FromQwords(LinuxS2Wide));
        Assert.Equal(0xFFFFUL, b.S2Vmid);
        Assert.Equal(32UL, b.S2T0sz);
        Assert.Equal(1UL, b.S2Sl0);
        Assert.Equal(TableCacheability.WriteBackReadAllocate, b.S2Ir0);
        Assert.Equal(TableCacheability.WriteThroughReadAllocate, b.S2Or0);
        Assert.Equal(Shareability.OuterShareable, b.S2Sh0);
        Assert.Equal(TranslationGranule.Granule64K, b.S2Tg);
        Assert.Equal(AddressSize.Bits52, b.S2Ps);
        Assert.Equal(0x000F_FFFF_FFFF_0000UL, b.S2Ttb);
        Assert.True(b.Validate().IsValid);

        var built = Ste.Create().WithV(true).WithConfig(SteConfig.S2Trans).WithS2Vmid(0xFFFF).WithS2T0sz(32).WithS2Sl0(1)
            .WithS2Ir0(TableCacheability.WriteBackReadAllocate).WithS2Or0(TableCacheability.WriteThroughReadAllocate)
            .WithS2Sh0(Shareability.OuterShareable).WithS2Tg(TranslationGranule.Granule64K).WithS2Ps(AddressSize.Bits52)
            .WithS2Aa64(true).WithS2Ptw(true).WithS2R(true).WithS2Ttb(0x000F_FFFF_FFFF_0000);
        Assert.Equal(FromQwords(LinuxS2Wide), built.ToBytes());
    }

    [Fact]
    public void QemuReadsOurS2DomainSte()
    {
        var w = Words(FromQwords(LinuxS2));
        Assert.Equal(6U, SteConfigOf(w));
        Assert.Equal(0x8001U, SteS2Vmid(w));
        Assert.Equal(16U, SteS2T0sz(w));
        Assert.Equal(2U, SteS2Sl0(w));
        Assert.Equal(2U, SteS2Tg(w));
        Assert.Equal(5U, SteS2Ps(w));
        Assert.Equal(1U, SteS2Aa64(w));
        Assert.Equal(0U, SteS2Endi(w));
        Assert.Equal(1U, SteS2R(w));
        Assert.Equal(0U, SteS2S(w));
        Assert.Equal(0x8_8765_4000UL, SteS2Ttb(w));
        Assert.Equal(0x000F_FFFF_FFFF_0000UL, SteS2Ttb(Words(FromQwords(LinuxS2Wide))));

        // The older STE_S2TTB kept word[7] bits 15:0 only (address bits 47:32).
        Assert.Equal(0x0000_FFFF_FFFF_0000UL, SteS2TtbOld(Words(FromQwords(LinuxS2Wide))));
    }

    [Fact]
    public void S2HdHaS2SPositions()
    {
        // Disagreement: current QEMU (smmuv3-common.h) and the spec put S2HD, S2HA, S2S, S2R at STE bits 183..186
        // (word[5] bits 23..26; Linux STRTAB_STE_2_S2S = dword 2 bit 57 = 185, S2R bit 58 = 186); the older
        // smmuv3-internal.h read S2HD/S2HA/S2S at word[5] bits 24/25/26, one position too high.
        var ste = Ste.Create().WithV(true).WithConfig(SteConfig.S2Trans).WithS2Aa64(true).WithS2T0sz(25).WithS2Hd(true);
        var w = Words(ste.ToBytes());
        Assert.Equal(1U, SteS2Hd(w));
        Assert.Equal(0U, SteS2Ha(w));
        Assert.Equal(0U, SteS2HdOld(w));

        var s2s = Ste.Create().WithS2S(true);
        Assert.Equal(StrtabSte2S2S, Qwords(s2s.ToBytes())[2]);
        Assert.Equal(1U, SteS2S(Words(s2s.ToBytes())));
        Assert.Equal(0U, SteS2SOld(Words(s2s.ToBytes())));
        Assert.Equal(1U, SteS2HaOld(Words(s2s.ToBytes()))); // the old macro would take S2S for S2HA

        Assert.Equal(StrtabSte2S2R, Qwords(Ste.Create().WithS2R(true).ToBytes())[2]);
        Assert.Equal(1UL << 53, Qwords(Ste.Create().WithS2Affd(true).ToBytes())[2]);
        Assert.Equal(1U, SteS2Affd(Words(Ste.Create().WithS2Affd(true).ToBytes())));
        Assert.Equal(StrtabSte2S2Endi, Qwords(Ste.Create().WithS2Endi(true).ToBytes())[2]);
    }

    [Fact]
    public void LinuxNestedSte()
    {
        var n = Decode<Ste>(FromQwords(LinuxNested));
        Assert.Equal(SteConfig.Nested, n.Config);
        Assert.Equal(S1Format.TwoLevel4K, n.S1Fmt);
        Assert.Equal(0x4_0000_1000UL, n.S1ContextPtr);
        Assert.Equal(16UL, n.S1CdMax);
        Assert.Equal(S1DefaultSubstream.Ssid0, n.S1Dss);
        Assert.Equal(ContextCacheability.WriteThroughReadAllocate, n.S1Cir);
        Assert.Equal(ContextCacheability.WriteBackNoReadAllocate, n.S1Cor);
        Assert.Equal(Shareability.OuterShareable, n.S1Csh);
        Assert.True(n.S1Stalld);
        Assert.True(n.Mev);
        Assert.Equal(AtsConfig.FullAts, n.Eats);
        Assert.Equal(0x42UL, n.S2Vmid);
        Assert.Equal(TranslationGranule.Granule4K, n.S2Tg);
        Assert.True(n.S2Ptw);
        Assert.True(n.Validate().IsValid);

        // The guest STE itself (a vSTE as userspace passes it): only STRTAB_STE_0/1_NESTING_ALLOWED bits.
        var guest = Decode<Ste>(FromQwords(GuestSte[0], GuestSte[1], 0, 0, 0, 0, 0, 0));
        Assert.Equal(SteConfig.S1Trans, guest.Config);
        var allowed0 = StrtabSte0V | StrtabSte0Cfg | StrtabSte0S1Fmt | StrtabSte0S1CtxPtrMask | StrtabSte0S1CdMax;
        var allowed1 = StrtabSte1S1Dss | StrtabSte1S1Cir | StrtabSte1S1Cor | StrtabSte1S1Csh | StrtabSte1S1Stalld | StrtabSte1Eats;
        Assert.Equal(0UL, GuestSte[0] & ~allowed0);
        Assert.Equal(0UL, GuestSte[1] & ~allowed1);

        // Rebuild the nested STE from our S2 encoding plus the guest words, as the Linux function does.
        var s2 = Ste.Create().WithV(true).WithConfig(SteConfig.S2Trans).WithEats(AtsConfig.FullAts).WithS2Vmid(0x42).WithS2T0sz(16).WithS2Sl0(2)
            .WithS2Ir0(TableCacheability.WriteBackReadWriteAllocate).WithS2Or0(TableCacheability.WriteBackReadWriteAllocate)
            .WithS2Sh0(Shareability.InnerShareable).WithS2Ps(AddressSize.Bits48).WithS2Aa64(true).WithS2Ptw(true).WithS2R(true)
            .WithS2Ttb(0x8_8765_4000);
        var words = Qwords(s2.ToBytes());
        words[0] = StrtabSte0V | FieldPrep(StrtabSte0Cfg, 7) | (GuestSte[0] & ~StrtabSte0Cfg);
        words[1] |= GuestSte[1] | StrtabSte1Mev;
        Assert.Equal(LinuxNested, words);
    }

    [Fact]
    public void DwordOneOverridesAndFlags()
    {
        // Linux STRTAB_STE_1_MEV (bit 19) and STRTAB_STE_1_S2FWB (bit 25); the attribute overrides (gem5 /
        // FreeBSD STE1_*) with the top bit of each multi-bit field set.
        Assert.Equal(StrtabSte1Mev, Qwords(Ste.Create().WithMev(true).ToBytes())[1]);
        Assert.Equal(StrtabSte1S2Fwb, Qwords(Ste.Create().WithS2Fwb(true).ToBytes())[1]);
        var ste = Ste.Create().WithCont(0x8).WithMemAttr(0x8).WithAllocCfg(0x8).WithNsCfg(AttributeOverride.Override0)
            .WithPrivCfg(AttributeOverride.Override0).WithInstCfg(AttributeOverride.Override0).WithShCfg(ShareabilityConfig.OuterShareable)
            .WithImplementationDefined1(0x800).WithSwReserved(0x8).WithDcp(true).WithPpar(true).WithDre(true).WithMtCfg(true);
        var expected = (0x8UL << 13) | (1UL << 12) | (1UL << 17) | (1UL << 18) | (0x8UL << 20) | (0x8UL << 32) | (1UL << 36)
            | (0x8UL << 37) | (2UL << 44) | (2UL << 46) | (2UL << 48) | (2UL << 50) | (0x800UL << 52);
        Assert.Equal(expected, Qwords(ste.ToBytes())[1]);
        Assert.Equal(2UL, FieldGet(StrtabSte1ShCfg, expected));

        // Override value 0b01 is reserved for NSCFG/PRIVCFG/INSTCFG; the enum is not strict (no C_BAD_STE is
        // architected for it), so the raw value decodes and is not reported.
        var odd = Decode<Ste>(FromQwords(0, 1UL << 46, 0, 0, 0, 0, 0, 0));
        Assert.Equal((AttributeOverride)1, odd.NsCfg);
        Assert.False(System.Enum.IsDefined(odd.NsCfg));
        Assert.Equal(System.UInt128.Zero, odd.Validate().EnumFields);
    }

    [Fact]
    public void SpecOnlyDwordsTopBits()
    {
        // Arm IHI 0070 §5.2 positions of the fields neither Linux nor QEMU use (dwords 3 to 7), each at its top value.
        var ste = Ste.Create().WithS2Nsw(true).WithS2Nsa(true).WithS2Sl0Bit2(true).WithS2Ds(true).WithS2Skl(2)
            .WithImplementationDefined4(0x8000).WithPartId(0x8000).WithSS2T0sz(0x20).WithSS2Sl0(2).WithSS2Tg(TranslationGranule.Granule16K)
            .WithMecId(0x8000).WithPmg(0x80).WithMpamNs(true).WithAssuredOnly(true).WithTl0(true).WithTl1(true).WithVmsPtr(0x0080_0000_0000_0000)
            .WithS2Sw(true).WithS2Sa(true).WithSS2Sl0Bit2(true).WithSS2Ttb(0x0008_0000_0000_0000).WithSS2Skl(2).WithS2Poi(0x8000_0000_0000_0000)
            .WithS2Haft(true).WithS2Pie(true).WithS2Poe(true).WithDptVmatch(2).WithImplementationDefined2(0x8000);
        var q = Qwords(ste.ToBytes());
        Assert.Equal((0x8000UL << 16) | (1UL << 59) | (1UL << 60) | (1UL << 61) | (2UL << 62), q[2]);
        Assert.Equal(1UL | (1UL << 1) | (1UL << 2) | (1UL << 3) | (2UL << 61), q[3]);
        Assert.Equal(0x8000UL | (0x8000UL << 16) | (0x20UL << 32) | (2UL << 38) | (2UL << 46) | (0x8000UL << 48), q[4]);
        Assert.Equal(0x80UL | (1UL << 8) | (1UL << 9) | (1UL << 10) | (1UL << 11) | (0x0080_0000_0000_0000UL >> 12 << 12), q[5]);
        Assert.Equal(1UL | (1UL << 1) | (1UL << 2) | 0x0008_0000_0000_0000UL | (2UL << 61), q[6]);
        Assert.Equal(0x8000_0000_0000_0000UL, q[7]);
    }

    [Fact]
    public void HardwareChecksNameCBadSte()
    {
        var s1 = Decode<Ste>(FromQwords(LinuxCdTable1));
        Assert.Equal(new[] { "ValidBit" }, ViolatedRules(s1.WithV(false)));
        Assert.Equal(new[] { "StrwNotReserved" }, ViolatedRules(s1.WithStrw((StreamWorld)1)));
        Assert.Equal(new[] { "S1CdMaxInRange" }, ViolatedRules(s1.WithS1CdMax(21)));
        Assert.Equal(new[] { "SplitStageAts" }, ViolatedRules(s1.WithEats(AtsConfig.SplitStage)));

        var s2 = Decode<Ste>(FromQwords(LinuxS2));
        Assert.Equal(new[] { "FullAtsNoS2Stall" }, ViolatedRules(s2.WithS2S(true)));
        Assert.Equal(new[] { "S2GranuleNotReserved" }, ViolatedRules(s2.WithS2Tg((TranslationGranule)3)));
        Assert.Equal(new[] { "S2T0szInRange" }, ViolatedRules(s2.WithS2T0sz(11)));
        Assert.Equal(new[] { "S2T0szInRange" }, ViolatedRules(s2.WithS2T0sz(48).WithS2Tg(TranslationGranule.Granule64K)));
        Assert.Equal(new[] { "S2TtbWithinS2Ps" }, ViolatedRules(s2.WithS2Ps(AddressSize.Bits32)));
        Assert.Equal(new[] { "S2TtbWithinS2Ps", "S2Ttb48BitWithoutDs" }, ViolatedRules(s2.WithS2Ttb(0x0001_0000_0000_0000)));
        Assert.Equal(new[] { "S2TtbWithinS2Ps" }, ViolatedRules(s2.WithS2Ttb(0x0001_0000_0000_0000).WithS2Ds(true)));
        Assert.Equal(new[] { "S2HaftNeedsS2Ha" }, ViolatedRules(s2.WithS2Haft(true)));
        Assert.Empty(ViolatedRules(s2.WithS2Haft(true).WithS2Ha(true)));
        Assert.Equal(new[] { "S2PoeNeedsS2Pie" }, ViolatedRules(s2.WithS2Poe(true)));
        Assert.Equal(new[] { "SplitStageAts" }, ViolatedRules(s2.WithEats(AtsConfig.SplitStage)));

        var nested = Decode<Ste>(FromQwords(LinuxNested));
        Assert.Empty(ViolatedRules(nested.WithEats(AtsConfig.SplitStage)));
        Assert.Equal(new[] { "SplitStageAts" }, ViolatedRules(nested.WithEats(AtsConfig.SplitStage).WithS2S(true)));

        Assert.All(s2.WithV(false).Validate().RuleErrors(Ste.Layout), e => Assert.Equal("C_BAD_STE", e));

        // QEMU decode_ste: S2TG 0b11 and S2S = 1 both end in bad_ste (C_BAD_STE).
        Assert.Equal(3U, SteS2Tg(Words(s2.WithS2Tg((TranslationGranule)3).ToBytes())));
    }

    [Fact]
    public void ReservedBitsOfTheSte()
    {
        // 58:56 (dword 0), 107:105 (dword 1 bits 43:41), 252:244 and 255 (dword 3) are RES0.
        var v = Decode<Ste>(FromQwords(1UL << 57, 1UL << 42, 0, (1UL << 52) | (1UL << 63), 0, 0, 0, 0)).Validate();
        Assert.Equal(1UL << 57, v.ReservedBitsSet(0));
        Assert.Equal(1UL << 42, v.ReservedBitsSet(1));
        Assert.Equal((1UL << 52) | (1UL << 63), v.ReservedBitsSet(3));
    }
}
