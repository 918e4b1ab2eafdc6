using HwSpecGen.Core.Iommufd;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// An AMD nested domain (Linux <c>struct nested_domain</c>): the validated guest DTE, its guest DomainID and the host DomainID
/// the vIOMMU maps it to. Attaching it programs the host DTE (<c>set_dte_nested</c>); its translations are cached under the
/// host DomainID.
/// </summary>
public sealed class AmdNestedDomain : NestedDomain
{
    internal AmdNestedDomain(AmdViommuDriver viommu, GuestDeviceTableEntry guestDte, ulong guestDomainId, ulong hostDomainId)
    {
        Viommu = viommu;
        GuestDte = guestDte;
        GuestDomainId = guestDomainId;
        HostDomainId = hostDomainId;
    }

    /// <summary>The vIOMMU it was allocated on.</summary>
    public AmdViommuDriver Viommu { get; }

    /// <summary>The guest DTE (<c>struct iommu_hwpt_amd_guest</c>) as validated.</summary>
    public GuestDeviceTableEntry GuestDte { get; }

    /// <summary>Guest DomainID (<c>gdom_id</c>, DTE bits 79:64).</summary>
    public ulong GuestDomainId { get; }

    /// <summary>Host DomainID (<c>gdom_info->hdom_id</c>).</summary>
    public ulong HostDomainId { get; }

    /// <inheritdoc/>
    public override ulong DomainTag => HostDomainId;

    /// <summary><c>nested_domain_free</c>: drop the reference on the guest DomainID mapping; the last user frees the host DomainID.</summary>
    public override void Release() => Viommu.Release(this);
}
