using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.AmdVi;
using HwSpecGen.Runtime;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// One VM of an <see cref="AmdScenario"/>: the VMM's iommufd objects (IOAS with the RAM at GPA = IOVA, nest parent, AMD vIOMMU,
/// vDEVICEs, vEVENTQ), its emulated IOMMU (<see cref="GuestIommu"/>), and the guest OS side: a guest device table, a command
/// buffer, an event log and a completion semaphore in guest memory, programmed through MMIO, plus builders for GCR3 and v2
/// tables. The guest half of RAM [0, RAM/2) is for DMA buffers, the upper half for the guest kernel's own structures.
/// </summary>
public sealed class AmdVm
{
    /// <summary>Guest DeviceIDs the guest device table covers (128 KiB).</summary>
    public const int GuestDeviceTableEntries = 0x1000;

    private readonly Dictionary<ushort, Device> _byGuestId = new();
    private ulong _cmdTail;
    private ulong _evtHead;
    private ulong _sequence;

    internal AmdVm(AmdScenario scenario, string name, ulong ramBytes, AmdDeviceSpec[] devices)
    {
        if (devices.Length == 0)
        {
            throw new ArgumentException("a VM needs at least one device (HWPT_ALLOC and VIOMMU_ALLOC name one)", nameof(devices));
        }

        Scenario = scenario;
        Name = name;
        Context = new IommufdContext();
        Memory = new GuestMemory(scenario.Memory, scenario.RamAllocator);
        Ram = Memory.AddRam(0, ramBytes);
        DmaAllocator = new GuestPageAllocator(Memory, 0x10_0000, ramBytes / 2);
        KernelAllocator = new GuestPageAllocator(Memory, ramBytes / 2, ramBytes);
        Ioas = Context.IoasAlloc().Value;
        Check(Context.IoasMap(Ioas.Id, 0, Ram.Hpa, ramBytes, Access.ReadWrite), "IOAS_MAP");

        var first = Bind(devices[0]);
        Parent = (HwptPaging)Context.HwptAlloc(first.Id, Ioas.Id, HwptAllocFlags.NestParent).Value;
        Viommu = Context.ViommuAlloc(first.Id, Parent.Id, AmdUapi.ViommuTypeAmd).Value;
        Veventq = Context.VeventqAlloc(Viommu.Id, AmdUapi.VeventqTypeAmdEvent, 64).Value;
        GuestIommu = new AmdGuestIommu(Context, Viommu, Memory);
        GuestIommu.Interrupt = i =>
        {
            if (i == AmdGuestInterrupt.CompletionWait)
            {
                CompletionInterrupts++;
            }
            else
            {
                EventInterrupts++;
            }
        };

        Expose(first, devices[0]);
        for (var i = 1; i < devices.Length; i++)
        {
            Expose(Bind(devices[i]), devices[i]);
        }

        // The guest driver's initialisation: device table (every DTE cleared: V=1, TV=1), rings, semaphore, Control.
        DeviceTableGpa = KernelAllocator.Allocate((ulong)GuestDeviceTableEntries * DeviceTableEntry.SizeBytes);
        var cleared = AmdIommu.BlockedDtePage();
        for (ulong offset = 0; offset < (ulong)GuestDeviceTableEntries * DeviceTableEntry.SizeBytes; offset += PhysicalMemory.PageSize)
        {
            Memory.TryWrite(DeviceTableGpa + offset, cleared);
        }

        CommandBufferGpa = KernelAllocator.Allocate(16UL << AmdIommu.RingLengthLog2);
        EventLogGpa = KernelAllocator.Allocate(16UL << AmdIommu.RingLengthLog2);
        SemaphoreGpa = KernelAllocator.Allocate(PhysicalMemory.PageSize);
        var tableBytes = (ulong)GuestDeviceTableEntries * DeviceTableEntry.SizeBytes;
        GuestIommu.WriteMmio(AmdMmio.DeviceTableBase, DeviceTableBase.Create().WithBase(DeviceTableGpa).WithSize((tableBytes / PhysicalMemory.PageSize) - 1).GetWord(0));
        GuestIommu.WriteMmio(AmdMmio.CommandBufferBase, CommandBufferBase.Create().WithBase(CommandBufferGpa).WithLength(AmdIommu.RingLengthLog2).GetWord(0));
        GuestIommu.WriteMmio(AmdMmio.EventLogBase, EventLogBase.Create().WithBase(EventLogGpa).WithLength(AmdIommu.RingLengthLog2).GetWord(0));
        GuestIommu.WriteMmio(AmdMmio.Control, GuestControl.GetWord(0));
    }

