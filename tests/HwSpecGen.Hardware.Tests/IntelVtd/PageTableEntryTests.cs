using HwSpecGen.Hardware.IntelVtd;
using HwSpecGen.Runtime;
using static HwSpecGen.Hardware.Tests.IntelVtd.QemuVtdMacros;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>
/// First-stage (x86-64) and second-stage paging entries as Linux's generic page-table formats
/// (generic_pt/fmt/x86_64.h, vtdss.h) install them and QEMU's walkers check them.
/// </summary>
public sealed class PageTableEntryTests
{
    [Fact]
    public void X86_64InstallLeafEntryWritable4KiB()
    {
        // x86_64_pt_install_leaf_entry at level 0 with x86_64_pt_iommu_set_prot(IOMMU_READ | IOMMU_WRITE):
        // P | OA | U | A | RW | D.
        var e = FirstStagePte.FromWords([0x000F_FFFF_FFFF_F067UL]);
        Assert.True(e.P);
        Assert.True(e.Rw);
        Assert.True(e.Us);
        Assert.True(e.A);
        Assert.True(e.D);
        Assert.False(e.Pat);
        Assert.False(e.Xd);
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, e.Addr);
        Assert.True(e.Validate().IsValid);
    }

    [Fact]
    public void X86_64InstallLeafEntryReadOnlyWithXd()
    {
        // Read-only leaf (P | U | A | OA) plus DMA_FL_PTE_XD (older iommu.h); QEMU ignores bits 63:52.
        var e = FirstStagePte.FromWords([0x8000_0000_0123_4025UL]);
        Assert.False(e.Rw);
        Assert.False(e.D);
        Assert.True(e.Xd);
        Assert.Equal(0x123_4000UL, e.Addr);
        Assert.Equal(0UL, e.GetWord(0) & FptePageL1RsvdMask(48));
        Assert.Equal(0UL, FirstStagePte.Layout.MustBeZeroMask(0));
    }

    [Fact]
    public void X86_64InstallTableEntry()
    {
        // x86_64_pt_install_table: P | RW | U | A | OA (PS clear).
        Assert.True(FirstStageDirectoryEntry.TryDecode(System.BitConverter.GetBytes(0x000F_FFFF_FFFF_F027UL), out var e, out _));
        Assert.True(e.P && e.Rw && e.Us && e.A);
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, e.Addr);
        Assert.False(e.Ps);

        // QEMU VTD_FPTE_PAGE_L4_RSVD_MASK: PS is reserved at PML4E; for us a set PS is not a directory entry.
        var pml4WithPs = System.BitConverter.GetBytes(0x5027UL | PtPageSizeMask);
        Assert.False(FirstStageDirectoryEntry.TryDecode(pml4WithPs, out _, out var error));
        Assert.Equal(DecodeError.ConstantMismatch, error);
        Assert.Equal(0x80UL, FptePageL4RsvdMask(52)); // only PS below a 52-bit address width
    }

    [Fact]
    public void X86_64LargeLeavesSetPsAndRespectQemuReservedMasks()
    {
        // x86_64_pt_install_leaf_entry at level 1 and 2 adds X86_64_FMT_PS.
        var pde = FirstStageLargePde.FromWords([0x000F_FFFF_FFE0_00E7UL]);
        Assert.True(pde.Ps);
        Assert.Equal(0x000F_FFFF_FFE0_0000UL, pde.Addr);
        Assert.True(pde.D && pde.Rw);
        Assert.Equal(0UL, pde.GetWord(0) & FpteLpageL2RsvdMask(52));

        var pdpe = FirstStageLargePdpe.FromWords([0x0000_0000_4000_00A5UL]);
        Assert.Equal(0x4000_0000UL, pdpe.Addr);
        Assert.False(pdpe.Rw);
        Assert.True(pdpe.Validate().IsValid);

        // The must-be-zero bits equal QEMU's large-page masks below the address width.
        Assert.Equal(FpteLpageL2RsvdMask(52), FirstStageLargePde.Layout.MustBeZeroMask(0));
        Assert.Equal(FpteLpageL3RsvdMask(52), FirstStageLargePdpe.Layout.MustBeZeroMask(0));
        var pat = FirstStageLargePdpe.Create().WithP(true).WithPat(true).WithAddr(0x000F_FFFF_C000_0000);
        Assert.Equal(0x000F_FFFF_C000_1081UL, pat.GetWord(0));
        Assert.Equal(1UL << 13, FirstStageLargePdpe.FromWords([pat.GetWord(0) | 1UL << 13]).Validate().ReservedBitsSet(0));
    }

    [Fact]
    public void VtdssInstallLeafEntryWithSnoop()
    {
        // vtdss_pt_install_leaf_entry at level 0, descriptor bits R | W | SNP (PT_FEAT_VTDSS_FORCE_COHERENCE).
        var e = SecondStagePte.FromWords([0x000F_FFFF_FFFF_F803UL]);
        Assert.True(e.R && e.W && e.Snp);
        Assert.False(e.X);
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, e.Addr);
        Assert.Equal(0UL, e.GetWord(0) & SptePageL1RsvdMaskScalable(52));
        Assert.True(e.Validate().IsValid);

        // Hardware-set A and D (VTDSS_FMT_A, VTDSS_FMT_D) on a read-only mapping; TM from QEMU stale-tm.
        var dirty = SecondStagePte.FromWords([0x4000_0000_0123_4301UL]);
        Assert.True(dirty.A && dirty.D && dirty.R && dirty.Tm);
        Assert.False(dirty.W);
        Assert.Equal(SlTm, dirty.GetWord(0) & SlTm);
    }

    [Fact]
    public void VtdssInstallTableAndLargeLeaves()
    {
        // vtdss_pt_install_table: R | W | OA.
        var dir = SecondStageDirectoryEntry.FromWords([0x000F_FFFF_FFFF_F003UL]);
        Assert.True(dir.R && dir.W);
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, dir.Addr);
        Assert.True(dir.Validate().IsValid);

        // SNP and TM are reserved in non-leaf entries (QEMU VTD_SPTE_PAGE_L2..L4_RSVD_MASK, 0x880 at L4).
        Assert.Equal(SpteSnp | SlTm, SecondStageDirectoryEntry.Layout.MustBeZeroMask(0));
        Assert.Equal(SptePageL2RsvdMask(52), SecondStageDirectoryEntry.Layout.MustBeZeroMask(0));
        Assert.Equal(SpteSnp, SecondStageDirectoryEntry.FromWords([0x3UL | SpteSnp]).Validate().ReservedBitsSet(0));

        // Level 1 and 2 leaves add VTDSS_FMT_PS.
        var pde = SecondStageLargePde.FromWords([0x000F_FFFF_FFE0_0883UL]);
        Assert.True(pde.Ps);
        Assert.Equal(0x000F_FFFF_FFE0_0000UL, pde.Addr);
        Assert.Equal(0UL, pde.GetWord(0) & SpteLpageL2RsvdMaskScalable(52));
        var pdpe = SecondStageLargePdpe.Create().WithR(true).WithW(true).WithSnp(true).WithAddr(0x000F_FFFF_C000_0000);
        Assert.Equal(0x000F_FFFF_C000_0883UL, pdpe.GetWord(0));
        Assert.Equal(0UL, pdpe.GetWord(0) & SpteLpageL3RsvdMaskScalable(52));
        Assert.Equal(SpteLpageL2RsvdMaskScalable(52) & ~SlTm, SecondStageLargePde.Layout.MustBeZeroMask(0)); // TM: stale-tm
        Assert.Equal(SpteLpageL3RsvdMaskScalable(52) & ~SlTm, SecondStageLargePdpe.Layout.MustBeZeroMask(0));
    }

    [Fact]
    public void LevelIndicesMatchLinuxPfnLevelOffset()
    {
        // pfn_level_offset(pfn, level) = (pfn >> ((level - 1) * 9)) & 0x1ff, pfn = iova >> 12.
        const ulong iova = 0x01FF_8040_2010_0ABCUL;
        var pfn = iova >> 12;
        Assert.Equal((pfn >> 36) & 0x1FF, FirstStagePml5Table.Index(iova));
        Assert.Equal((pfn >> 27) & 0x1FF, FirstStagePml4Table.Index(iova));
        Assert.Equal((pfn >> 18) & 0x1FF, SecondStagePdpTable.Index(iova));
        Assert.Equal((pfn >> 9) & 0x1FF, SecondStagePageDirectoryTable.Index(iova));
        Assert.Equal(pfn & 0x1FF, FirstStagePageTable.Index(iova));
        Assert.Equal(8UL * (pfn & 0x1FF), SecondStagePageTable.Offset(iova));
        Assert.Equal(512UL, (ulong)FirstStagePml4Table.Entries);
    }
}
