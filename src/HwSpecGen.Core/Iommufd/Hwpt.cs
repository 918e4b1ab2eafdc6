using System.Collections.Generic;

namespace HwSpecGen.Core.Iommufd;

/// <summary>A hardware page table object (paging or nested), allocated for one physical IOMMU.</summary>
public abstract class Hwpt : IommufdObject
{
    /// <summary>Creates a HWPT.</summary>
    protected Hwpt(uint id, PhysicalIommu iommu, HwptAllocFlags flags)
        : base(id)
    {
        Iommu = iommu;
        Flags = flags;
    }

    /// <summary>The physical IOMMU it belongs to.</summary>
    public PhysicalIommu Iommu { get; }

    /// <summary>Allocation flags.</summary>
    public HwptAllocFlags Flags { get; }

    /// <summary>The FAULT queue its IOPFs go to, if any.</summary>
    public FaultQueue? FaultQueue { get; internal set; }

    /// <summary>Devices (and PASIDs) attached to it.</summary>
    public HashSet<(Device Device, uint? Pasid)> Attached { get; } = new();
}
