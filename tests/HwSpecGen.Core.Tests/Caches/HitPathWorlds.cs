using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Core.Vendors.Intel;

namespace HwSpecGen.Core.Tests.Caches;

/// <summary>Per vendor, one nested device with <see cref="Pages"/> 4 KiB pages mapped at <see cref="Iova"/>: the worlds the hit-path tests translate in.</summary>
internal static class HitPathWorlds
{
    public const ulong Iova = 0x7F12_3400_0000;
    public const int Pages = 16;

    public static (PhysicalIommu Iommu, Device Device) Create(string vendor) => vendor switch
    {
        "amd-vi" => Amd(),
        "intel-vtd" => Intel(),
        _ => Arm(),
    };

    private static (PhysicalIommu, Device) Amd()
    {
        var host = new AmdScenario();
        var vm = host.CreateVm("alloc", 16UL << 20, new AmdDeviceSpec(0x0100, 0x0008, AtsCapable: false));
        var gcr3 = vm.NewGcr3Table();
        var pt = vm.NewPageTable();
        gcr3.Set(0, pt.RootGpa);
        var buffer = vm.DmaAllocator.Allocate(Pages * 0x1000UL);
        pt.Map(Iova, buffer, Pages * 0x1000UL);
        Assert.True(vm.ConfigureDevice(0x0008, AmdVm.NestedDte(1, gcr3)));
        return (host.Iommu, vm.Device(0x0008));
    }

    private static (PhysicalIommu, Device) Intel()
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
        return (host.Iommu, vm.Device(0x0008));
    }

    private static (PhysicalIommu, Device) Arm()
    {
        var host = new ArmScenario();
        var vm = host.CreateVm("alloc", 16UL << 20, (0x0100, 0x1, false));
        var domain = vm.ConfigureStage1(vsid: 1, asid: 1, ats: false);
        var buffer = vm.AllocateBuffer(Pages * 0x1000UL);
        domain.PageTable.Map(Iova, buffer, Pages * 0x1000UL, Access.ReadWrite, largePages: false);
        return (host.Smmu, vm.Devices[1]);
    }
}
