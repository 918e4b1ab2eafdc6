namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>The iommufd uAPI constants of the SMMUv3 nesting interface (<c>include/uapi/linux/iommufd.h</c>).</summary>
public static class ArmSmmuV3Uapi
{
    /// <summary><c>IOMMU_HW_INFO_TYPE_ARM_SMMUV3</c>: <c>struct iommu_hw_info_arm_smmuv3</c>.</summary>
    public const uint HwInfoType = 2;

    /// <summary>Size of <c>struct iommu_hw_info_arm_smmuv3</c> (flags, __reserved, idr[6], iidr, aidr).</summary>
    public const int HwInfoLength = 40;

    /// <summary><c>IOMMU_HWPT_DATA_ARM_SMMUV3</c>: <c>struct iommu_hwpt_arm_smmuv3 { __le64 ste[2]; }</c>.</summary>
    public const uint HwptDataType = 2;

    /// <summary>Size of <c>struct iommu_hwpt_arm_smmuv3</c>.</summary>
    public const int HwptDataLength = 16;

    /// <summary><c>IOMMU_VIOMMU_TYPE_ARM_SMMUV3</c>.</summary>
    public const uint ViommuType = 1;

    /// <summary><c>IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3</c>: entries are <c>struct iommu_viommu_arm_smmuv3_invalidate { __le64 cmd[2]; }</c>.</summary>
    public const uint InvalidateDataType = 1;

    /// <summary>Size of one invalidation entry (one raw 128-bit command).</summary>
    public const int InvalidateEntryLength = 16;

    /// <summary><c>IOMMU_VEVENTQ_TYPE_ARM_SMMUV3</c>: payload <c>struct iommu_vevent_arm_smmuv3 { __le64 evt[4]; }</c>.</summary>
    public const uint VeventqType = 1;

    /// <summary>Linux <c>CMDQ_BATCH_ENTRIES</c> (BITS_PER_LONG): <c>arm_vsmmu_cache_invalidate</c> issues batches of this minus one.</summary>
    public const int CmdqBatchEntries = 64;
}
