namespace HwSpecGen.Hardware.IntelVtd;

/// <summary>Address-mask helpers for the IOTLB invalidate descriptor in a 256-bit queue.</summary>
public readonly partial struct IotlbInvalidate256
{
    /// <summary>Number of 4 KiB pages a page-selective invalidation covers: 2^AM.</summary>
    public ulong PageCount => 1UL << (int)Am;

    /// <summary>The addresses a page-selective (G = 3) invalidation covers: 2^AM pages, ADDR aligned down.</summary>
    public InvalidationRange CoveredRange => InvalidationRange.Aligned(Addr, 12 + (int)Am);
}
