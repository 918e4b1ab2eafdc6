using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Hardware;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Fuzz.Harness.GuestQueues;

/// <summary>
/// <c>amd-vi.GuestQueue</c>: bytes → commands in VM A's command buffer (guest memory) → Command Buffer Tail writes →
/// <see cref="AmdGuestIommu"/>. Two VMs share one physical AMD IOMMU, each with its own iommufd, vIOMMU, an ATS and a
/// non-ATS device configured with a guest v2 table through a GCR3 table (nested HWPTs) and warm IOTLB/ATC entries;
/// every input gets a fresh world. After every doorbell the command buffer must be running with head = tail, or
/// stopped (Status.CmdBufRun = 0) with exactly one ILLEGAL_COMMAND_ERROR or COMMAND_HARDWARE_ERROR logged in the guest
/// event log by that doorbell — unless the log could not take it (disabled or overflowed); a running buffer logs no
/// such event; the commands processed must match how far the head moved; and nothing of VM B — IOTLB entries under
/// its host DomainIDs, its ATCs, its DMA translations, its host DTEs and DTE-cache state, its DomainID map, its
/// attachments, its emulated registers, counters and vEVENTQ, its RAM — nor the host command buffer may change.
/// </summary>
/// <remarks>
/// Header (<see cref="GuestQueueInput"/>): flags bits 0–1 doorbell (0 one tail write after the last command, 1 one per
/// command, 2 tail = parameter × 16: anywhere up to 1 MiB, beyond the ring, 3 head = parameter × 16, then one tail
/// write after the last command); bit 2 restart after a stop (Control.CmdBufEn 0 → head past the bad command → 1, up
/// to 4 times); bit 3 command buffer outside guest RAM; bit 4 event log disabled (Control.EventLogEn = 0); bit 5 event
/// log full (the guest stopped consuming it); bit 6 command buffer Length = option bits 3:0 (else 9: 512 entries);
/// bit 7 VM A's devices translate after every doorbell. Option bits 7:4 × 16 = COMPLETION_WAITs the guest ran through
/// first, so the commands start anywhere in the ring and wrap. Then 16-byte commands, at most 64 and one less than the
/// ring holds.
/// </remarks>
public sealed class AmdGuestQueueTarget : FuzzTarget
{
    /// <summary>Flag bit: restart after a stop.</summary>
    public const int Restart = 2;

    /// <summary>Flag bit: command buffer outside guest RAM.</summary>
    public const int BaseOutsideRam = 3;

    /// <summary>Flag bit: event log disabled.</summary>
    public const int EventLogOff = 4;

    /// <summary>Flag bit: event log full.</summary>
    public const int EventLogFull = 5;

    /// <summary>Flag bit: command buffer Length from the option byte.</summary>
    public const int RingLength = 6;

    /// <summary>Flag bit: VM A's devices translate after every doorbell.</summary>
    public const int Dma = 7;

    private const ulong RamBytes = 4UL << 20;
    private const ulong Iova = 0x1_0000_0000;
    private const int Pages = 4;
    private const ushort DevA = 0x0008;
    private const ushort DevA2 = 0x0010;
    private const ushort DevB = 0x0020;
    private const ushort DevB2 = 0x0028;
    private const ulong DomainA = 0x5;
    private const ulong DomainB = 0x9;
    private const ulong OutsideRam = 0x8000_0000;
    private const int MaxEntries = 64;
    private const int MaxRestarts = 4;
    private static readonly string[] PageNames = Enumerable.Range(0, Pages).Select(i => $"IOVA page {i}").ToArray();
    private readonly Action<AmdVm>? _tamper;

    /// <summary>Creates the target.</summary>
    public AmdGuestQueueTarget()
        : this(null)
    {
    }

    /// <summary>Creates the target with a hook that changes VM B after VM A's input ran (tests prove the checks can fail).</summary>
    /// <param name="tamperWithVictim">Acts on VM B before the comparison.</param>
    internal AmdGuestQueueTarget(Action<AmdVm>? tamperWithVictim) => _tamper = tamperWithVictim;

