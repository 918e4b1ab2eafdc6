using System;
using System.Collections.Generic;
using HwSpecGen.Core.Memory;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// A host with one Intel VT-d remapping unit, for scenarios and tests: host physical memory, an allocator for the
/// unit's own tables and one for VM RAM, and <see cref="IntelVm"/>s (each with its own iommufd, guest memory mapped
/// into an IOAS with GPA = IOVA, a nest-parent HWPT, devices and an emulated VT-d).
/// </summary>
public sealed class IntelScenario
{
    /// <summary>Where the unit's tables are allocated.</summary>
    public const ulong TableRegion = 0x1_0000_0000;

    /// <summary>Where VM RAM is allocated.</summary>
    public const ulong RamRegion = 0x10_0000_0000;

    private readonly List<IntelVm> _vms = new();

    /// <summary>Creates the host and its remapping unit.</summary>
    public IntelScenario(IntelVtdOptions? options = null)
    {
        Host = new PhysicalMemory();
        TableAllocator = new PageAllocator(Host, TableRegion, TableRegion + 0x1000_0000);
        RamAllocator = new PageAllocator(Host, RamRegion, RamRegion + 0x10_0000_0000);
        Iommu = new IntelVtdIommu("dmar0", Host, TableAllocator, options);
    }

    /// <summary>Host physical memory.</summary>
    public PhysicalMemory Host { get; }

    /// <summary>Allocator of the unit's tables (root, context, PASID, second stage, queues, fault records).</summary>
    public PageAllocator TableAllocator { get; }

    /// <summary>Allocator of guest RAM.</summary>
    public PageAllocator RamAllocator { get; }

    /// <summary>The remapping unit.</summary>
    public IntelVtdIommu Iommu { get; }

    /// <summary>The VMs created so far.</summary>
    public IReadOnlyList<IntelVm> Vms => _vms;

    /// <summary>Creates a VM with <paramref name="ramBytes"/> of RAM at GPA 0 and the given devices.</summary>
    public IntelVm CreateVm(string name, ulong ramBytes, params IntelVmDevice[] devices)
    {
        if (devices.Length == 0)
        {
            throw new ArgumentException("a VM needs at least one device to allocate its nest parent", nameof(devices));
        }

        var vm = new IntelVm(this, name, ramBytes, devices);
        _vms.Add(vm);
        return vm;
    }
}
