namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// One entry of a vIOMMU's guest DomainID → host DomainID map (Linux <c>struct guest_domain_mapping_info</c> in
/// <c>aviommu->gdomid_array</c>): every nested domain with the same guest DomainID shares the host DomainID; the last one
/// freed releases it.
/// </summary>
public sealed class AmdGuestDomainMapping
{
    internal AmdGuestDomainMapping(ulong guestDomainId, ulong hostDomainId)
    {
        GuestDomainId = guestDomainId;
        HostDomainId = hostDomainId;
    }

    /// <summary>The DomainID the guest wrote in its DTE.</summary>
    public ulong GuestDomainId { get; }

    /// <summary>The DomainID the host DTEs (and so the IOTLB tags) use.</summary>
    public ulong HostDomainId { get; }

    /// <summary>Nested domains using the mapping (<c>refcount users</c>).</summary>
    public int Users { get; internal set; }
}
