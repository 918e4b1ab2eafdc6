using HwSpecGen.Core.Iommufd;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// <c>struct arm_smmu_nested_domain</c>: the validated guest STE words 0-1 (EATS stripped; all zero for a V = 0 vSTE),
/// whether the guest asked for ATS, and the vIOMMU whose VMID tags its translations.
/// </summary>
public sealed class SmmuV3NestedDomain : NestedDomain
{
    internal SmmuV3NestedDomain(SmmuV3Viommu viommu, Ste vste, bool enableAts)
    {
        Viommu = viommu;
        Vste = vste;
        EnableAts = enableAts;
    }

    /// <summary>The vIOMMU it was allocated from.</summary>
    public SmmuV3Viommu Viommu { get; }

    /// <summary>The stored vSTE (only dwords 0 and 1 can be non-zero).</summary>
    public Ste Vste { get; }

    /// <summary>EATS was FullAts in an S1 vSTE: the device's ATS is enabled and the guest must issue ATC_INV.</summary>
    public bool EnableAts { get; }

    /// <summary>The configuration the physical STE will get: V = 0 and the reserved encodings act as abort.</summary>
    public SteConfig EffectiveConfig => !Vste.V ? SteConfig.Abort : Vste.Config switch
    {
        SteConfig.Bypass => SteConfig.Bypass,
        SteConfig.S1Trans => SteConfig.S1Trans,
        _ => SteConfig.Abort,
    };

    /// <inheritdoc/>
    public override ulong DomainTag => Viommu.Vmid;
}
