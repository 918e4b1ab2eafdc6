namespace HwSpecGen.Core.Iommufd;

/// <summary>The vendor driver's state of a nested HWPT: the validated guest stage-1 configuration and its host cache tag.</summary>
public abstract class NestedDomain
{
    /// <summary>The HWPT that owns it (set when the HWPT is created).</summary>
    public HwptNested? Owner { get; internal set; }

    /// <summary>The host cache tag its translations are cached under (VT-d DID, AMD host DomainID, SMMU VMID).</summary>
    public abstract ulong DomainTag { get; }

    /// <summary>Called when the HWPT is destroyed (release host IDs).</summary>
    public virtual void Release()
    {
    }
}
