using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>The 512-bit CD against Linux arm_smmu_make_s1_cd (arm-smmu-v3.c) and the QEMU CD_* accessors / decode_cd.</summary>
public sealed class ContextDescriptorTests
{
    // arm_smmu_make_s1_cd for an io-pgtable ARM_64_LPAE_S1 with 48-bit VA, 4 KiB granule: tcr tsz 16, tg 0, irgn 1,
    // orgn 1, sh 3, ips 5; ASID 0x8001; stall-enabled master (CTXDESC_CD_0_S); IO_PGTABLE_QUIRK_ARM_HD (HA | HD);
    // ttbr 0x8123_4567_8000; mair = 0x44 | 0xFF << 8 | 0x04 << 16 (ARM_LPAE_MAIR_ATTR_NC/WBRWA/DEVICE):
    //   data[0] = 16 | 1 << 8 | 1 << 10 | 3 << 12 | EPD1 (30) | V (31) | 5 << 32 | AA64 (41) | HD (42) | HA (43) | S (44)
    //             | R (45) | A (46) | ASET (47) | 0x8001 << 48                                   = 0x8001_FE05_C000_3510
    //   data[1] = ttbr & GENMASK_ULL(51, 4); data[3] = mair
    private static readonly ulong[] LinuxCd1 = { 0x8001_FE05_C000_3510UL, 0x0000_8123_4567_8000UL, 0, 0x0000_0000_0004_FF44UL, 0, 0, 0, 0 };

    // Same builder with tsz 32, tg 2 (16K), irgn 3, orgn 2, sh 2, ips 6 (52-bit), ASID 0xFFFF, no stall, no HD,
    // ttbr 0x8000_0000_4000, mair ~0.
    private static readonly ulong[] LinuxCd2 = { 0xFFFF_E206_C000_2BA0UL, 0x0000_8000_0000_4000UL, 0, ulong.MaxValue, 0, 0, 0, 0 };

    [Fact]
    public void LinuxS1CdDecodes()
    {
        var a = Decode<Cd>(FromQwords(LinuxCd1));
        Assert.Equal(16UL, a.T0sz);
        Assert.Equal(TranslationGranule.Granule4K, a.Tg0);
        Assert.Equal(TableCacheability.WriteBackReadWriteAllocate, a.Ir0);
        Assert.Equal(TableCacheability.WriteBackReadWriteAllocate, a.Or0);
        Assert.Equal(Shareability.InnerShareable, a.Sh0);
        Assert.False(a.Epd0);
        Assert.True(a.Epd1);
        Assert.True(a.V);
        Assert.Equal(AddressSize.Bits48, a.Ips);
        Assert.True(a.Aa64);
        Assert.True(a.Hd && a.Ha && a.S && a.R && a.A && a.Aset);
        Assert.Equal(0x8001UL, a.Asid);
        Assert.Equal(0x8123_4567_8000UL, a.Ttb0);
        Assert.Equal(0x0004_FF44UL, a.Mair0);
        Assert.Equal(0UL, a.Mair1);
        Assert.True(a.Validate().IsValid);

        var b = Decode<Cd>(FromQwords(LinuxCd2));
        Assert.Equal(32UL, b.T0sz);
        Assert.Equal(TranslationGranule.Granule16K, b.Tg0);
        Assert.Equal(TableCacheability.WriteBackReadAllocate, b.Ir0);
        Assert.Equal(TableCacheability.WriteThroughReadAllocate, b.Or0);
        Assert.Equal(Shareability.OuterShareable, b.Sh0);
        Assert.Equal(AddressSize.Bits52, b.Ips);
        Assert.Equal(0xFFFFUL, b.Asid);
        Assert.False(b.S || b.Hd || b.Ha);
        Assert.Equal(0xFFFF_FFFFUL, b.Mair0);
        Assert.Equal(0xFFFF_FFFFUL, b.Mair1);
        Assert.True(b.Validate().IsValid);
    }