    /// <inheritdoc/>
    public override string Name => "amd-vi.GuestQueue";

    /// <inheritdoc/>
    public override string Description => "AMD-Vi guest command buffer (AmdGuestIommu): VM A's commands and tail writes; ends consumed or stopped with ILLEGAL_COMMAND_ERROR / COMMAND_HARDWARE_ERROR; VM B untouched";

    /// <inheritdoc/>
    public override void Run(ReadOnlySpan<byte> data)
    {
        var input = new GuestQueueInput(data);
        var world = World.Build();
        var before = Victim(world);
        Drive(world, input);
        _tamper?.Invoke(world.B);
        before.Check(Name, Victim(world));
    }

    /// <inheritdoc/>
    public override IEnumerable<KeyValuePair<string, byte[]>> Seeds()
    {
        var w = World.Build();
        var sem = w.A.SemaphoreGpa;
        byte[] Wait(ulong data = 1) => CompletionWait.Create().WithS(true).WithI(true).WithStoreAddress(sem).WithStoreData(data).ToBytes();
        KeyValuePair<string, byte[]> Seed(string name, int flags, params byte[][] entries) => new(name, GuestQueueInput.Build((byte)flags, 0, 0, entries));
        KeyValuePair<string, byte[]> SeedWith(string name, int flags, byte option, ushort parameter, params byte[][] entries) => new(name, GuestQueueInput.Build((byte)flags, option, parameter, entries));

        var pages = InvalidateIommuPages.FromRange(Iova, Iova + 0x3FFF, DomainA, pde: true, gn: true, pasid: 0).ToBytes();
        var iotlb = InvalidateIotlbPages.FromRange(Iova, Iova + 0x3FFF, DevA, 0).ToBytes();
        yield return Seed("valid-pages-wait", 0, pages, Wait());
        yield return Seed("valid-per-entry-doorbell", 1 | (1 << Dma), pages, iotlb, Wait());
        yield return SeedWith("valid-wrap", 1 << RingLength, 0xF8, 0, pages, iotlb, Wait(), Wait(2));
        yield return Seed("valid-batch", 0, pages, iotlb, pages, iotlb, pages, iotlb, pages, iotlb, pages, iotlb, pages, iotlb, pages, iotlb, pages, iotlb, pages, Wait());

        byte[][] typed =
        [
            Wait(7),
            InvalidateDevtabEntry.Create().WithDeviceId(DevA).ToBytes(),
            InvalidateDevtabEntry.Create().WithDeviceId(DevA2).ToBytes(),
            pages,
            InvalidateIommuPages.FromRange(0, ulong.MaxValue, DomainA).ToBytes(),
            iotlb,
            InvalidateInterruptTable.Create().WithDeviceId(DevA).ToBytes(),
            PrefetchIommuPages.Create().WithDeviceId(DevA).WithAddress(Iova).ToBytes(),
            CompletePprRequest.Create().WithDeviceId(DevA).ToBytes(),
            InvalidateIommuAll.Create().ToBytes(),
        ];
        for (var i = 0; i < typed.Length; i++)
        {
            yield return Seed($"command-{CommandSet.Decode(typed[i]).Kind}-{i}", 0, typed[i], Wait());
        }

        var set = FormatRegistry.Sets.Single(s => s.Vendor == "amd-vi" && s.Name == "Command");
        foreach (var m in set.Members)
        {
            yield return Seed($"Command-{m.Format.Layout.Name}-zero", 1 << Restart, SeedFactory.Encodings(m.Format).First(), Wait());
        }

        // rejected commands: ILLEGAL_COMMAND_ERROR, the buffer stopped on them
        foreach (var opcode in new ulong[] { 0, 0x9, 0xF })
        {
            var raw = Wait();
            AmdCommandBytes.SetOpcode(raw, opcode);
            yield return Seed($"unknown-opcode-{opcode:X}", 0, raw, Wait());
        }

        var reserved = Wait();
        reserved[7] |= 0x01; // CompletionWait bit 56: reserved
        yield return Seed("reserved-bit", 0, reserved, Wait());
        yield return Seed("reserved-bit-restart", 1 << Restart, pages, reserved, iotlb, Wait());
        yield return Seed("wait-store-outside-ram", 0, CompletionWait.Create().WithS(true).WithStoreAddress(OutsideRam).WithStoreData(1).ToBytes(), Wait());
        yield return Seed("illegal-event-log-off", 1 << EventLogOff, reserved, Wait());
        yield return Seed("illegal-event-log-full", 1 << EventLogFull, reserved, Wait());

        // VM B's IDs from VM A's buffer: guest DeviceIDs, physical DeviceIDs, guest and host DomainIDs
        foreach (var id in new ulong[] { DevB, DevB2, 0x0300, 0x0308, DomainB, w.HostDomainB })
        {
            yield return Seed($"victim-id-{id:X}", 1 << Restart,
                InvalidateDevtabEntry.Create().WithDeviceId(id).ToBytes(),
                InvalidateIommuPages.FromRange(0, ulong.MaxValue, id).ToBytes(),
                InvalidateIotlbPages.FromRange(0, ulong.MaxValue, id, 0).ToBytes(),
                InvalidateInterruptTable.Create().WithDeviceId(id).ToBytes(),
                CompletePprRequest.Create().WithDeviceId(id).ToBytes(),
                Wait());
        }

        // hostile queue pointers and registers
        yield return SeedWith("tail-beyond-ring", GuestQueueInput.DoorbellRaw, 0, 0x1000, pages, Wait());
        yield return SeedWith("tail-behind-head", GuestQueueInput.DoorbellRaw | (1 << Restart), 0x30, 0x8, pages, Wait());
        yield return SeedWith("head-beyond-ring", GuestQueueInput.DoorbellHostile, 0, 0x2000, pages, Wait());
        yield return SeedWith("head-moved", GuestQueueInput.DoorbellHostile, 0, 0x3, pages, Wait());
        yield return Seed("base-outside-ram", 1 << BaseOutsideRam, pages, Wait());
        yield return SeedWith("ring-length-0", 1 << RingLength, 0x00, 0, pages, Wait());
        yield return SeedWith("ring-length-15", 1 << RingLength, 0x0F, 0, pages, Wait());
        yield return Seed("empty", 0);
    }

