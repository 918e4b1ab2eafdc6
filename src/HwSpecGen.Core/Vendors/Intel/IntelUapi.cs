namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>The VT-d constants of the iommufd uAPI (<c>include/uapi/linux/iommufd.h</c>).</summary>
public static class IntelUapi
{
    /// <summary><c>IOMMU_HW_INFO_TYPE_INTEL_VTD</c>.</summary>
    public const uint HwInfoTypeIntelVtd = 1;

    /// <summary><c>IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17</c>: read-only mappings must not be used on a nest parent.</summary>
    public const uint HwInfoVtdErrata772415Spr17 = 1u << 0;

    /// <summary><c>IOMMU_HWPT_DATA_VTD_S1</c>: <c>struct iommu_hwpt_vtd_s1</c>.</summary>
    public const uint HwptDataVtdS1 = 1;

    /// <summary><c>IOMMU_VTD_S1_SRE</c>: supervisor requests enabled.</summary>
    public const ulong VtdS1Sre = 1UL << 0;

    /// <summary><c>IOMMU_VTD_S1_EAFE</c>: extended access flag enabled.</summary>
    public const ulong VtdS1Eafe = 1UL << 1;

    /// <summary><c>IOMMU_VTD_S1_WPE</c>: write protect enabled (supervisor writes honour R/W).</summary>
    public const ulong VtdS1Wpe = 1UL << 2;

    /// <summary><c>IOMMU_HWPT_INVALIDATE_DATA_VTD_S1</c>: <c>struct iommu_hwpt_vtd_s1_invalidate</c>.</summary>
    public const uint HwptInvalidateDataVtdS1 = 0;

    /// <summary><c>IOMMU_VTD_INV_FLAGS_LEAF</c>: only leaf entries changed (paging-structure caches may be kept).</summary>
    public const uint VtdInvFlagsLeaf = 1u << 0;

    /// <summary>Linux <c>ADDR_WIDTH_4LEVEL</c>.</summary>
    public const uint AddrWidth4Level = 48;

    /// <summary>Linux <c>ADDR_WIDTH_5LEVEL</c>.</summary>
    public const uint AddrWidth5Level = 57;
}
