using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Tests.Amd;

/// <summary>
/// A VM with its guest tables already set up: one GCR3 table (PASID 0 → <see cref="Table"/>), a v2 table mapping
/// <see cref="Iova"/> → <see cref="Buffer"/> (16 KiB, 4 KiB pages) and <see cref="BigIova"/> → <see cref="BigBuffer"/> (2 MiB),
/// and every device configured with the same guest DomainID through INVALIDATE_DEVTAB_ENTRY.
/// </summary>
internal sealed class AmdTestBed
{
    public const ulong Iova = 0x1_0000_0000;
    public const ulong BigIova = 0x4000_0000;
    public const ulong GuestDomain = 0x5;

    public AmdTestBed(AmdScenario host, string name, ulong guestDomain, params AmdDeviceSpec[] devices)
    {
        Host = host;
        Vm = host.CreateVm(name, 16UL << 20, devices);
        Gcr3 = Vm.NewGcr3Table();
        Table = Vm.NewPageTable();
        Gcr3.Set(0, Table.RootGpa);
        Buffer = Vm.DmaAllocator.Allocate(0x4000);
        BigBuffer = Vm.DmaAllocator.Allocate(0x20_0000, 0x20_0000);
        Table.Map(Iova, Buffer, 0x4000);
        Table.Map(BigIova, BigBuffer, 0x20_0000);
        DomainId = guestDomain;
        foreach (var d in devices)
        {
            if (!Vm.ConfigureDevice(d.GuestDeviceId, AmdVm.NestedDte(guestDomain, Gcr3)))
            {
                throw new InvalidOperationException("configuration did not complete");
            }
        }
    }

    public AmdScenario Host { get; }

    public AmdIommu Iommu => Host.Iommu;

    public AmdVm Vm { get; }

    public AmdGcr3Table Gcr3 { get; }

    public AmdGuestPageTable Table { get; }

    public ulong Buffer { get; }

    public ulong BigBuffer { get; }

    public ulong DomainId { get; }

    public ulong HostDomain => Vm.Driver.DomainMap[DomainId].HostDomainId;

    public static AmdTestBed Create(AmdIommuOptions? options = null, bool ats = true) =>
        new(new AmdScenario(options), "vm", GuestDomain, new AmdDeviceSpec(0x0100, 0x0008, ats), new AmdDeviceSpec(0x0200, 0x0010, ats));

    public Device Dev(ushort guestId) => Vm.Device(guestId);

    /// <summary>The guest sends commands and a COMPLETION_WAIT; true when the wait completed.</summary>
    public bool Guest(params Action<AmdVm>[] queue)
    {
        foreach (var q in queue)
        {
            q(Vm);
        }

        return Vm.Sync();
    }

    public static Action<AmdVm> Pages(ulong guestDomain, ulong iova, ulong last, uint? pasid = 0) =>
        vm => vm.Queue(InvalidateIommuPages.FromRange(iova, last, guestDomain, pde: true, gn: pasid is not null, pasid: pasid ?? 0));

    public static Action<AmdVm> Iotlb(ushort guestDevice, ulong iova, ulong last) =>
        vm => vm.Queue(InvalidateIotlbPages.FromRange(iova, last, guestDevice, 0));
}