    [Fact]
    public void EncoderReproducesLinuxS1Cd()
    {
        var cd = Cd.Create().WithT0sz(16).WithTg0(TranslationGranule.Granule4K).WithIr0(TableCacheability.WriteBackReadWriteAllocate)
            .WithOr0(TableCacheability.WriteBackReadWriteAllocate).WithSh0(Shareability.InnerShareable).WithEpd1(true).WithV(true)
            .WithIps(AddressSize.Bits48).WithAa64(true).WithS(true).WithR(true).WithA(true).WithAset(true).WithAsid(0x8001)
            .WithHa(true).WithHd(true).WithTtb0(0x8123_4567_8000).WithMair0(0x0004_FF44);
        Assert.Equal(FromQwords(LinuxCd1), cd.ToBytes());
        Assert.Equal(CtxDescCd0TcrHa | CtxDescCd0TcrHd, Qwords(cd.ToBytes())[0] & (CtxDescCd0TcrHa | CtxDescCd0TcrHd));
        Assert.Equal(0x8001UL, FieldGet(CtxDescCd0Asid, Qwords(cd.ToBytes())[0]));
    }

    [Fact]
    public void QemuReadsOurCd()
    {
        // decode_cd: CD_VALID, CD_AARCH64, CD_A, CD_S, CD_HA/HD, CD_IPS, CD_TSZ/CD_TG/CD_EPD(sel), CD_TTB, CD_ASID.
        var w = Words(FromQwords(LinuxCd1));
        Assert.Equal(1U, CdValid(w));
        Assert.Equal(1U, CdAarch64(w));
        Assert.Equal(1U, CdA(w));
        Assert.Equal(1U, CdS(w));
        Assert.Equal(1U, CdR(w));
        Assert.Equal(1U, CdHa(w));
        Assert.Equal(1U, CdHd(w));
        Assert.Equal(5U, CdIps(w));
        Assert.Equal(16U, CdTsz(w, 0));
        Assert.Equal(0U, CdTg(w, 0));
        Assert.Equal(0U, CdEpd(w, 0));
        Assert.Equal(1U, CdEpd(w, 1));
        Assert.Equal(0U, CdEndi(w));
        Assert.Equal(0x8001U, CdAsid(w));
        Assert.Equal(0x8123_4567_8000UL, CdTtb(w, 0));

        var w2 = Words(FromQwords(LinuxCd2));
        Assert.Equal(2U, CdTg(w2, 0));
        Assert.Equal(32U, CdTsz(w2, 0));
        Assert.Equal(6U, CdIps(w2));
    }

    [Fact]
    public void TtbReachesBit51AndTheOldQemuMacroStopsAtBit50()
    {
        // Ttb0 and Ttb1 are [51:4] (Linux CTXDESC_CD_1_TTB0_MASK; current QEMU TTB0_HI/TTB1_HI are 20 bits); the older
        // QEMU CD_TTB took 19 bits of the high word (address bits 50:32).
        var cd = Cd.Create().WithTtb0(0x000F_FFFF_FFFF_FFF0).WithTtb1(0x0008_0000_0000_0010).WithT1sz(0x20).WithTg1(TranslationGranuleTg1.Granule4K)
            .WithIr1(TableCacheability.WriteBackReadAllocate).WithOr1(TableCacheability.WriteThroughReadAllocate).WithSh1(Shareability.OuterShareable);
        var w = Words(cd.ToBytes());
        Assert.Equal(0x000F_FFFF_FFFF_FFF0UL, CdTtb(w, 0));
        Assert.Equal(0x0008_0000_0000_0010UL, CdTtb(w, 1));
        Assert.Equal(0x0007_FFFF_FFFF_FFF0UL, CdTtbOld(w, 0));
        Assert.Equal(0x10UL, CdTtbOld(w, 1));
        Assert.Equal(0x20U, CdTsz(w, 1));
        Assert.Equal(2U, CdTg(w, 1));
        Assert.Equal(0x000F_FFFF_FFFF_FFF0UL, Qwords(cd.ToBytes())[1] & CtxDescCd1Ttb0Mask);

        // TTB bits 55:52 (VMSAv9-128 only) are RES0.
        var v = Decode<Cd>(FromQwords(0, 1UL << 52, 1UL << 55, 0, 0, 0, 0, 0)).Validate();
        Assert.Equal(1UL << 52, v.ReservedBitsSet(1));
        Assert.Equal(1UL << 55, v.ReservedBitsSet(2));
    }

    [Fact]
    public void QemuOnlyFieldsAndHadBits()
    {
        // Current QEMU reads AFFD (dword 0 bit 35), TBI (39:38) and HAD0/HAD1 (dword 1/2 bit 1).
        var cd = Cd.Create().WithAffd(true).WithTbi0(true).WithTbi1(true).WithHad0(true).WithHad1(true);
        var w = Words(cd.ToBytes());
        Assert.Equal(1U, CdAffd(w));
        Assert.Equal(3U, CdTbi(w));
        Assert.Equal(1U, CdHad(w, 0));
        Assert.Equal(1U, CdHad(w, 1));
        Assert.Equal(CtxDescCd0TcrTbi0, Qwords(Cd.Create().WithTbi0(true).ToBytes())[0]);
    }

