using System.Numerics;
using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>
/// v1 (host) entries against Linux generic_pt/fmt/amdv1.h and QEMU fetch_pte; v2 (guest) entries against Linux
/// generic_pt/fmt/x86_64.h and amd/io_pgtable_v2.c.
/// </summary>
public sealed class PageTableTests
{
    [Fact]
    public void Amdv1InstallTableEntryDecodes()
    {
        // amdv1pt_install_table at pts->level = 4, table_pa = 0x0008_0000_0001_2000:
        //   AMDV1PT_FMT_PR | FIELD_PREP(AMDV1PT_FMT_NEXT_LEVEL, 4) | FIELD_PREP(AMDV1PT_FMT_OA, pa >> 12) | IR | IW
        const ulong raw = 0x6008_0000_0001_2801;
        var pde = HostPageTableEntry.FromWords([raw]);
        Assert.True(pde.Pr && pde.Ir && pde.Iw);
        Assert.Equal(PteNextLevel.Level4, pde.NextLevel);
        Assert.Equal(0x0008_0000_0001_2000UL, pde.Address);
        Assert.False(pde.Fc || pde.D || pde.U);
        Assert.True(pde.Validate().IsValid);
        Assert.Equal(raw, HostPageTableEntry.Create().WithPr(true).WithNextLevel(PteNextLevel.Level4)
            .WithAddress(0x0008_0000_0001_2000).WithIr(true).WithIw(true).GetWord(0));
    }

    [Fact]
    public void Amdv1ContiguousLeafEncodesItsSize()
    {
        // amdv1pt_install_leaf_entry at level 0, oa = 0x0008_0000_1234_0000, oasz_lg2 = 16, attrs FC | IR | IW:
        //   PR | OA(oa) | attrs | FIELD_PREP(NEXT_LEVEL, AMDV1PT_FMT_NL_SIZE) | FIELD_PREP(OA, oalog2_to_int(16 - 12 - 1) - 1 = 7)
        const ulong raw = 0x7008_0000_1234_7E01;
        var pte = HostPageTableEntry.FromWords([raw]);
        Assert.True(pte.Pr && pte.Fc && pte.Ir && pte.Iw);
        Assert.Equal(PteNextLevel.SizeEncoded, pte.NextLevel);
        Assert.Equal(0x0008_0000_1234_7000UL, pte.Address);
        Assert.True(pte.Validate().IsValid);

        // Linux PTE_PAGE_SIZE / QEMU PTE_LARGE_PAGE_SIZE: 1 << (1 + first zero bit of (pte | 0xfff)).
        var size = 1UL << (1 + BitOperations.TrailingZeroCount(~(pte.GetWord(0) | 0xFFF)));
        Assert.Equal(1UL << 16, size);
        Assert.Equal(0x0008_0000_1234_0000UL, pte.Address & ~(size - 1)); // amdv1pt_entry_oa: start of the contiguous page
    }

    [Fact]
    public void QemuFetchPteReadsOurLeaf()
    {
        // A 2 MiB leaf with the dirty bit the IOMMU sets (AMDV1PT_FMT_D): QEMU reads PTE_NEXT_LEVEL, IOMMU_PTE_PRESENT,
        // amdvi_get_perms (bits 62:61) and translated_addr = pte & AMDVI_DEV_PT_ROOT_MASK.
        var pte = HostPageTableEntry.Create().WithPr(true).WithD(true).WithAddress(0x000F_FFFF_FFE0_0000).WithIr(true).WithU(true);
        var raw = pte.GetWord(0);
        Assert.Equal(0UL, (raw >> 9) & 7);
        Assert.Equal(1UL, raw & 1);
        Assert.Equal(1UL, (raw >> 61) & 3); // read only
        Assert.Equal(0x000F_FFFF_FFE0_0000UL, raw & 0xF_FFFF_FFFF_F000);
        Assert.Equal(1UL << 6, raw & (1UL << 6));  // IOMMU_PTE_HD
        Assert.Equal(1UL << 59, raw & (1UL << 59)); // IOMMU_PTE_U
    }

