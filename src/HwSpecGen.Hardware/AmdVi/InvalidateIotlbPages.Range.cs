namespace HwSpecGen.Hardware.AmdVi;

/// <summary>Range helpers for INVALIDATE_IOTLB_PAGES.</summary>
public readonly partial struct InvalidateIotlbPages
{
    /// <summary>
    /// Builds the INVALIDATE_IOTLB_PAGES command Linux <c>build_inv_iotlb_pages</c> builds for the range
    /// <c>[address, last]</c>: the device ID (also written to <c>QueueId</c>, as Linux does), the low
    /// 8 bits of the ATS queue depth as <c>MaxPend</c>, <c>Address</c>/<c>S</c> from
    /// <see cref="InvalidationAddress.Encode"/>, and, when <paramref name="gn"/> is set, GN and the split
    /// 16-bit PASID.
    /// </summary>
    /// <param name="address">The first address to invalidate (bits 11:0 are ignored).</param>
    /// <param name="last">The last address to invalidate (inclusive).</param>
    /// <param name="deviceId">The 16-bit device ID of the ATS device.</param>
    /// <param name="queueDepth">The device's ATS invalidate queue depth; like Linux, only its low 8 bits are used.</param>
    /// <param name="gn">Invalidate translations of <paramref name="pasid"/>.</param>
    /// <param name="pasid">
    /// The PASID, written only when <paramref name="gn"/> is set. The command carries 16 PASID bits;
    /// a larger value is rejected (Linux would silently drop bits 19:16).
    /// </param>
    /// <returns>The command.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException">A value does not fit its field, or <paramref name="last"/> is below <paramref name="address"/>.</exception>
    public static InvalidateIotlbPages FromRange(ulong address, ulong last, ulong deviceId, ulong queueDepth, bool gn = false, ulong pasid = 0)
    {
        var (encoded, s) = InvalidationAddress.Encode(address, last);
        var command = Create()
            .WithDeviceId(deviceId)
            .WithMaxPend(queueDepth & 0xFF)
            .WithQueueId(deviceId)
            .WithAddress(encoded)
            .WithS(s);
        return gn ? command.WithGn(true).WithPasid(pasid) : command;
    }

    /// <summary>
    /// The range of addresses this command invalidates, decoded from <see cref="Address"/> and
    /// <see cref="S"/> with the same rules as INVALIDATE_IOMMU_PAGES (QEMU
    /// <c>amdvi_decode_invalidation_size</c>). QEMU itself drops every cached entry of the device when
    /// S is set.
    /// </summary>
    public InvalidationRange CoveredRange => InvalidationAddress.Decode(Address, S);
}