    /// <summary>The Control value the guest driver writes: IOMMU, command buffer, event log and both interrupts enabled, guest translation on.</summary>
    public static Control GuestControl => Control.Create().WithIommuEn(true).WithCmdBufEn(true).WithEventLogEn(true).WithEventIntEn(true).WithComWaitIntEn(true).WithGtEn(true);

    /// <summary>The host.</summary>
    public AmdScenario Scenario { get; }

    /// <summary>Name for traces.</summary>
    public string Name { get; }

    /// <summary>The VMM's iommufd.</summary>
    public IommufdContext Context { get; }

    /// <summary>The VM's RAM.</summary>
    public GuestMemory Memory { get; }

    /// <summary>The RAM range (GPA 0).</summary>
    public GuestRange Ram { get; }

    /// <summary>Guest allocator for DMA buffers (lower half of RAM).</summary>
    public GuestPageAllocator DmaAllocator { get; }

    /// <summary>Guest allocator for the guest kernel's tables and rings (upper half of RAM).</summary>
    public GuestPageAllocator KernelAllocator { get; }

    /// <summary>The IOAS holding the RAM at GPA = IOVA.</summary>
    public Ioas Ioas { get; }

    /// <summary>The nest parent (stage 2).</summary>
    public HwptPaging Parent { get; }

    /// <summary>The AMD vIOMMU.</summary>
    public Viommu Viommu { get; }

    /// <summary>The vIOMMU's driver state (guest → host DomainID map).</summary>
    public AmdViommuDriver Driver => (AmdViommuDriver)Viommu.Driver;

    /// <summary>The vEVENTQ for guest-owned faults.</summary>
    public Veventq Veventq { get; }

    /// <summary>The VMM's emulated IOMMU.</summary>
    public AmdGuestIommu GuestIommu { get; }

    /// <summary>Devices by guest DeviceID.</summary>
    public IReadOnlyDictionary<ushort, Device> Devices => _byGuestId;

    /// <summary>GPA of the guest device table.</summary>
    public ulong DeviceTableGpa { get; }

    /// <summary>GPA of the guest command buffer.</summary>
    public ulong CommandBufferGpa { get; }

    /// <summary>GPA of the guest event log.</summary>
    public ulong EventLogGpa { get; }

    /// <summary>GPA of the guest driver's COMPLETION_WAIT semaphore.</summary>
    public ulong SemaphoreGpa { get; }

    /// <summary>GPA where the guest driver writes its next command (the tail it will write at the next doorbell).</summary>
    public ulong NextCommandGpa => CommandBufferGpa + _cmdTail;

    /// <summary>Completion interrupts the VM received.</summary>
    public int CompletionInterrupts { get; private set; }

    /// <summary>Event-log interrupts the VM received.</summary>
    public int EventInterrupts { get; private set; }

    /// <summary>The device the guest calls <paramref name="guestDeviceId"/>.</summary>
    public Device Device(ushort guestDeviceId) => _byGuestId[guestDeviceId];

    /// <summary>Binds another device and exposes it as a vDEVICE.</summary>
    public Device AddDevice(AmdDeviceSpec spec)
    {
        var device = Bind(spec);
        Expose(device, spec);
        return device;
    }

    /// <summary>A new guest v2 page table.</summary>
    public AmdGuestPageTable NewPageTable(int levels = 4) => new(Memory, KernelAllocator, levels);

    /// <summary>A new guest GCR3 table.</summary>
    public AmdGcr3Table NewGcr3Table(int glx = 0) => new(Memory, KernelAllocator, glx);

    /// <summary>The DTE a Linux guest writes for a v2 (GCR3) domain: V, TV, IR, IW, GV, GIoV, GLX, the GCR3 root, the guest paging mode and the guest DomainID; Mode 0.</summary>
    public static DeviceTableEntry NestedDte(ulong guestDomainId, AmdGcr3Table gcr3, GuestPagingMode mode = GuestPagingMode.FourLevel, bool giov = true) =>
        DeviceTableEntry.Create()
            .WithV(true)
            .WithTv(true)
            .WithIr(true)
            .WithIw(true)
            .WithGv(true)
            .WithGIov(giov)
            .WithGlx((ulong)gcr3.Glx)
            .WithGcr3Root(gcr3.RootGpa)
            .WithGuestPagingMode(mode)
            .WithDomainId(guestDomainId);