    private static readonly (string Name, ulong Offset)[] Registers =
    [
        ("device table base", AmdMmio.DeviceTableBase),
        ("command buffer base", AmdMmio.CommandBufferBase),
        ("event log base", AmdMmio.EventLogBase),
        ("Control", AmdMmio.Control),
        ("command head", AmdMmio.CommandHead),
        ("command tail", AmdMmio.CommandTail),
        ("event head", AmdMmio.EventHead),
        ("event tail", AmdMmio.EventTail),
        ("Status", AmdMmio.Status),
    ];

    private static VictimState Victim(World w)
    {
        var s = new VictimState();
        var b = w.B;
        var iommu = w.Host.Iommu;
        s.AddCache("IOTLB under VM B's DomainIDs", iommu.Iotlb, w.TagsB);
        foreach (var id in new[] { DevB, DevB2 })
        {
            s.AddCache($"VM B ATC of DeviceID 0x{id:X4}", b.Device(id).Atc);
        }

        foreach (var id in new[] { DevB, DevB2 })
        {
            var dev = b.Device(id);
            for (var i = 0; i < Pages; i++)
            {
                s.AddTranslation($"VM B DeviceID 0x{id:X4} DMA to {PageNames[i]}", dev.Translate(Iova + ((ulong)i << 12), null, Access.Read));
            }

            s.Add($"host DTE of VM B's DeviceID 0x{dev.PhysicalId:X4}", iommu.ReadDte(dev.PhysicalId).ToBytes());
            s.Add($"host DTE cache of VM B's DeviceID 0x{dev.PhysicalId:X4}", iommu.IsDteCached(dev.PhysicalId) ? 1UL : 0);
            s.AddReference($"VM B DeviceID 0x{id:X4} attachment", dev.Attached);
        }

        s.Add("VM B DomainID map size", (ulong)b.Driver.DomainMap.Count);
        s.Add("VM B host DomainID of its guest DomainID", b.Driver.TryMapDomain(DomainB, out var hd) ? hd : ulong.MaxValue);
        s.Add("VM B nested domains", (ulong)b.Driver.NestedDomains.Count);
        foreach (var (name, offset) in Registers)
        {
            s.Add("VM B " + name, b.GuestIommu.ReadMmio(offset));
        }

        s.Add("VM B commands processed", (ulong)b.GuestIommu.CommandsProcessed);
        s.Add("VM B events logged", (ulong)b.GuestIommu.EventsLogged);
        s.Add("VM B shadowed DTEs", (ulong)b.GuestIommu.ShadowHwpts.Count);
        s.Add("VM B completion interrupts", (ulong)b.CompletionInterrupts);
        s.Add("VM B event interrupts", (ulong)b.EventInterrupts);
        s.Add("VM B vEVENTQ records", (ulong)b.Veventq.Count);
        s.Add("host command buffer running", iommu.StatusRegister.CmdBufRun ? 1UL : 0);
        s.Add("host command buffer pending", iommu.CommandHead.Offset == iommu.CommandTail.Offset ? 0UL : 1);
        s.AddRam("VM B", b.Memory);
        return s;
    }

