using HwSpecGen.Hardware.IntelVtd;
using static HwSpecGen.Hardware.Tests.IntelVtd.QemuVtdMacros;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>PASID directory and PASID table entries built by Linux's pasid_set_* setters and read by QEMU.</summary>
public sealed class PasidEntryTests
{
    [Fact]
    public void PasidPteConfigNestedEntryDecodes()
    {
        // pasid_pte_config_nestd-style: pasid_clear_entry; pasid_set_flpm(1); pasid_set_flptr(1 << 63);
        // pasid_set_sre; pasid_set_wpe; pasid_set_eafe; pasid_set_pgsnp; pasid_set_slptr(1 << 63);
        // pasid_set_domain_id(0x8000); pasid_set_address_width(2); pasid_set_page_snoop(true);
        // pasid_set_ssade; pasid_set_translation_type(PASID_ENTRY_PGTT_NESTED); pasid_set_present.
        var e = PasidTableEntry.FromWords([0x8000_0000_0000_02C9UL, 0x0000_0000_0180_8000UL, 0x8000_0000_0000_0095UL, 0, 0, 0, 0, 0]);
        Assert.True(e.P);
        Assert.False(e.Fpd);
        Assert.Equal(SecondStageAddressWidth.FourLevel, e.Aw);
        Assert.Equal(PasidGranularTranslationType.Nested, e.Pgtt);
        Assert.True(e.Slade);
        Assert.Equal(0x8000_0000_0000_0000UL, e.Slptptr);
        Assert.Equal(0x8000UL, e.Did);
        Assert.True(e.Pwsnp);
        Assert.True(e.Pgsnp);
        Assert.True(e.Sre);
        Assert.Equal(FirstStagePagingMode.FiveLevel, e.Flpm);
        Assert.True(e.Wpe);
        Assert.True(e.Eafe);
        Assert.False(e.Nxe);
        Assert.Equal(0x8000_0000_0000_0000UL, e.Fsptptr);
        Assert.True(e.Validate().IsValid);
    }

    [Fact]
    public void IntelPasidSetupBindDataMemoryTypeFieldsDecode()
    {
        // Linux v5.8 intel_pasid_setup_bind_data + intel_pasid_setup_first_level: pasid_set_emte, pasid_set_emt(7),
        // pasid_set_pcd, pasid_set_pwt, pasid_set_cd, pasid_set_pat(0x80000001), pasid_set_nxe,
        // pasid_set_flptr(0x1_2345_6000), pasid_set_domain_id(0xFFFF), pasid_set_address_width(1),
        // pasid_set_translation_type(PASID_ENTRY_PGTT_FL_ONLY), pasid_set_present.
        var e = PasidTableEntry.FromWords([0x45UL, 0x8000_0001_FE00_FFFFUL, 0x0000_0001_2345_6020UL, 0, 0, 0, 0, 0]);
        Assert.Equal(PasidGranularTranslationType.FirstStageOnly, e.Pgtt);
        Assert.Equal(SecondStageAddressWidth.ThreeLevel, e.Aw);
        Assert.Equal(0xFFFFUL, e.Did);
        Assert.True(e.Cd);
        Assert.True(e.Emte);
        Assert.Equal(7UL, e.Emt);
        Assert.True(e.Pwt);
        Assert.True(e.Pcd);
        Assert.Equal(0x8000_0001UL, e.Pat);
        Assert.True(e.Nxe);
        Assert.Equal(FirstStagePagingMode.FourLevel, e.Flpm);
        Assert.Equal(0x1_2345_6000UL, e.Fsptptr);
        Assert.True(e.Validate().IsValid);
    }

    [Fact]
    public void PassThroughEntrySetsTheTopPgttBit()
    {
        // pasid_pte_config_pass_through: DID = FLPT_DEFAULT_DID (1), AW = 2, PGTT = PASID_ENTRY_PGTT_PT (4),
        // PWSNP, P.
        var e = PasidTableEntry.FromWords([0x109UL, 0x80_0001UL, 0, 0, 0, 0, 0, 0]);
        Assert.Equal(PasidGranularTranslationType.PassThrough, e.Pgtt);
        Assert.Equal(1UL, e.Did);
        Assert.True(e.Pwsnp);
        Assert.True(e.Validate().IsValid);
    }

