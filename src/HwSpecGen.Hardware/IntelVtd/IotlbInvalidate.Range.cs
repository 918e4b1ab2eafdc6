namespace HwSpecGen.Hardware.IntelVtd;

/// <summary>Address-mask helpers for the IOTLB invalidate descriptor (type 2).</summary>
public readonly partial struct IotlbInvalidate
{
    /// <summary>Number of 4 KiB pages a page-selective invalidation covers: 2^AM.</summary>
    public ulong PageCount => 1UL << (int)Am;

    /// <summary>
    /// The addresses a page-selective (G = 3) invalidation covers: 2^AM pages, ADDR aligned down to that
    /// size, as QEMU <c>vtd_iotlb_page_invalidate</c> masks the page number with <c>~((1 &lt;&lt; am) - 1)</c>.
    /// Meaningless for global and domain-selective granularity.
    /// </summary>
    public InvalidationRange CoveredRange => InvalidationRange.Aligned(Addr, 12 + (int)Am);
}