    private static void Drive(World w, GuestQueueInput input)
    {
        var a = w.A;
        var gi = a.GuestIommu;
        var control = AmdVm.GuestControl.WithEventLogEn(!input.Flag(EventLogOff));
        var baseGpa = a.CommandBufferGpa;
        var length = (ulong)AmdIommu.RingLengthLog2;
        if (input.Flag(BaseOutsideRam) || input.Flag(RingLength) || input.Flag(EventLogOff))
        {
            // the guest re-programs its idle command buffer: CmdBufEn = 0, base and length (head and tail reset), enabled again
            baseGpa = input.Flag(BaseOutsideRam) ? OutsideRam : a.CommandBufferGpa;
            length = input.Flag(RingLength) ? input.Option & 0xFUL : length;
            gi.WriteMmio(AmdMmio.Control, control.WithCmdBufEn(false).GetWord(0));
            gi.WriteMmio(AmdMmio.CommandBufferBase, CommandBufferBase.Create().WithBase(baseGpa).WithLength(length).GetWord(0));
            gi.WriteMmio(AmdMmio.Control, control.GetWord(0));
        }

        if (input.Flag(EventLogFull))
        {
            // the guest stopped reading its event log: head one entry past the tail
            var eventRing = 16UL << (int)EventLogBase.FromWords([gi.ReadMmio(AmdMmio.EventLogBase)]).Length;
            gi.WriteMmio(AmdMmio.EventHead, EventLogHead.Create().WithOffset((gi.EventTail.Offset + 16) % eventRing).GetWord(0));
        }

        var ring = 16UL << (int)length;
        var fillers = (ulong)(input.Option >> 4) * 16 % (ring / 16);
        if (fillers > 0 && !input.Flag(BaseOutsideRam))
        {
            var wait = CompletionWait.Create().WithS(true).WithStoreAddress(a.SemaphoreGpa).WithStoreData(0x5EED).ToBytes();
            for (ulong i = 0; i < fillers; i++)
            {
                a.Memory.TryWrite(baseGpa + ((gi.CommandHead.Offset + (i * 16)) % ring), wait);
            }

            Doorbell(w, AmdMmio.CommandTail, (gi.CommandHead.Offset + (fillers * 16)) % ring, false);
            FuzzInvariantException.Check(gi.StatusRegister.CmdBufRun && gi.CommandHead.Offset == gi.CommandTail.Offset, "amd-vi.GuestQueue: valid COMPLETION_WAITs were not consumed");
        }

        var start = gi.CommandHead.Offset;
        var processed = gi.CommandsProcessed;
        var n = input.EntryCount(16, (int)Math.Min(MaxEntries, (ring / 16) - 1));
        Span<byte> entry = stackalloc byte[16];
        for (var i = 0; i < n; i++)
        {
            input.CopyEntry(i, entry);
            a.Memory.TryWrite(baseGpa + ((start + ((ulong)i * 16)) % ring), entry);
        }

        var dma = input.Flag(Dma);
        var end = (start + ((ulong)n * 16)) % ring;
        switch (input.Doorbell)
        {
            case GuestQueueInput.DoorbellPerEntry:
                for (var i = 1; i <= n; i++)
                {
                    Doorbell(w, AmdMmio.CommandTail, (start + ((ulong)i * 16)) % ring, dma);
                }

                break;
            case GuestQueueInput.DoorbellRaw:
                Doorbell(w, AmdMmio.CommandTail, (ulong)input.Parameter * 16, dma);
                break;
            case GuestQueueInput.DoorbellHostile:
                Doorbell(w, AmdMmio.CommandHead, (ulong)input.Parameter * 16, dma);
                Doorbell(w, AmdMmio.CommandTail, end, dma);
                break;
            default:
                Doorbell(w, AmdMmio.CommandTail, end, dma);
                break;
        }

        var skipped = 0UL;
        for (var r = 0; r < MaxRestarts && input.Flag(Restart) && !gi.StatusRegister.CmdBufRun; r++)
        {
            // the guest restarts its stopped buffer past the bad command: CmdBufEn = 0, head + 16, CmdBufEn = 1
            gi.WriteMmio(AmdMmio.Control, control.WithCmdBufEn(false).GetWord(0));
            gi.WriteMmio(AmdMmio.CommandHead, CommandBufferHead.Create().WithOffset((gi.CommandHead.Offset + 16) % ring).GetWord(0));
            skipped++;
            Doorbell(w, AmdMmio.Control, control.GetWord(0), dma);
        }

        // the head counts modulo the ring: exact while fewer commands than the ring holds were processed or skipped
        var done = (ulong)(gi.CommandsProcessed - processed) + skipped;
        if (input.Doorbell != GuestQueueInput.DoorbellHostile && done < ring / 16)
        {
            var moved = ((gi.CommandHead.Offset + ring - start) % ring) / 16;
            FuzzInvariantException.Check(done == moved, $"amd-vi.GuestQueue: {gi.CommandsProcessed - processed} commands processed and {skipped} skipped, the head moved by {moved}");
        }
    }

