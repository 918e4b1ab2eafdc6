namespace HwSpecGen.Core.Iommufd;

/// <summary>A guest-managed stage-1 configuration layered on a nest parent (allocated from the parent or from a vIOMMU).</summary>
public sealed class HwptNested : Hwpt
{
    internal HwptNested(uint id, PhysicalIommu iommu, HwptAllocFlags flags, HwptPaging parent, Viommu? viommu, NestedDomain domain)
        : base(id, iommu, flags)
    {
        Parent = parent;
        Viommu = viommu;
        Domain = domain;
        domain.Owner = this;
    }

    /// <inheritdoc/>
    public override ObjectType Type => ObjectType.HwptNested;

    /// <summary>The stage-2 parent.</summary>
    public HwptPaging Parent { get; }

    /// <summary>The vIOMMU it was allocated from, or null (VT-d style).</summary>
    public Viommu? Viommu { get; }

    /// <summary>The vendor's nested configuration.</summary>
    public NestedDomain Domain { get; }
}