    [Fact]
    public void SpecOnlyFieldsTopBits()
    {
        // Arm IHI 0070 §5.4 positions of fields neither Linux nor QEMU use, each at its top value.
        var cd = Cd.Create().WithWxn(true).WithUwxn(true).WithPan(true).WithEndi(true).WithEpd0(true).WithNscfg0(true).WithE0pd0(true).WithHaft(true)
            .WithPnCh(true).WithEpan(true).WithHwu062(true).WithNscfg1(true).WithE0pd1(true).WithAie(true).WithDs(true).WithPie(true).WithHwu162(true)
            .WithAmair0(0x8000_0000).WithAmair1(0x8000_0000).WithImplementationDefined5(0x8000_0000).WithPartId(0x8000).WithPmg(0x80)
            .WithPiiu(0x8000_0000_0000).WithPiip(0x8000_0000_0000);
        var q = Qwords(cd.ToBytes());
        Assert.Equal((1UL << 14) | (1UL << 15) | (1UL << 36) | (1UL << 37) | (1UL << 40), q[0]);
        Assert.Equal(1UL | (1UL << 2) | (1UL << 3) | (1UL << 58) | (1UL << 59) | (1UL << 63), q[1]);
        Assert.Equal(1UL | (1UL << 2) | (1UL << 3) | (1UL << 58) | (1UL << 59) | (1UL << 63), q[2]);
        Assert.Equal(0x8000_0000_8000_0000UL, q[4]);
        Assert.Equal(0x8000_0000UL | (0x8000UL << 32) | (0x80UL << 48), q[5]);
        Assert.Equal(0x8000_0000_0000UL, q[6]);
        Assert.Equal(0x8000_0000_0000UL, q[7]);
    }

    [Fact]
    public void HardwareChecksNameCBadCd()
    {
        var a = Decode<Cd>(FromQwords(LinuxCd1));
        Assert.Equal(new[] { "ValidBit" }, ViolatedRules(a.WithV(false)));
        Assert.Equal(new[] { "Tg0NotReserved" }, ViolatedRules(a.WithTg0((TranslationGranule)3)));
        Assert.Empty(ViolatedRules(a.WithTg0((TranslationGranule)3).WithEpd0(true)));
        Assert.Equal(new[] { "Tg1NotReserved" }, ViolatedRules(a.WithEpd1(false).WithT1sz(16).WithTg1((TranslationGranuleTg1)0)));
        Assert.Equal(new[] { "T0szInRange" }, ViolatedRules(a.WithT0sz(49)));
        Assert.Equal(new[] { "T1szInRange" }, ViolatedRules(a.WithEpd1(false).WithTg1(TranslationGranuleTg1.Granule4K).WithT1sz(63)));
        Assert.Equal(new[] { "Ttb0WithinIps" }, ViolatedRules(a.WithIps(AddressSize.Bits40)));
        Assert.Equal(new[] { "Ttb0WithinIps", "Ttb0Within48BitsWithoutDs" }, ViolatedRules(a.WithTtb0(0x0001_0000_0000_0000)));
        Assert.Equal(new[] { "Ttb0WithinIps" }, ViolatedRules(a.WithTtb0(0x0001_0000_0000_0000).WithDs(true)));
        Assert.Equal(new[] { "HaftNeedsHa" }, ViolatedRules(a.WithHa(false).WithHaft(true)));
        Assert.Equal(
            new[] { "Ttb1WithinIps", "Ttb1Within48BitsWithoutDs" },
            ViolatedRules(a.WithEpd1(false).WithT1sz(16).WithTg1(TranslationGranuleTg1.Granule4K).WithTtb1(0x0001_0000_0000_0000)));
        Assert.All(a.WithV(false).Validate().RuleErrors(Cd.Layout), e => Assert.Equal("C_BAD_CD", e));

        // QEMU decode_cd: tg2granule(3, 0) = 0 and tg2granule(0, 1) = 0 -> bad_cd, matching the two TG rules.
        Assert.Equal(3U, CdTg(Words(a.WithTg0((TranslationGranule)3).ToBytes()), 0));
    }
}