    [Fact]
    public void EncodedEntryReadsBackThroughQemuAccessors()
    {
        var e = PasidTableEntry.Create().WithP(true).WithFpd(true).WithAw(SecondStageAddressWidth.FiveLevel)
            .WithPgtt(PasidGranularTranslationType.SecondStageOnly).WithSlptptr(0x000F_FFFF_FFFF_F000).WithDid(0xFFFF)
            .WithSre(true).WithWpe(true).WithEafe(true).WithFlpm(FirstStagePagingMode.FiveLevel).WithFsptptr(0xFFFF_FFFF_FFFF_F000)
            .WithCd(true).WithEmte(true).WithEmt(4).WithPwt(true).WithPcd(true).WithPat(0xFFFF_FFFF);
        ulong v0 = e.GetWord(0), v1 = e.GetWord(1), v2 = e.GetWord(2);
        Assert.Equal(PasidEntryP | PasidEntryFpd, v0 & (PasidEntryP | PasidEntryFpd));
        Assert.Equal(3UL, SmPasidEntryAw(v0));
        Assert.Equal(SmPasidEntrySlt, v0 & SmPasidEntryPgtt);
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, v0 & SmPasidEntrySlptptr);
        Assert.Equal(0xFFFFUL, SmPasidEntryDid(v1));
        Assert.Equal(1UL, SmPasidEntrySre(v2));
        Assert.Equal(1UL, SmPasidEntryWpe(v2));
        Assert.Equal(1UL, SmPasidEntryEafe(v2));
        Assert.Equal(1UL, SmPasidEntryFspm(v2));
        Assert.Equal(0xF_FFFF_FFFF_FFFFUL, SmPasidEntryFsptpfn(v2));
        Assert.Equal(1UL, SmPasidEntryCdBit(v1));
        Assert.Equal(1UL, SmPasidEntryEmteBit(v1));
        Assert.Equal(4UL, SmPasidEntryEmt(v1));
        Assert.Equal(1UL, SmPasidEntryPwtBit(v1));
        Assert.Equal(1UL, SmPasidEntryPcdBit(v1));
        Assert.Equal(0xFFFF_FFFFUL, SmPasidEntryPat(v1));
        Assert.True(e.Validate().IsValid);
    }

    [Fact]
    public void RulesRaiseTheScalableModeFaultReason()
    {
        // Present entry with reserved PGTT 5: fault 0x5B (QEMU vtd_pe_type_check -> VTD_FR_PASID_TABLE_ENTRY_INV).
        var badType = PasidTableEntry.Create().WithP(true).WithPgtt((PasidGranularTranslationType)5);
        Assert.Equal(new[] { "SmPasidTableEntryInvalid" }, badType.Validate().RuleErrors(PasidTableEntry.Layout));
        Assert.Equal((ulong)FaultReason.SmPasidTableEntryInvalid, 0x5BUL);

        // Second-stage entry with AW 4 (top AW bit, reserved) and first-stage entry with FSPM 2.
        var badAw = PasidTableEntry.Create().WithP(true).WithPgtt(PasidGranularTranslationType.SecondStageOnly).WithAw((SecondStageAddressWidth)4);
        Assert.True(badAw.Validate().IsRuleViolated(1));
        var badFspm = PasidTableEntry.Create().WithP(true).WithPgtt(PasidGranularTranslationType.FirstStageOnly).WithFlpm((FirstStagePagingMode)2);
        Assert.True(badFspm.Validate().IsRuleViolated(2));

        // A cleared, non-present entry (pasid_clear_entry) is valid; pasid_clear_entry_with_fpd too.
        Assert.True(PasidTableEntry.Create().Validate().IsValid);
        Assert.True(PasidTableEntry.FromWords([2UL, 0, 0, 0, 0, 0, 0, 0]).Validate().IsValid);
    }

    [Fact]
    public void ReservedPasidEntryBitsAreReported()
    {
        // Reserved 11:10, 86:80, 139:136 and qwords 3..7 (fault 0x5A); QEMU does not check them.
        var e = PasidTableEntry.FromWords([1UL << 10, 1UL << 16, 1UL << 11, 1, 0, 0, 0, 1UL << 63]);
        var v = e.Validate();
        Assert.Equal(1UL << 10, v.ReservedBitsSet(0));
        Assert.Equal(1UL << 16, v.ReservedBitsSet(1));
        Assert.Equal(1UL << 11, v.ReservedBitsSet(2));
        Assert.Equal(1UL, v.ReservedBitsSet(3));
        Assert.Equal(1UL << 63, v.ReservedBitsSet(7));
        Assert.Equal(5, v.Count);
    }

    [Fact]
    public void PasidDirectoryEntriesDecode()
    {
        // pasid.h: PASID_PTE_PRESENT, PDE_PFN_MASK; QEMU VTD_PASID_DIR_FPD.
        var e = PasidDirectoryEntry.FromWords([0x8000_0000_0000_0001UL]);
        Assert.True(e.P);
        Assert.False(e.Fpd);
        Assert.Equal(0x8000_0000_0000_0000UL, e.Smptblptr);
        Assert.True(e.Validate().IsValid);

        var f = PasidDirectoryEntry.Create().WithP(true).WithFpd(true).WithSmptblptr(0xFFFF_FFFF_FFFF_F000);
        Assert.Equal(0xFFFF_FFFF_FFFF_F003UL, f.GetWord(0));
        Assert.Equal(PasidDirFpd, f.GetWord(0) & PasidDirFpd);
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL, f.GetWord(0) & PasidTableBaseAddrMask);
        Assert.Equal(1UL << 2, PasidDirectoryEntry.FromWords([1UL | 1UL << 2]).Validate().ReservedBitsSet(0));
    }
}