    /// <summary>Writes a DTE into the guest device table (no command).</summary>
    public void WriteDte(ushort guestDeviceId, DeviceTableEntry dte)
    {
        Span<byte> b = stackalloc byte[DeviceTableEntry.SizeBytes];
        dte.WriteTo(b);
        Memory.TryWrite(DeviceTableGpa + DeviceTableTable.Offset(guestDeviceId), b);
    }

    /// <summary>The guest driver programs a device: writes its DTE, sends INVALIDATE_DEVTAB_ENTRY and waits for completion.</summary>
    public bool ConfigureDevice(ushort guestDeviceId, DeviceTableEntry dte)
    {
        WriteDte(guestDeviceId, dte);
        Queue(InvalidateDevtabEntry.Create().WithDeviceId(guestDeviceId));
        return Sync();
    }

    /// <summary>Writes a command at the guest's tail (no doorbell).</summary>
    public void Queue<T>(T command)
        where T : struct, IHardwareFormat<T>
    {
        Span<byte> b = stackalloc byte[16];
        command.WriteTo(b);
        QueueRaw(b);
    }

    /// <summary>Writes 16 raw bytes at the guest's tail (no doorbell).</summary>
    public void QueueRaw(ReadOnlySpan<byte> command)
    {
        Memory.TryWrite(CommandBufferGpa + _cmdTail, command[..16]);
        _cmdTail = (_cmdTail + 16) % (16UL << AmdIommu.RingLengthLog2);
    }

    /// <summary>The doorbell: writes the Command Buffer Tail register.</summary>
    public void Doorbell() => GuestIommu.WriteMmio(AmdMmio.CommandTail, CommandBufferTail.Create().WithOffset(_cmdTail).GetWord(0));

    /// <summary>
    /// Queues COMPLETION_WAIT (S=1, I=1) storing the next sequence number at the guest semaphore, rings the doorbell, and
    /// reports whether the value arrived (as Linux <c>wait_on_sem</c> polls for it).
    /// </summary>
    public bool Sync()
    {
        var value = ++_sequence;
        Queue(CompletionWait.Create().WithS(true).WithI(true).WithStoreAddress(SemaphoreGpa).WithStoreData(value));
        Doorbell();
        return Memory.TryReadUInt64(SemaphoreGpa, out var seen) && seen == value;
    }

    /// <summary>The guest restarts a stopped command buffer: skips the command at the head and re-enables it (Control.CmdBufEn 0 → 1).</summary>
    public void RestartCommandBuffer(bool skipFaultingCommand = true)
    {
        GuestIommu.WriteMmio(AmdMmio.Control, GuestControl.WithCmdBufEn(false).GetWord(0));
        if (skipFaultingCommand)
        {
            var head = GuestIommu.CommandHead.Offset;
            GuestIommu.WriteMmio(AmdMmio.CommandHead, CommandBufferHead.Create().WithOffset((head + 16) % (16UL << AmdIommu.RingLengthLog2)).GetWord(0));
        }

        GuestIommu.WriteMmio(AmdMmio.Control, GuestControl.GetWord(0));
    }

    /// <summary>The guest's event handler: lets the VMM move vEVENTQ records into the guest log, then reads every new entry and moves the head.</summary>
    public IReadOnlyList<byte[]> ReadGuestEvents()
    {
        GuestIommu.PollEvents();
        var ring = 16UL << AmdIommu.RingLengthLog2;
        var tail = GuestIommu.EventTail.Offset;
        var events = new List<byte[]>();
        while (_evtHead != tail)
        {
            var e = new byte[16];
            Memory.TryRead(EventLogGpa + _evtHead, e);
            events.Add(e);
            _evtHead = (_evtHead + 16) % ring;
        }

        GuestIommu.WriteMmio(AmdMmio.EventHead, EventLogHead.Create().WithOffset(_evtHead).GetWord(0));
        return events;
    }

    private static void Check(IommufdResult r, string what)
    {
        if (!r.IsOk)
        {
            throw new InvalidOperationException($"{what} failed: {r}");
        }
    }

    private Device Bind(AmdDeviceSpec spec) =>
        Context.BindDevice(Scenario.Iommu, spec.PhysicalId, spec.AtsCapable, spec.PasidBits, spec.Name ?? $"{Name}/dev{spec.PhysicalId:X4}").Value;

    private void Expose(Device device, AmdDeviceSpec spec)
    {
        Check(Context.VdeviceAlloc(Viommu.Id, device.Id, spec.GuestDeviceId).AsResult(), "VDEVICE_ALLOC");
        _byGuestId[spec.GuestDeviceId] = device;
    }
}
