namespace HwSpecGen.Hardware.AmdVi;

/// <summary>Range helpers for INVALIDATE_IOMMU_PAGES.</summary>
public readonly partial struct InvalidateIommuPages
{
    /// <summary>
    /// Builds the INVALIDATE_IOMMU_PAGES command Linux <c>build_inv_iommu_pages</c> builds for the range
    /// <c>[address, last]</c>: <c>Address</c>/<c>S</c> from <see cref="InvalidationAddress.Encode"/>, the
    /// domain ID, the requested PDE and GN flags, and the PASID only when <paramref name="gn"/> is set.
    /// A range wider than 2^52 bytes (for example <c>[0, ulong.MaxValue]</c>) gives the "all pages"
    /// encoding (<see cref="InvalidationAddress.AllPagesAddress"/> with S = 1).
    /// </summary>
    /// <param name="address">The first address to invalidate (bits 11:0 are ignored).</param>
    /// <param name="last">The last address to invalidate (inclusive).</param>
    /// <param name="domainId">The 16-bit domain ID.</param>
    /// <param name="pde">Also invalidate cached page-directory entries (Linux <c>CMD_INV_IOMMU_PAGES_PDE_MASK</c>).</param>
    /// <param name="gn">Invalidate guest translations of <paramref name="pasid"/> (Linux <c>CMD_INV_IOMMU_PAGES_GN_MASK</c>).</param>
    /// <param name="pasid">The 20-bit PASID; like Linux, written only when <paramref name="gn"/> is set.</param>
    /// <returns>The command.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException">A value does not fit its field, or <paramref name="last"/> is below <paramref name="address"/>.</exception>
    public static InvalidateIommuPages FromRange(ulong address, ulong last, ulong domainId, bool pde = false, bool gn = false, ulong pasid = 0)
    {
        var (encoded, s) = InvalidationAddress.Encode(address, last);
        var command = Create()
            .WithDomainId(domainId)
            .WithAddress(encoded)
            .WithS(s)
            .WithPde(pde)
            .WithGn(gn);
        return gn ? command.WithPasid(pasid) : command;
    }

    /// <summary>
    /// The range of addresses this command invalidates, decoded from <see cref="Address"/> and
    /// <see cref="S"/> the way QEMU <c>amdvi_decode_invalidation_size</c> does.
    /// </summary>
    public InvalidationRange CoveredRange => InvalidationAddress.Decode(Address, S);
}
