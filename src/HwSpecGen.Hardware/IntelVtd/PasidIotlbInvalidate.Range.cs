namespace HwSpecGen.Hardware.IntelVtd;

/// <summary>Address-mask helpers for the PASID-based IOTLB invalidate descriptor (type 6), low half.</summary>
public readonly partial struct PasidIotlbInvalidate
{
    /// <summary>Number of 4 KiB pages a page-selective-within-PASID invalidation covers: 2^AM.</summary>
    public ulong PageCount => 1UL << (int)Am;

    /// <summary>
    /// The addresses a page-selective-within-PASID (G = 3) invalidation covers: 2^AM pages, ADDR aligned
    /// down, as QEMU <c>vtd_piotlb_page_invalidate</c> masks with <c>~((1 &lt;&lt; am) - 1)</c>.
    /// </summary>
    public InvalidationRange CoveredRange => InvalidationRange.Aligned(Addr, 12 + (int)Am);
}
