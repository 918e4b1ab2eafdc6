using System.Collections.Generic;
using HwSpecGen.Core.Memory;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// A host with one physical SMMUv3 and any number of VMs (<see cref="ArmVm"/>): host memory, the allocators for the
/// SMMU's own tables and for guest RAM, and the SMMU. Scenarios, tests and <c>hwspec simulate</c> build on it.
/// </summary>
public sealed class ArmScenario
{
    private readonly List<ArmVm> _vms = new();

    /// <summary>Creates the host.</summary>
    public ArmScenario(SmmuV3Options? options = null)
    {
        Memory = new PhysicalMemory();
        TableAllocator = new PageAllocator(Memory, 0x1000_0000, 0x4000_0000);
        RamAllocator = new PageAllocator(Memory, 0x1_0000_0000, 0x40_0000_0000);
        Smmu = new SmmuV3Iommu("smmu0", Memory, TableAllocator, options);
    }

    /// <summary>Host physical memory.</summary>
    public PhysicalMemory Memory { get; }

    /// <summary>Where the SMMU's tables and queues come from.</summary>
    public PageAllocator TableAllocator { get; }

    /// <summary>Where guest RAM comes from.</summary>
    public PageAllocator RamAllocator { get; }

    /// <summary>The physical SMMU.</summary>
    public SmmuV3Iommu Smmu { get; }

    /// <summary>The VMs.</summary>
    public IReadOnlyList<ArmVm> Vms => _vms;

    /// <summary>Creates a VM with <paramref name="ramBytes"/> of RAM and the given devices (physical StreamID, vSID, ATS).</summary>
    public ArmVm CreateVm(string name, ulong ramBytes, params (uint Sid, ulong Vsid, bool Ats)[] devices)
    {
        var vm = new ArmVm(name, Smmu, Memory, RamAllocator, ramBytes, devices);
        _vms.Add(vm);
        return vm;
    }
}