    /// <summary>One MMIO write that can start the command buffer, and the checks of how it ended.</summary>
    private static void Doorbell(World w, ulong register, ulong value, bool dma)
    {
        var gi = w.A.GuestIommu;
        var wasRunning = gi.StatusRegister.CmdBufRun;
        var logged = gi.EventsLogged;
        var eventRing = 16UL << (int)EventLogBase.FromWords([gi.ReadMmio(AmdMmio.EventLogBase)]).Length;
        var eventBase = EventLogBase.FromWords([gi.ReadMmio(AmdMmio.EventLogBase)]).Base;
        var eventTail = gi.EventTail.Offset;
        gi.WriteMmio(register, register switch
        {
            AmdMmio.CommandTail => CommandBufferTail.Create().WithOffset(value & 0x7FFF0).GetWord(0),
            AmdMmio.CommandHead => CommandBufferHead.Create().WithOffset(value & 0x7FFF0).GetWord(0),
            _ => value,
        });
        // the command-error events this write logged
        var errors = 0;
        var lastIsError = false;
        Span<byte> e = stackalloc byte[16];
        for (var i = 0L; i < gi.EventsLogged - logged; i++)
        {
            w.A.Memory.TryRead(eventBase + ((eventTail + ((ulong)i * 16)) % eventRing), e);
            var kind = EventSet.Decode(e).Kind;
            lastIsError = kind is EventKind.IllegalCommandErrorEvent or EventKind.CommandHardwareErrorEvent;
            errors += lastIsError ? 1 : 0;
        }

        var running = gi.StatusRegister.CmdBufRun;
        if (running)
        {
            FuzzInvariantException.Check(gi.CommandHead.Offset == gi.CommandTail.Offset, $"amd-vi.GuestQueue: the command buffer runs but stopped at head 0x{gi.CommandHead.Offset:X}, tail 0x{gi.CommandTail.Offset:X}");
            FuzzInvariantException.Check(errors == 0, "amd-vi.GuestQueue: a command error was logged, but the command buffer still runs");
        }
        else if (wasRunning || register == AmdMmio.Control)
        {
            var logUnavailable = !gi.ControlRegister.EventLogEn || gi.StatusRegister.EventOverflow;
            FuzzInvariantException.Check(
                (errors == 1 && lastIsError) || (errors == 0 && logUnavailable),
                $"amd-vi.GuestQueue: the command buffer stopped with {errors} ILLEGAL_COMMAND_ERROR/COMMAND_HARDWARE_ERROR events logged (last event an error: {lastIsError}; event log {(logUnavailable ? "unavailable" : "available")})");
        }
        else
        {
            FuzzInvariantException.Check(gi.EventsLogged == logged, "amd-vi.GuestQueue: a stopped command buffer logged events on a doorbell");
        }

        if (dma)
        {
            // VM A keeps using its devices; its faults reach its event log through the vEVENTQ
            foreach (var id in new[] { DevA, DevA2 })
            {
                for (var i = 0; i < Pages; i++)
                {
                    w.A.Device(id).Translate(Iova + ((ulong)i << 12), null, Access.Read);
                }
            }

            w.A.ReadGuestEvents();
        }
    }

