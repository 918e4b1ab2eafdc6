using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>GCR3 entries and table geometry against Linux iommu.c update_gcr3, __get_gcr3_pte and get_gcr3_levels.</summary>
public sealed class Gcr3Tests
{
    [Theory]
    // update_gcr3(dev_data, pasid, gcr3 = 0x0008_1234_5678_9ABC, set): *pte = (gcr3 & PAGE_MASK) | GCR3_VALID
    [InlineData(0x0008_1234_5678_9001UL, 0x0008_1234_5678_9000UL)]
    // __get_gcr3_pte allocating a level: *pte = iommu_virt_to_phys(root = 0x000F_FFFF_FFFF_F000) | GCR3_VALID
    [InlineData(0x000F_FFFF_FFFF_F001UL, 0x000F_FFFF_FFFF_F000UL)]
    public void LinuxGcr3EntriesDecode(ulong raw, ulong address)
    {
        var entry = Gcr3Entry.FromWords([raw]);
        Assert.True(entry.Valid);
        Assert.Equal(address, entry.Address);
        Assert.True(entry.Validate().IsValid);
        Assert.Equal(raw, Gcr3Entry.Create().WithValid(true).WithAddress(address).GetWord(0));
        Assert.Equal(address, raw & ~0xFFFUL); // free_gcr3_tbl_level1: ptr = tbl[i] & PAGE_MASK
    }

    [Fact]
    public void ClearedEntryIsInvalid()
    {
        // update_gcr3(..., set = false): *pte = 0
        var entry = Gcr3Entry.FromWords([0UL]);
        Assert.False(entry.Valid);
        Assert.Equal(0UL, entry.Address);
    }

    [Theory]
    [InlineData(0xABCDEUL, 0x2UL, 0x15EUL, 0xDEUL)]
    [InlineData(0xFFFFFUL, 0x3UL, 0x1FFUL, 0x1FFUL)]
    [InlineData(0x00200UL, 0x0UL, 0x001UL, 0x000UL)]
    public void WalkIndexesMatchGetGcr3Pte(ulong pasid, ulong level2, ulong level1, ulong level0)
    {
        // __get_gcr3_pte: index = (pasid >> (9 * level)) & 0x1ff, from level = glx down to 0.
        Assert.Equal((pasid >> 18) & 0x1FF, Gcr3Level2Table.Index(pasid));
        Assert.Equal(level2, Gcr3Level2Table.Index(pasid));
        Assert.Equal(level1, Gcr3Level1Table.Index(pasid));
        Assert.Equal(level0, Gcr3Level0Table.Index(pasid));
        Assert.Equal(level0 * 8, Gcr3Level0Table.Offset(pasid));
        Assert.Equal(8, Gcr3Level0Table.EntryBytes);
        Assert.Equal(512L, Gcr3Level0Table.Entries); // one 4 KiB page of 512 entries per level
        Assert.Equal(512L, Gcr3Level1Table.Entries);
    }

    [Theory]
    // get_gcr3_levels(pasids): levels = get_count_order(pasids); return levels ? DIV_ROUND_UP(levels, 9) - 1 : 0
    [InlineData(1, 0)]
    [InlineData(512, 0)]
    [InlineData(513, 1)]
    [InlineData(1 << 16, 1)]
    [InlineData(1 << 20, 2)]
    public void GlxCoversThePasidsTheTablesIndex(int pasids, int glx)
    {
        var order = pasids <= 1 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)pasids - 1);
        Assert.Equal(glx, order == 0 ? 0 : ((order + 8) / 9) - 1);

        // The levels in use (0..glx) index exactly the PASID bits below 9 * (glx + 1), capped at the 20-bit PASID.
        var bits = glx switch
        {
            0 => Gcr3Level0Table.IndexBits,
            1 => Gcr3Level0Table.IndexBits + Gcr3Level1Table.IndexBits,
            _ => Gcr3Level0Table.IndexBits + Gcr3Level1Table.IndexBits + Gcr3Level2Table.IndexBits,
        };
        Assert.True((1L << bits) >= pasids);
    }
}
