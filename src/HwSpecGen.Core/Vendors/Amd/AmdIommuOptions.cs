namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>What an <see cref="AmdIommu"/> instance supports.</summary>
/// <param name="FiveLevelGuestPaging">
/// Whether 5-level guest (v2) tables may be used: EFR GATS = 1, and Linux <c>amd_iommu_gpt_level</c> ≥ 5 (without it a guest DTE
/// asking for 5 levels is EOPNOTSUPP).
/// </param>
/// <param name="HostLevels">Depth of the v1 host tables this instance builds (DTE Mode, 3–6).</param>
/// <param name="AtsQueueDepth">The ATS invalidate queue depth of the devices (INVALIDATE_IOTLB_PAGES MaxPend, low 8 bits).</param>
public sealed record AmdIommuOptions(bool FiveLevelGuestPaging = false, int HostLevels = 4, ulong AtsQueueDepth = 32)
{
    /// <summary>The defaults: 4-level guest tables only, 4-level host tables.</summary>
    public static AmdIommuOptions Default { get; } = new();
}
