using HwSpecGen.Core.Memory;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// A host with one AMD IOMMU, for scenarios and tests: host memory, an allocator for the IOMMU's own tables, an allocator
/// for VM RAM, and <see cref="CreateVm"/> to build VMs (each its own iommufd) whose devices sit behind the IOMMU.
/// </summary>
public sealed class AmdScenario
{
    /// <summary>Where the IOMMU's tables (device table, rings, v1 tables) are allocated.</summary>
    public const ulong TableRegion = 0x1_0000_0000;

    /// <summary>Where VM RAM is allocated.</summary>
    public const ulong RamRegion = 0x40_0000_0000;

    /// <summary>Creates the host.</summary>
    public AmdScenario(AmdIommuOptions? options = null)
    {
        Memory = new PhysicalMemory();
        TableAllocator = new PageAllocator(Memory, TableRegion, TableRegion + 0x1_0000_0000);
        RamAllocator = new PageAllocator(Memory, RamRegion, RamRegion + 0x40_0000_0000);
        Iommu = new AmdIommu("amd-iommu0", Memory, TableAllocator, options);
    }

    /// <summary>Host physical memory.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>Allocator of the IOMMU's tables.</summary>
    public PageAllocator TableAllocator { get; }

    /// <summary>Allocator of VM RAM.</summary>
    public PageAllocator RamAllocator { get; }

    /// <summary>The IOMMU.</summary>
    public AmdIommu Iommu { get; }

    /// <summary>
    /// A VM with <paramref name="ramBytes"/> of RAM at GPA 0 mapped into an IOAS (GPA = IOVA), a nest-parent HWPT, an AMD vIOMMU,
    /// the devices bound and exposed as vDEVICEs, a vEVENTQ, and the VMM's emulated IOMMU programmed by the guest driver.
    /// </summary>
    public AmdVm CreateVm(string name, ulong ramBytes, params AmdDeviceSpec[] devices) => new(this, name, ramBytes, devices);
}
