using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Core.Vendors.Intel;
using HwSpecGen.Tests.Shared;

namespace HwSpecGen.Core.Tests.Caches;

/// <summary>
/// The hit path of each vendor's hardware translation (configuration lookup, then an IOTLB hit) allocates nothing:
/// measured with GC.GetAllocatedBytesForCurrentThread around many hits (benchmarks/ times it; this only counts bytes).
/// </summary>
public sealed class IotlbHitAllocationTests
{
    private const ulong Iova = 0x7F12_3400_0000;
    private const int Pages = 16;

    [Fact]
    public void AmdHitsAllocateNothing()
    {
        var host = new AmdScenario();
        var vm = host.CreateVm("alloc", 16UL << 20, new AmdDeviceSpec(0x0100, 0x0008, AtsCapable: false));
        var gcr3 = vm.NewGcr3Table();
        var pt = vm.NewPageTable();
        gcr3.Set(0, pt.RootGpa);
        var buffer = vm.DmaAllocator.Allocate(Pages * 0x1000UL);
        pt.Map(Iova, buffer, Pages * 0x1000UL);
        Assert.True(vm.ConfigureDevice(0x0008, AmdVm.NestedDte(1, gcr3)));
        AssertHitsAllocateNothing(host.Iommu, vm.Device(0x0008));
    }

    [Fact]
    public void IntelHitsAllocateNothing()
    {
        var host = new IntelScenario();
        var vm = host.CreateVm("alloc", 32UL << 20, new IntelVmDevice(0x0300, 0x0008, Ats: false));
        vm.EnableGuestIommu();
        var table = vm.NewPageTable();
        var buffer = vm.GuestAllocator.Allocate(Pages * 0x1000UL);
        for (var i = 0UL; i < Pages; i++)
        {
            table.Map(Iova + (i << 12), buffer + (i << 12));
        }

        Assert.True(vm.GuestAttach(0x0008, 5, table));
        AssertHitsAllocateNothing(host.Iommu, vm.Device(0x0008));
    }

    [Fact]
    public void ArmHitsAllocateNothing()
    {
        var host = new ArmScenario();
        var vm = host.CreateVm("alloc", 16UL << 20, (0x0100, 0x1, false));
        var domain = vm.ConfigureStage1(vsid: 1, asid: 1, ats: false);
        var buffer = vm.AllocateBuffer(Pages * 0x1000UL);
        domain.PageTable.Map(Iova, buffer, Pages * 0x1000UL, Access.ReadWrite, largePages: false);
        AssertHitsAllocateNothing(host.Smmu, vm.Devices[1]);
    }

    private static void AssertHitsAllocateNothing(PhysicalIommu iommu, Device device)
    {
        for (var i = 0UL; i < Pages; i++)
        {
            var first = iommu.Translate(device, null, Iova + (i << 12), Access.Read);
            Assert.True(first.IsOk, first.ToString());
        }

        var hits = 0;
        var least = AllocationMeter.LeastAllocated(() => hits = Hits(iommu, device, 100_000));
        Assert.Equal(100_000, hits);
        Assert.Equal(0, least);
    }

    private static int Hits(PhysicalIommu iommu, Device device, int n)
    {
        var hits = 0;
        for (var i = 0; i < n; i++)
        {
            var r = iommu.Translate(device, null, Iova + ((ulong)(i % Pages) << 12) + 0x10, Access.Read);
            hits += r.Source == TranslationSource.Iotlb ? 1 : 0;
        }

        return hits;
    }
}
