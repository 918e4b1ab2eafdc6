using System;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Iommufd;

/// <summary>
/// One physical IOMMU instance: the hardware (its caches, its tables in host memory, its walks) together with the
/// vendor driver's iommufd callbacks. Vendors subclass it (Vendors/Intel, Vendors/Amd, Vendors/Arm); every hardware
/// structure is read and written as bytes in <see cref="Memory"/> through the generated structs.
/// </summary>
public abstract class PhysicalIommu
{
    /// <summary>Creates an instance whose tables live in <paramref name="memory"/>, allocated from <paramref name="allocator"/>.</summary>
    protected PhysicalIommu(string name, PhysicalMemory memory, PageAllocator allocator)
    {
        Name = name;
        Memory = memory;
        Allocator = allocator;
    }

    /// <summary>Instance name.</summary>
    public string Name { get; }

    /// <summary>Host physical memory.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>Allocator for the IOMMU's own tables.</summary>
    public PageAllocator Allocator { get; }

    /// <summary>The IOTLB (tags as the vendor's hardware tags).</summary>
    public TranslationCache Iotlb { get; } = new();

    /// <summary>Receives every table entry a walk reads (for <c>--trace</c>); null for none.</summary>
    public Action<WalkStep>? Trace { get; set; }

    /// <summary>Vendor key (amd-vi, intel-vtd, arm-smmuv3).</summary>
    public abstract string Vendor { get; }

    /// <summary><c>enum iommu_hw_info_type</c> of <see cref="GetHwInfoData"/>.</summary>
    public abstract uint HwInfoType { get; }

    /// <summary>The vendor's <c>GET_HW_INFO</c> payload (capability registers), as bytes.</summary>
    public abstract byte[] GetHwInfoData();

    /// <summary>PASID width supported (for <c>out_max_pasid_log2</c>).</summary>
    public virtual byte MaxPasidLog2 => 20;

    /// <summary>Creates an empty host page table (stage-2 / paging domain format).</summary>
    public abstract IPageTable CreatePageTable();

    /// <summary>Allocates a host cache tag for a paging domain (DID / DomainID / VMID).</summary>
    public abstract ulong AllocateDomainTag();

    /// <summary>Releases a host cache tag.</summary>
    public virtual void FreeDomainTag(ulong tag)
    {
    }

    /// <summary>Driver <c>domain_alloc_nested</c>: validate the vendor data and build the nested configuration.</summary>
    public abstract IommufdResult<NestedDomain> AllocNested(HwptPaging parent, Viommu? viommu, HwptAllocFlags flags, uint dataType, ReadOnlySpan<byte> data);

    /// <summary>Driver <c>viommu_init</c>; EOPNOTSUPP when the vendor has no vIOMMU of this type.</summary>
    public virtual IommufdResult<ViommuDriver> AllocViommu(uint viommuType, HwptPaging parent) => Errno.EOPNOTSUPP;

    /// <summary>Programs the host structures (root/context/PASID entry, DTE, STE) so that the device (or device+PASID) translates through <paramref name="hwpt"/>.</summary>
    public abstract IommufdResult Attach(Device device, uint? pasid, Hwpt hwpt);

    /// <summary>Blocks translation for the device (or device+PASID).</summary>
    public abstract void Detach(Device device, uint? pasid);

    /// <summary>The hardware translating a request: IOTLB, then a walk of the tables in memory; faults are recorded as the vendor records them.</summary>
    public abstract TranslationResult Translate(Device device, uint? pasid, ulong iova, Access access);

    /// <summary>Driver <c>cache_invalidate_user</c> on a nested HWPT (VT-d style); <paramref name="done"/> = entries handled.</summary>
    public virtual IommufdResult InvalidateNested(HwptNested hwpt, uint dataType, uint entryLength, ReadOnlySpan<byte> entries, uint entryCount, out uint done)
    {
        done = 0;
        return Errno.EOPNOTSUPP;
    }

    /// <summary>The host changed stage 2 (unmap): flush every cached translation that used it, in the IOTLB and in ATCs.</summary>
    public abstract void FlushStage2(HwptPaging parent, ulong iova, ulong length);

    /// <summary>Whether the current configuration has ATS enabled for the device.</summary>
    public virtual bool IsAtsEnabled(Device device) => device.AtsCapable;

    /// <summary>Whether <paramref name="device"/> can use a vIOMMU or nested HWPT of this instance.</summary>
    public bool Owns(Device device) => ReferenceEquals(device.Iommu, this);
}
