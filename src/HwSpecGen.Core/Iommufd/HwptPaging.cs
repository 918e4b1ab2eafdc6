using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Iommufd;

/// <summary>A kernel-managed paging HWPT mirroring an IOAS; with NEST_PARENT it is the stage 2 (GPA → HPA) of nested HWPTs.</summary>
public sealed class HwptPaging : Hwpt
{
    internal HwptPaging(uint id, PhysicalIommu iommu, HwptAllocFlags flags, Ioas ioas, IPageTable pageTable, ulong domainTag, bool autoDomain)
        : base(id, iommu, flags)
    {
        Ioas = ioas;
        PageTable = pageTable;
        DomainTag = domainTag;
        AutoDomain = autoDomain;
    }

    /// <inheritdoc/>
    public override ObjectType Type => ObjectType.HwptPaging;

    /// <summary>The IOAS it mirrors.</summary>
    public Ioas Ioas { get; }

    /// <summary>The page table in host memory, in the vendor's stage-2 format.</summary>
    public IPageTable PageTable { get; }

    /// <summary>Host cache tag of this domain (VT-d DID, AMD DomainID, SMMU VMID).</summary>
    public ulong DomainTag { get; }

    /// <summary>Allocated automatically by an attach to an IOAS (never a nest parent).</summary>
    public bool AutoDomain { get; }

    /// <summary>True when allocated with NEST_PARENT.</summary>
    public bool IsNestParent => (Flags & HwptAllocFlags.NestParent) != 0;
}