    /// <summary>A fresh host with VM A (attacker) and VM B (victim), both configured and their caches warm.</summary>
    private sealed record World(AmdScenario Host, AmdVm A, AmdVm B, IReadOnlySet<ulong> TagsB, ulong HostDomainB)
    {
        public static World Build()
        {
            var host = new AmdScenario();
            var a = host.CreateVm("vmA", RamBytes, new AmdDeviceSpec(0x0100, DevA), new AmdDeviceSpec(0x0108, DevA2, AtsCapable: false));
            var b = host.CreateVm("vmB", RamBytes, new AmdDeviceSpec(0x0300, DevB), new AmdDeviceSpec(0x0308, DevB2, AtsCapable: false));
            Configure(a, DomainA, DevA, DevA2);
            var tagsA = VictimState.Tags(host.Iommu.Iotlb);
            Configure(b, DomainB, DevB, DevB2);
            var tagsB = VictimState.Tags(host.Iommu.Iotlb);
            tagsB.ExceptWith(tagsA);
            return new World(host, a, b, tagsB, b.Driver.TryMapDomain(DomainB, out var hd) ? hd : throw new InvalidOperationException("VM B has no host DomainID"));
        }

        private static void Configure(AmdVm vm, ulong domain, params ushort[] devices)
        {
            var gcr3 = vm.NewGcr3Table();
            var table = vm.NewPageTable();
            gcr3.Set(0, table.RootGpa);
            var buffer = vm.DmaAllocator.Allocate(0x4000);
            table.Map(Iova, buffer, 0x4000);
            foreach (var id in devices)
            {
                if (!vm.ConfigureDevice(id, AmdVm.NestedDte(domain, gcr3)))
                {
                    throw new InvalidOperationException($"{vm.Name}: configuring DeviceID 0x{id:X4} did not complete");
                }
            }

            foreach (var id in devices)
            {
                for (var i = 0; i < Pages; i++)
                {
                    if (!vm.Device(id).Translate(Iova + ((ulong)i << 12), null, Access.Read).IsOk)
                    {
                        throw new InvalidOperationException($"{vm.Name}: DMA of DeviceID 0x{id:X4} failed during set-up");
                    }
                }
            }
        }
    }
}
