namespace HwSpecGen.Hardware.IntelVtd;

/// <summary>Address-mask helpers for the PASID-based IOTLB invalidate descriptor (type 6, 256-bit).</summary>
public readonly partial struct PasidIotlbInvalidate256
{
    /// <summary>Number of 4 KiB pages a page-selective-within-PASID invalidation covers: 2^AM.</summary>
    public ulong PageCount => 1UL << (int)Am;

    /// <summary>The addresses a page-selective-within-PASID (G = 3) invalidation covers: 2^AM pages, ADDR aligned down.</summary>
    public InvalidationRange CoveredRange => InvalidationRange.Aligned(Addr, 12 + (int)Am);
}
