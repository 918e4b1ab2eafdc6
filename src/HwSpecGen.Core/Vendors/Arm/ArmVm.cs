using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// One VM of an <see cref="ArmScenario"/>, set up as a VMM does it: its own iommufd, guest RAM mapped into an IOAS with
/// GPA = IOVA, a nest-parent HWPT (stage 2), an ARM_SMMUV3 vIOMMU (the parent's VMID), a vDEVICE per assigned device
/// (vSID → device), an ARM_SMMUV3 vEVENTQ, the emulated <see cref="SmmuV3VirtualSmmu"/> and the guest's driver for it.
/// Devices start attached to the parent (stage 2 only) until the guest installs an STE.
/// </summary>
public sealed class ArmVm
{
    private readonly Dictionary<ulong, Device> _devices = new();

    internal ArmVm(string name, SmmuV3Iommu smmu, PhysicalMemory host, PageAllocator ram, ulong ramBytes, IReadOnlyList<(uint Sid, ulong Vsid, bool Ats)> devices)
    {
        Name = name;
        Fd = new IommufdContext();
        Memory = new GuestMemory(host, ram);
        Ram = Memory.AddRam(0, ramBytes);
        Allocator = new GuestPageAllocator(Memory, ramBytes / 2, ramBytes);
        Ioas = Fd.IoasAlloc().Value;
        Check(Fd.IoasMap(Ioas.Id, Ram.Gpa, Ram.Hpa, Ram.Length, Access.ReadWrite), "IOMMU_IOAS_MAP");
        var first = true;
        foreach (var (sid, vsid, ats) in devices)
        {
            var dev = Fd.BindDevice(smmu, sid, ats, smmu.Options.SsidBits, $"{name}.dev{vsid}").Value;
            if (first)
            {
                Parent = (HwptPaging)Fd.HwptAlloc(dev.Id, Ioas.Id, HwptAllocFlags.NestParent).Value;
                Viommu = Fd.ViommuAlloc(dev.Id, Parent.Id, ArmSmmuV3Uapi.ViommuType).Value;
                Events = Fd.VeventqAlloc(Viommu.Id, ArmSmmuV3Uapi.VeventqType, 64).Value;
                first = false;
            }

            Check(Fd.VdeviceAlloc(Viommu!.Id, dev.Id, vsid).AsResult(), "IOMMU_VDEVICE_ALLOC");
            Check(Fd.Attach(dev.Id, null, Parent!.Id).AsResult(), "attach to the S2 parent");
            _devices[vsid] = dev;
        }

        if (Viommu is null || Parent is null || Events is null)
        {
            throw new ArgumentException("a VM needs at least one device", nameof(devices));
        }

        Vsmmu = new SmmuV3VirtualSmmu(Fd, Viommu, Memory);
        Guest = new SmmuV3GuestDriver(Vsmmu, Memory, Allocator);
    }

    /// <summary>Name (for traces).</summary>
    public string Name { get; }

    /// <summary>The VMM's iommufd.</summary>
    public IommufdContext Fd { get; }

    /// <summary>Guest RAM.</summary>
    public GuestMemory Memory { get; }

    /// <summary>The RAM range (GPA 0).</summary>
    public GuestRange Ram { get; }

    /// <summary>Where the guest allocates its tables and queues (upper half of RAM).</summary>
    public GuestPageAllocator Allocator { get; }

    /// <summary>The IOAS (GPA = IOVA).</summary>
    public Ioas Ioas { get; }

    /// <summary>The nest-parent HWPT (stage 2, GPA → HPA).</summary>
    public HwptPaging Parent { get; } = null!;

    /// <summary>The vIOMMU.</summary>
    public Viommu Viommu { get; } = null!;

    /// <summary>Its VMID.</summary>
    public ulong Vmid => ((SmmuV3Viommu)Viommu.Driver).Vmid;

    /// <summary>The ARM_SMMUV3 vEVENTQ.</summary>
    public Veventq Events { get; } = null!;

    /// <summary>The VMM's emulated SMMUv3.</summary>
    public SmmuV3VirtualSmmu Vsmmu { get; }

    /// <summary>The guest's driver for it.</summary>
    public SmmuV3GuestDriver Guest { get; }

    /// <summary>The devices by vSID.</summary>
    public IReadOnlyDictionary<ulong, Device> Devices => _devices;

    /// <summary>
    /// What the guest does to give device <paramref name="vsid"/> a stage-1 domain: a page table and a CD table in guest
    /// memory, the CD (ASID <paramref name="asid"/>, TTB0 = the table) at SSID 0, the STE (S1, EATS from
    /// <paramref name="ats"/>), then CFGI_STE + CMD_SYNC on its Command queue — upon which the VMM installs the nested HWPT.
    /// </summary>
    public ArmGuestDomain ConfigureStage1(ulong vsid, ulong asid, bool ats, int s1CdMax = 0, bool twoLevelCd = false)
    {
        var pt = new SmmuV3GuestPageTable(Memory, Allocator);
        var cds = new SmmuV3GuestCdTable(Memory, Allocator, s1CdMax, twoLevelCd);
        cds.Write(0, SmmuV3GuestCdTable.MakeS1Cd(asid, pt.Root));
        Guest.WriteSte(vsid, SmmuV3GuestDriver.MakeCdTableSte(cds, ats));
        Guest.Produce(CfgiSte.Create().WithSid(vsid).WithLeaf(true).ToBytes());
        Guest.Sync();
        return new ArmGuestDomain(vsid, asid, pt, cds);
    }

    /// <summary>Allocates <paramref name="bytes"/> of guest memory (a DMA buffer) and returns its GPA.</summary>
    public ulong AllocateBuffer(ulong bytes, ulong alignment = PhysicalMemory.PageSize) => Allocator.Allocate(bytes, alignment);

    private static void Check(IommufdResult r, string what)
    {
        if (!r.IsOk)
        {
            throw new InvalidOperationException($"{what} failed: {r}");
        }
    }
}
