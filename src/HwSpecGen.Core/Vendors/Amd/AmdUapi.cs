namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// The iommufd uAPI numbers of the AMD driver, and the HwSpecGen extensions this model adds where Linux has no AMD
/// uAPI yet. The Linux values come from the AMD nested-translation series (<c>include/uapi/linux/iommufd.h</c>:
/// <c>IOMMU_HW_INFO_TYPE_AMD</c>, <c>IOMMU_HWPT_DATA_AMD_GUEST</c>, <c>IOMMU_VIOMMU_TYPE_AMD</c>).
/// </summary>
public static class AmdUapi
{
    /// <summary><c>IOMMU_HW_INFO_TYPE_AMD</c>: <c>struct iommu_hw_info_amd { __aligned_u64 efr; __aligned_u64 efr2; }</c>.</summary>
    public const uint HwInfoTypeAmd = 4;

    /// <summary><c>IOMMU_HWPT_DATA_AMD_GUEST</c>: <c>struct iommu_hwpt_amd_guest { __aligned_u64 dte[4]; }</c>, the guest's DTE.</summary>
    public const uint HwptDataAmdGuest = 3;

    /// <summary>Size of <c>struct iommu_hwpt_amd_guest</c> in bytes.</summary>
    public const int HwptAmdGuestSize = 32;

    /// <summary>Size of <c>struct iommu_hw_info_amd</c> in bytes.</summary>
    public const int HwInfoAmdSize = 16;

    /// <summary><c>IOMMU_VIOMMU_TYPE_AMD</c>.</summary>
    public const uint ViommuTypeAmd = 3;

    /// <summary>
    /// <b>HwSpecGen extension, not in Linux.</b> <c>data_type</c> of <c>IOMMU_HWPT_INVALIDATE</c> on an AMD vIOMMU: an array of
    /// raw 128-bit AMD command-buffer commands (16-byte entries, like <c>struct iommu_viommu_arm_smmuv3_invalidate</c> carries
    /// raw SMMUv3 commands). The Linux revision read has no AMD <c>cache_invalidate</c> op (IOMMU_HWPT_INVALIDATE on an AMD
    /// vIOMMU or nested HWPT fails with EOPNOTSUPP); this is the forwarding design the model implements instead. The value
    /// is chosen outside the range Linux uses for <c>enum iommu_hwpt_invalidate_data_type</c>.
    /// </summary>
    public const uint ViommuInvalidateDataAmdCommand = 0x8000_0003;

    /// <summary>Entry size of <see cref="ViommuInvalidateDataAmdCommand"/>: one 128-bit command.</summary>
    public const int InvalidateEntrySize = 16;

    /// <summary>
    /// <b>HwSpecGen extension, not in Linux.</b> <c>veventq_type</c> of a vEVENTQ that receives the AMD event-log entries of
    /// guest-owned (stage-1) faults, re-encoded with the guest's DeviceID (vDEVICE <c>virt_id</c>) and guest DomainID.
    /// </summary>
    public const uint VeventqTypeAmdEvent = 0x8000_0003;
}
