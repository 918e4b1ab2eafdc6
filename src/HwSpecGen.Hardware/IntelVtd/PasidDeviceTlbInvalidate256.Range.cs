namespace HwSpecGen.Hardware.IntelVtd;

/// <summary>ATS range helpers for the PASID-based device-TLB invalidate descriptor (type 8, 256-bit).</summary>
public readonly partial struct PasidDeviceTlbInvalidate256
{
    /// <summary>
    /// Sets <see cref="Addr"/> and <see cref="S"/> for 2^<paramref name="sizeOrder"/> pages at
    /// <paramref name="address"/>, as Linux <c>qi_desc_dev_iotlb_pasid</c> does (see <see cref="AtsAddress.Encode"/>).
    /// </summary>
    /// <param name="address">The first address (bits 11:0 are dropped).</param>
    /// <param name="sizeOrder">Base-2 logarithm of the page count, 0 to <see cref="AtsAddress.MaxSizeOrder"/>.</param>
    /// <returns>The descriptor with ADDR and S replaced.</returns>
    public PasidDeviceTlbInvalidate256 WithAtsRange(ulong address, int sizeOrder)
    {
        var (encoded, s) = AtsAddress.Encode(address, sizeOrder);
        return WithAddr(encoded).WithS(s);
    }

    /// <summary>The addresses this descriptor invalidates, decoded as QEMU <c>do_invalidate_device_tlb</c> does.</summary>
    public InvalidationRange CoveredRange => AtsAddress.Decode(Addr, S);
}