    [Fact]
    public void BitsOutsidePmAddrMaskAreReserved()
    {
        var v = HostPageTableEntry.FromWords([1UL | 0x7FUL << 52 | 1UL << 63 | 0x1FUL << 1]).Validate();
        Assert.Equal(0x7FUL << 52, v.ReservedBitsSet(0)); // 58:52 must be zero; 63 and 4:1 are ignored
    }

    [Theory]
    // x86_64_pt_install_table: P | RW | U | A | OA(table_pa = 0x0008_0000_0040_0000)
    [InlineData(0x0008_0000_0040_0027UL, true, true, true, true, false, false, 0x0008_0000_0040_0000UL)]
    // x86_64_pt_install_leaf_entry at level 1 (2 MiB) with x86_64_pt_iommu_set_prot(IOMMU_WRITE): P | OA | U | A | RW | D | PS
    [InlineData(0x000F_FFFF_FFE0_00E7UL, true, true, true, true, true, true, 0x000F_FFFF_FFE0_0000UL)]
    public void X64EntriesDecode(ulong raw, bool p, bool rw, bool us, bool a, bool d, bool ps, ulong address)
    {
        var e = GuestPageTableEntry.FromWords([raw]);
        Assert.Equal((p, rw, us, a, d, ps, address), (e.P, e.Rw, e.Us, e.A, e.D, e.Ps, e.Address));
        Assert.False(e.Pwt || e.Pcd || e.Xd);
        Assert.True(e.Validate().IsValid);
        Assert.Equal(raw, GuestPageTableEntry.Create().WithP(p).WithRw(rw).WithUs(us).WithA(a).WithD(d).WithPs(ps).WithAddress(address).GetWord(0));
    }

    [Fact]
    public void IoPgtableV2BitsLandWhereLinuxDefinesThem()
    {
        var e = GuestPageTableEntry.Create().WithPwt(true).WithPcd(true).WithXd(true).WithAddress(0x8_0000_0000_0000);
        Assert.Equal(1UL << 3 | 1UL << 4 | 1UL << 63 | 0x8_0000_0000_0000, e.GetWord(0)); // IOMMU_PAGE_PWT, _PCD, _NX
    }

    [Theory]
    [InlineData(0xFFFF_FFFF_FFFF_F000UL)]
    [InlineData(0x0123_4567_89AB_C000UL)]
    public void LevelIndexesMatchPmLevelIndex(ulong iova)
    {
        // PM_LEVEL_INDEX(x, a) = (a >> (12 + 9x)) & 0x1ff for AMD level x + 1; level 6 holds IOVA[63:57] (amdv1.h).
        Assert.Equal((iova >> 12) & 0x1FF, HostPageTableLevel1Table.Index(iova));
        Assert.Equal((iova >> 21) & 0x1FF, HostPageTableLevel2Table.Index(iova));
        Assert.Equal((iova >> 30) & 0x1FF, HostPageTableLevel3Table.Index(iova));
        Assert.Equal((iova >> 39) & 0x1FF, HostPageTableLevel4Table.Index(iova));
        Assert.Equal((iova >> 48) & 0x1FF, HostPageTableLevel5Table.Index(iova));
        Assert.Equal(iova >> 57, HostPageTableLevel6Table.Index(iova));
        Assert.Equal(128L, HostPageTableLevel6Table.Entries);

        Assert.Equal((iova >> 12) & 0x1FF, GuestPageTableLevel1Table.Index(iova));
        Assert.Equal((iova >> 39) & 0x1FF, GuestPageTableLevel4Table.Index(iova));
        Assert.Equal((iova >> 48) & 0x1FF, GuestPageTableLevel5Table.Index(iova));
        Assert.Equal(((iova >> 21) & 0x1FF) * 8, GuestPageTableLevel2Table.Offset(iova));
    }
}
