using System;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// Level-indexed access to the generated table geometries (<c>HostPageTableLevelNTable</c>, <c>GuestPageTableLevelNTable</c>,
/// <c>Gcr3LevelNTable</c>), so that walks can loop over levels without restating index bits.
/// </summary>
public static class AmdTableGeometry
{
    /// <summary>Byte offset of the v1 entry for <paramref name="iova"/> in a table of level <paramref name="level"/> (1 = 4 KiB leaves).</summary>
    public static ulong HostOffset(int level, ulong iova) => level switch
    {
        1 => HostPageTableLevel1Table.Offset(iova),
        2 => HostPageTableLevel2Table.Offset(iova),
        3 => HostPageTableLevel3Table.Offset(iova),
        4 => HostPageTableLevel4Table.Offset(iova),
        5 => HostPageTableLevel5Table.Offset(iova),
        6 => HostPageTableLevel6Table.Offset(iova),
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>log2 of the bytes one entry of a v1 level covers (12, 21, 30, 39, 48, 57).</summary>
    public static int HostLevelShift(int level) => level switch
    {
        1 => HostPageTableLevel1Table.IndexShift,
        2 => HostPageTableLevel2Table.IndexShift,
        3 => HostPageTableLevel3Table.IndexShift,
        4 => HostPageTableLevel4Table.IndexShift,
        5 => HostPageTableLevel5Table.IndexShift,
        6 => HostPageTableLevel6Table.IndexShift,
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>Exclusive upper bound of the input addresses a v1 table of <paramref name="levels"/> levels covers; 0 = the whole 64-bit space.</summary>
    public static ulong HostInputLimit(int levels)
    {
        if (levels is < 1 or > 6)
        {
            return 1; // nothing is in range
        }

        var bits = levels == 6 ? 64 : HostLevelShift(levels) + HostPageTableLevel1Table.IndexBits;
        return bits >= 64 ? 0 : 1UL << bits;
    }

    /// <summary>Byte offset of the v2 (guest) entry for <paramref name="iova"/> in a table of level <paramref name="level"/> (1 = PT … 5 = PML5).</summary>
    public static ulong GuestOffset(int level, ulong iova) => level switch
    {
        1 => GuestPageTableLevel1Table.Offset(iova),
        2 => GuestPageTableLevel2Table.Offset(iova),
        3 => GuestPageTableLevel3Table.Offset(iova),
        4 => GuestPageTableLevel4Table.Offset(iova),
        5 => GuestPageTableLevel5Table.Offset(iova),
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>log2 of the bytes one entry of a v2 level covers (12, 21, 30, 39, 48).</summary>
    public static int GuestLevelShift(int level) => level switch
    {
        1 => GuestPageTableLevel1Table.IndexShift,
        2 => GuestPageTableLevel2Table.IndexShift,
        3 => GuestPageTableLevel3Table.IndexShift,
        4 => GuestPageTableLevel4Table.IndexShift,
        5 => GuestPageTableLevel5Table.IndexShift,
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>Number of input address bits a guest table of <paramref name="levels"/> levels translates (48 or 57).</summary>
    public static int GuestInputBits(int levels) => GuestLevelShift(levels) + GuestPageTableLevel1Table.IndexBits;

    /// <summary>Levels of the guest table for a DTE guest paging mode (4 or 5).</summary>
    public static int GuestLevels(GuestPagingMode mode) => mode == GuestPagingMode.FiveLevel ? 5 : 4;

    /// <summary>Byte offset of the GCR3 entry for <paramref name="pasid"/> in a GCR3 table of level <paramref name="level"/> (0 = leaf).</summary>
    public static ulong Gcr3Offset(int level, ulong pasid) => level switch
    {
        0 => Gcr3Level0Table.Offset(pasid),
        1 => Gcr3Level1Table.Offset(pasid),
        2 => Gcr3Level2Table.Offset(pasid),
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };
}
