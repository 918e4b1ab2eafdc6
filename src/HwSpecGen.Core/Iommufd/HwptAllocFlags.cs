using System;

namespace HwSpecGen.Core.Iommufd;

/// <summary><c>enum iommufd_hwpt_alloc_flags</c>.</summary>
[Flags]
public enum HwptAllocFlags : uint
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary><c>IOMMU_HWPT_ALLOC_NEST_PARENT</c>: may be the stage 2 of nested HWPTs.</summary>
    NestParent = 1 << 0,

    /// <summary><c>IOMMU_HWPT_ALLOC_DIRTY_TRACKING</c>.</summary>
    DirtyTracking = 1 << 1,

    /// <summary><c>IOMMU_HWPT_FAULT_ID_VALID</c>: route IOPFs to a FAULT object.</summary>
    FaultIdValid = 1 << 2,

    /// <summary><c>IOMMU_HWPT_ALLOC_PASID</c>: may be attached to PASIDs.</summary>
    Pasid = 1 << 3,
}
