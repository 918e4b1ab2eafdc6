using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// One VM on an <see cref="IntelScenario"/> host: its iommufd, RAM at GPA 0 mapped into an IOAS (IOVA = GPA), a
/// nest-parent HWPT (the stage 2), its assigned devices, the VMM's emulated VT-d (<see cref="IntelVirtualIommu"/>),
/// and the guest's own structures — root/context/PASID tables, first-stage page tables and the invalidation queue —
/// in guest memory.
/// </summary>
public sealed class IntelVm
{
    /// <summary>Guest RAM below this GPA is used for the guest's tables and queues.</summary>
    public const ulong GuestTableLimit = 0x0100_0000;

    private readonly Dictionary<ushort, Device> _byVirtualRid = new();

    internal IntelVm(IntelScenario scenario, string name, ulong ramBytes, IntelVmDevice[] devices)
    {
        Scenario = scenario;
        Name = name;
        Fd = new IommufdContext();
        Memory = new GuestMemory(scenario.Host, scenario.RamAllocator);
        Ram = Memory.AddRam(0, ramBytes);
        GuestAllocator = new GuestPageAllocator(Memory, 0x0010_0000, Math.Min(GuestTableLimit, ramBytes));
        Ioas = Fd.IoasAlloc().Value;
        Check(Fd.IoasMap(Ioas.Id, 0, Ram.Hpa, ramBytes, Access.ReadWrite), "IOMMU_IOAS_MAP of guest RAM");
        foreach (var d in devices)
        {
            var dev = Fd.BindDevice(scenario.Iommu, d.PhysicalRid, d.Ats, d.PasidBits, $"{name}/{d.PhysicalRid:X4}").Value;
            _byVirtualRid[d.VirtualRid] = dev;
        }

        NestParent = (HwptPaging)Fd.HwptAlloc(_byVirtualRid[devices[0].VirtualRid].Id, Ioas.Id, HwptAllocFlags.NestParent).Value;
        Viommu = new IntelVirtualIommu(Fd, Memory, NestParent);
        foreach (var d in devices)
        {
            Check(Viommu.AddDevice(d.VirtualRid, _byVirtualRid[d.VirtualRid]), "vRID table");
        }

        GuestContext = new IntelGuestContextBuilder(Memory, GuestAllocator);
    }

    /// <summary>The host.</summary>
    public IntelScenario Scenario { get; }

    /// <summary>Name for traces.</summary>
    public string Name { get; }

    /// <summary>The VM's iommufd.</summary>
    public IommufdContext Fd { get; }

    /// <summary>Guest RAM.</summary>
    public GuestMemory Memory { get; }

    /// <summary>The RAM range (GPA 0).</summary>
    public GuestRange Ram { get; }

    /// <summary>Allocator for guest tables and queues (GPA 1 MiB up to <see cref="GuestTableLimit"/>).</summary>
    public GuestPageAllocator GuestAllocator { get; }

    /// <summary>The IOAS holding guest RAM.</summary>
    public Ioas Ioas { get; }

    /// <summary>The stage 2 (GPA → HPA).</summary>
    public HwptPaging NestParent { get; }

    /// <summary>The VMM's emulated VT-d.</summary>
    public IntelVirtualIommu Viommu { get; }

    /// <summary>The guest's root/context/PASID tables.</summary>
    public IntelGuestContextBuilder GuestContext { get; }

    /// <summary>The guest's invalidation queue (after <see cref="EnableGuestIommu"/>).</summary>
    public IntelGuestQueue? Queue { get; private set; }

    /// <summary>The device the guest knows as <paramref name="virtualRid"/>.</summary>
    public Device Device(ushort virtualRid) => _byVirtualRid[virtualRid];

    /// <summary>The HPA backing <paramref name="gpa"/>.</summary>
    public ulong HpaOf(ulong gpa) => Memory.TryTranslate(gpa, out var hpa) ? hpa : throw new ArgumentOutOfRangeException(nameof(gpa));

    /// <summary>A new empty first-stage table in guest memory.</summary>
    public IntelGuestPageTableBuilder NewPageTable(int levels = 4) => new(Memory, GuestAllocator, levels);

    /// <summary>
    /// What a Linux guest's intel-iommu init does: RTADDR + GCMD.SRTP, the invalidation queue (IQA + GCMD.QIE), a global
    /// context-cache and IOTLB invalidation with a wait, then GCMD.TE.
    /// </summary>
    public IntelGuestQueue EnableGuestIommu(bool descriptors256 = true)
    {
        Viommu.WriteRegister(VtdRegister.RootTableAddress, GuestContext.RootTableAddress.GetWord(0));
        Viommu.WriteRegister(VtdRegister.GlobalCommand, GlobalCommandRegister.Create().WithSrtp(true).GetWord(0));
        Queue = new IntelGuestQueue(Viommu, Memory, GuestAllocator, descriptors256);
        Queue.SubmitSync(QiCommands.ContextGlobal(), QiCommands.Of(IotlbInvalidate256.Create().WithG(IotlbGranularity.Global)));
        var gcmd = Viommu.PersistentCommand.WithTe(true);
        Viommu.WriteRegister(VtdRegister.GlobalCommand, gcmd.GetWord(0));
        return Queue;
    }

    /// <summary>
    /// The guest points (<paramref name="virtualRid"/>, <paramref name="pasid"/>) at its first-stage table under guest
    /// DID <paramref name="did"/> and tells its IOMMU (PASID-cache invalidation, context-cache invalidation, wait).
    /// </summary>
    public bool GuestAttach(ushort virtualRid, ushort did, IntelGuestPageTableBuilder table, uint pasid = 0)
    {
        GuestContext.EnsureContext(virtualRid);
        GuestContext.SetFirstStage(virtualRid, pasid, did, table.Root, table.Levels);
        var q = Queue ?? throw new InvalidOperationException("enable the guest IOMMU first");
        return q.SubmitSync(QiCommands.PasidCache(did, pasid), QiCommands.ContextDevice(virtualRid));
    }

    private static void Check(IommufdResult r, string what)
    {
        if (!r.IsOk)
        {
            throw new InvalidOperationException($"{what} failed: {r}");
        }
    }
}
