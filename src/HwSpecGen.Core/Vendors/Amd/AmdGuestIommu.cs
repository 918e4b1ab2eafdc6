using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// The VMM's emulated AMD IOMMU for one VM on one vIOMMU (what QEMU <c>hw/i386/amd_iommu.c</c> does, with the nested backend):
/// MMIO registers (generated register formats), the guest's command buffer and event log in guest memory, the guest device
/// table it shadows into nested HWPTs, and the forwarding of the guest's invalidations to the host through
/// <c>IOMMU_HWPT_INVALIDATE</c> on the vIOMMU.
/// </summary>
/// <remarks>
/// <para>
/// Writing the Command Buffer Tail register is the doorbell: the emulation consumes commands from the head, decoding each with
/// the generated <see cref="CommandSet"/> dispatcher. Runs of INVALIDATE_IOMMU_PAGES / INVALIDATE_IOTLB_PAGES go to the kernel
/// as one <c>IOMMU_HWPT_INVALIDATE</c> batch (<c>entry_num</c> tells how many were handled). COMPLETION_WAIT completes after
/// everything before it (each batch returns only after the host's own COMPLETION_WAIT): it stores its data at the guest-physical
/// store address (S) and sets Status.ComWaitInt (I), raising <see cref="Interrupt"/> when Control.ComWaitIntEn is set.
/// INVALIDATE_DEVTAB_ENTRY re-reads the guest DTE from the guest device table and shadows it: V=1, GV=1 → a new nested HWPT
/// (<c>IOMMU_HWPT_DATA_AMD_GUEST</c>) attached with replace; V=0 or GV=0 with Mode 0 and IR/IW set → the nest parent (guest
/// pass-through); a cleared DTE → blocked; anything the host refuses → ILLEGAL_DEV_TABLE_ENTRY in the guest event log and the
/// device blocked.
/// </para>
/// <para>
/// Errors, as QEMU and the hardware report them, each stopping the command buffer (Status.CmdBufRun cleared, the head left on
/// the offending command; the guest restarts it by writing Control with CmdBufEn): an unknown opcode or a reserved bit set →
/// ILLEGAL_COMMAND_ERROR (event code 0x5) whose Address is the command's GPA and whose Flags carry the opcode (QEMU
/// <c>amdvi_log_illegalcom_error</c>; the opcode is taken from bits 63:60, not QEMU's bits 127:124 quirk). A command that names
/// a DeviceID or DomainID this VM does not own is rejected the same way, ILLEGAL_COMMAND_ERROR: the architecture has no
/// "unknown ID" event, and from the guest's side a command whose ID the virtual IOMMU cannot resolve is a command it cannot
/// execute; reporting it (rather than dropping it as a no-op) makes a hostile or buggy guest visible and never lets it reach
/// another VM's IDs. A command buffer that cannot be read (base outside guest RAM), a head or tail pointer beyond the ring, or
/// a COMPLETION_WAIT store outside guest RAM → COMMAND_HARDWARE_ERROR (event code 0x6) with the GPA. Rejected commands change
/// nothing: every check happens before any effect.
/// </para>
/// <list type="table">
/// <listheader><term>Guest command</term><description>What the emulation (and the host) does</description></listheader>
/// <item><term>COMPLETION_WAIT (0x1)</term><description>apply: after everything before it; S → 64-bit store at the guest-physical address (outside RAM → COMMAND_HARDWARE_ERROR); I → Status.ComWaitInt and, with ComWaitIntEn, the completion interrupt</description></item>
/// <item><term>INVALIDATE_DEVTAB_ENTRY (0x2)</term><description>apply: vDeviceID → device (unknown → ILLEGAL_COMMAND_ERROR); re-read the guest DTE and shadow it (HWPT_ALLOC AMD_GUEST + replace, nest parent, or blocked); a DTE the host refuses → ILLEGAL_DEV_TABLE_ENTRY</description></item>
/// <item><term>INVALIDATE_IOMMU_PAGES (0x3)</term><description>rewrite + forward: gDomID → hDomID by the kernel (IOMMU_HWPT_INVALIDATE); unknown gDomID → EIO → ILLEGAL_COMMAND_ERROR</description></item>
/// <item><term>INVALIDATE_IOTLB_PAGES (0x4)</term><description>rewrite + forward: vDeviceID → DeviceID (and QueueId, MaxPend) by the kernel; unknown vDeviceID → ILLEGAL_COMMAND_ERROR</description></item>
/// <item><term>INVALIDATE_INTERRUPT_TABLE (0x5)</term><description>apply (no-op, interrupt remapping is not modelled) after checking the vDeviceID; unknown → ILLEGAL_COMMAND_ERROR</description></item>
/// <item><term>PREFETCH_IOMMU_PAGES (0x6)</term><description>apply (no-op, as QEMU)</description></item>
/// <item><term>COMPLETE_PPR_REQUEST (0x7)</term><description>apply (no-op, PPR is not emulated) after checking the vDeviceID; unknown → ILLEGAL_COMMAND_ERROR</description></item>
/// <item><term>INVALIDATE_IOMMU_ALL (0x8)</term><description>synthesize: the kernel flushes every host DomainID and ATS device of this vIOMMU only; every guest DTE is re-read</description></item>
/// <item><term>opcode 0x0, 0x9–0xF</term><description>reject: ILLEGAL_COMMAND_ERROR (Flags = opcode), buffer stopped</description></item>
/// <item><term>any reserved bit set</term><description>reject: ILLEGAL_COMMAND_ERROR, buffer stopped, nothing applied</description></item>
/// </list>
/// </remarks>
public sealed class AmdGuestIommu
{
    private const int MaxBatch = 16;
    private readonly Dictionary<ulong, uint> _shadowHwpts = new();
    private readonly List<string> _driverLines = new();
    private DeviceTableBase _deviceTable;
    private CommandBufferBase _commandBase;
    private EventLogBase _eventBase;
    private Control _control;
    private Status _status;
    private ulong _cmdHead;
    private ulong _cmdTail;
    private ulong _evtHead;
    private ulong _evtTail;

    /// <summary>Creates the emulation of the vIOMMU <paramref name="viommu"/> (an AMD vIOMMU of <paramref name="context"/>) for a VM whose RAM is <paramref name="memory"/>.</summary>
    public AmdGuestIommu(IommufdContext context, Viommu viommu, GuestMemory memory)
    {
        if (viommu.Driver is not AmdViommuDriver driver)
        {
            throw new ArgumentException("not an AMD vIOMMU", nameof(viommu));
        }

        Context = context;
        Viommu = viommu;
        Driver = driver;
        Memory = memory;

        // What the VM is told: the host's guest-translation capabilities; PPR is not emulated.
        Efr = driver.Iommu.Efr.WithPprSup(false).WithEphSup(false);
        _deviceTable = DeviceTableBase.Create();
        _commandBase = CommandBufferBase.Create();
        _eventBase = EventLogBase.Create();
        _control = Control.Create();
        _status = Status.Create();
    }

    /// <summary>The iommufd the VMM opened.</summary>
    public IommufdContext Context { get; }

    /// <summary>The vIOMMU object.</summary>
    public Viommu Viommu { get; }

    /// <summary>The AMD driver state of the vIOMMU.</summary>
    public AmdViommuDriver Driver { get; }

    /// <summary>The VM's RAM.</summary>
    public GuestMemory Memory { get; }

    /// <summary>The Extended Feature Register the VM reads.</summary>
    public ExtendedFeatures Efr { get; }

    /// <summary>The guest-visible Control register.</summary>
    public Control ControlRegister => _control;

    /// <summary>The guest-visible Status register.</summary>
    public Status StatusRegister => _status;

    /// <summary>Command Buffer Head Pointer (advanced by the emulation).</summary>
    public CommandBufferHead CommandHead => CommandBufferHead.Create().WithOffset(_cmdHead);

    /// <summary>Command Buffer Tail Pointer (written by the guest).</summary>
    public CommandBufferTail CommandTail => CommandBufferTail.Create().WithOffset(_cmdTail);

    /// <summary>Event Log Head Pointer (written by the guest).</summary>
    public EventLogHead EventHead => EventLogHead.Create().WithOffset(_evtHead);

    /// <summary>Event Log Tail Pointer (advanced by the emulation).</summary>
    public EventLogTail EventTail => EventLogTail.Create().WithOffset(_evtTail);

    /// <summary>Raised for the VM's interrupts (stands for the eventfd the VMM signals).</summary>
    public Action<AmdGuestInterrupt>? Interrupt { get; set; }

    /// <summary>Receives every processed command (decoded, translated, effect); null = no tracing and no allocation.</summary>
    public Action<AmdCommandTrace>? Trace { get; set; }

    /// <summary>Commands consumed (head advanced past them).</summary>
    public long CommandsProcessed { get; private set; }

    /// <summary>Events written into the guest's event log.</summary>
    public long EventsLogged { get; private set; }

    /// <summary>The guest DeviceID → nested HWPT id map of the DTEs this emulation shadows.</summary>
    public IReadOnlyDictionary<ulong, uint> ShadowHwpts => _shadowHwpts;

    /// <summary>A guest read of a 64-bit MMIO register.</summary>
    public ulong ReadMmio(ulong offset) => offset switch
    {
        AmdMmio.DeviceTableBase => _deviceTable.GetWord(0),
        AmdMmio.CommandBufferBase => _commandBase.GetWord(0),
        AmdMmio.EventLogBase => _eventBase.GetWord(0),
        AmdMmio.Control => _control.GetWord(0),
        AmdMmio.ExtendedFeatures => Efr.GetWord(0),
        AmdMmio.ExtendedFeatures2 => ExtendedFeatures2.Create().GetWord(0),
        AmdMmio.CommandHead => CommandHead.GetWord(0),
        AmdMmio.CommandTail => CommandTail.GetWord(0),
        AmdMmio.EventHead => EventHead.GetWord(0),
        AmdMmio.EventTail => EventTail.GetWord(0),
        AmdMmio.Status => _status.GetWord(0),
        _ => 0,
    };

    /// <summary>A guest write of a 64-bit MMIO register; a tail write is the doorbell.</summary>
    public void WriteMmio(ulong offset, ulong value)
    {
        switch (offset)
        {
            case AmdMmio.DeviceTableBase:
                _deviceTable = DeviceTableBase.FromWords([value]);
                break;
            case AmdMmio.CommandBufferBase:
                _commandBase = CommandBufferBase.FromWords([value]);
                _cmdHead = _cmdTail = 0; // amdvi_handle_cmdbase_write
                break;
            case AmdMmio.EventLogBase:
                _eventBase = EventLogBase.FromWords([value]);
                _evtHead = _evtTail = 0;
                break;
            case AmdMmio.Control:
                _control = Control.FromWords([value]);
                _status = _status
                    .WithCmdBufRun(_control.IommuEn && _control.CmdBufEn)
                    .WithEventLogRun(_control.IommuEn && _control.EventLogEn);
                Run();
                break;
            case AmdMmio.CommandHead:
                _cmdHead = CommandBufferHead.FromWords([value]).Offset;
                Run();
                break;
            case AmdMmio.CommandTail:
                _cmdTail = CommandBufferTail.FromWords([value]).Offset;
                Run();
                break;
            case AmdMmio.EventHead:
                _evtHead = EventLogHead.FromWords([value]).Offset;
                break;
            case AmdMmio.Status:
                var clear = Status.FromWords([value]); // interrupt and overflow bits are write-1-to-clear
                _status = _status
                    .WithEventOverflow(_status.EventOverflow && !clear.EventOverflow)
                    .WithEventLogInt(_status.EventLogInt && !clear.EventLogInt)
                    .WithComWaitInt(_status.ComWaitInt && !clear.ComWaitInt)
                    .WithPprOverflow(_status.PprOverflow && !clear.PprOverflow)
                    .WithPprInt(_status.PprInt && !clear.PprInt);
                break;
        }
    }

    /// <summary>
    /// Reads the vIOMMU's vEVENTQ (the VMM reading the event fd) and writes each record — already in guest terms: guest DeviceID,
    /// guest DomainID or PASID — into the guest event log. A lost-events mark sets Status.EventOverflow. Returns records read.
    /// </summary>
    public int PollEvents()
    {
        if (!Viommu.Veventqs.TryGetValue(AmdUapi.VeventqTypeAmdEvent, out var queue))
        {
            return 0;
        }

        var n = 0;
        while (queue.TryRead(out var record) && record is not null)
        {
            LogGuestEvent(record.Payload);
            if (record.LostEvents)
            {
                _status = _status.WithEventOverflow(true);
            }

            n++;
        }

        return n;
    }

    /// <summary>Writes an event into the guest's event log (guest memory), as the emulated hardware does; false when it was dropped (log disabled, full, or overflowed).</summary>
    public bool LogGuestEvent(ReadOnlySpan<byte> entry)
    {
        if (!_control.EventLogEn || _status.EventOverflow)
        {
            return false;
        }

        var ring = RingBytes(_eventBase.Length);
        if ((_evtTail + 16) % ring == _evtHead)
        {
            _status = _status.WithEventOverflow(true);
            RaiseEventInterrupt();
            return false;
        }

        if (!Memory.TryWrite(_eventBase.Base + _evtTail, entry[..16]))
        {
            return false;
        }

        _evtTail = (_evtTail + 16) % ring;
        EventsLogged++;
        _status = _status.WithEventLogInt(true);
        RaiseEventInterrupt();
        return true;
    }

    private static ulong RingBytes(ulong lengthLog2) => 16UL << (int)lengthLog2;

    private static bool IsForwarded(CommandKind kind) => kind is CommandKind.InvalidateIommuPages or CommandKind.InvalidateIotlbPages;

    private void RaiseEventInterrupt()
    {
        if (_control.EventIntEn)
        {
            Interrupt?.Invoke(AmdGuestInterrupt.EventLog);
        }
    }

    private void Run()
    {
        if (!_status.CmdBufRun)
        {
            return;
        }

        var ring = RingBytes(_commandBase.Length);
        if (_cmdTail >= ring || _cmdHead >= ring)
        {
            var bad = _cmdTail >= ring ? _cmdTail : _cmdHead;
            HardwareError(_commandBase.Base + bad, $"{(_cmdTail >= ring ? "tail" : "head")} 0x{bad:X} is beyond the {ring}-byte command buffer");
            return;
        }

        Span<byte> entry = stackalloc byte[CommandSet.SizeBytes];
        Span<byte> batch = stackalloc byte[MaxBatch * CommandSet.SizeBytes];
        while (_cmdHead != _cmdTail && _status.CmdBufRun)
        {
            var gpa = _commandBase.Base + _cmdHead;
            if (!Memory.TryRead(gpa, entry))
            {
                HardwareError(gpa, "the command is not in guest RAM");
                return;
            }

            var command = CommandSet.Decode(entry);
            if (!command.IsKnown)
            {
                Illegal(gpa, command, $"unknown opcode 0x{command.Opcode:X}");
                return;
            }

            if (!command.IsValid)
            {
                Illegal(gpa, command, "reserved bits set");
                return;
            }

            if (IsForwarded(command.Kind))
            {
                var n = Gather(batch, ring);
                var handled = ForwardBatch(batch, n, ring);
                if (handled < n)
                {
                    var failed = _commandBase.Base + _cmdHead;
                    Illegal(failed, CommandSet.Decode(batch.Slice(handled * CommandSet.SizeBytes, CommandSet.SizeBytes)), "an ID this VM does not own (the host refused it with EIO)");
                    return;
                }

                continue;
            }

            if (!Execute(command, gpa))
            {
                return;
            }

            Advance(ring);
        }
    }

    private int Gather(Span<byte> batch, ulong ring)
    {
        // The forwardable commands from the head up to the tail, the first non-forwardable or invalid one, or MaxBatch.
        var n = 0;
        var at = _cmdHead;
        while (n < MaxBatch && at != _cmdTail)
        {
            var slot = batch.Slice(n * CommandSet.SizeBytes, CommandSet.SizeBytes);
            if (!Memory.TryRead(_commandBase.Base + at, slot))
            {
                break;
            }

            var c = CommandSet.Decode(slot);
            if (!c.IsKnown || !IsForwarded(c.Kind) || !c.IsValid)
            {
                break;
            }

            n++;
            at = (at + CommandSet.SizeBytes) % ring;
        }

        return n;
    }

    private int ForwardBatch(ReadOnlySpan<byte> batch, int n, ulong ring)
    {
        var tracing = Trace is not null;
        if (tracing)
        {
            _driverLines.Clear();
            Driver.Trace = _driverLines.Add;
        }

        var done = (uint)n;
        var result = Context.HwptInvalidate(Viommu.Id, AmdUapi.ViommuInvalidateDataAmdCommand, CommandSet.SizeBytes, batch[..(n * CommandSet.SizeBytes)], ref done);
        if (tracing)
        {
            Driver.Trace = null;
        }

        for (var i = 0; i < (int)done; i++)
        {
            if (tracing)
            {
                var c = CommandSet.Decode(batch.Slice(i * CommandSet.SizeBytes, CommandSet.SizeBytes));
                Trace!(new AmdCommandTrace(
                    _commandBase.Base + _cmdHead,
                    c.ToString(),
                    i < _driverLines.Count ? _driverLines[i] : "-",
                    $"IOMMU_HWPT_INVALIDATE(vIOMMU {Viommu.Id}) entry {i + 1}/{n} → host command buffer, then host COMPLETION_WAIT",
                    AmdCommandOutcome.Forwarded));
            }

            Advance(ring);
        }

        return result.IsOk ? n : (int)done;
    }

    private bool Execute(CommandSet command, ulong gpa)
    {
        switch (command.Kind)
        {
            case CommandKind.CompletionWait when command.TryGet(out CompletionWait wait):
                {
                    // Everything before it has completed: forwarded batches return after the host's COMPLETION_WAIT.
                    if (wait.S && !Memory.TryWriteUInt64(wait.StoreAddress, wait.StoreData))
                    {
                        HardwareError(gpa, $"completion store address GPA 0x{wait.StoreAddress:X} is not guest RAM");
                        return false;
                    }

                    if (wait.I)
                    {
                        _status = _status.WithComWaitInt(true);
                        if (_control.ComWaitIntEn)
                        {
                            Interrupt?.Invoke(AmdGuestInterrupt.CompletionWait);
                        }
                    }

                    if (Trace is not null)
                    {
                        Traced(gpa, command, "-", $"{(wait.S ? $"stored 0x{wait.StoreData:X} at GPA 0x{wait.StoreAddress:X}" : "no store")}{(wait.I ? ", ComWaitInt" : string.Empty)}", AmdCommandOutcome.Applied);
                    }

                    return true;
                }

            case CommandKind.InvalidateDevtabEntry when command.TryGet(out InvalidateDevtabEntry inv):
                {
                    if (Driver.FindDevice(inv.DeviceId) is not { } device)
                    {
                        Illegal(gpa, command, $"guest DeviceID 0x{inv.DeviceId:X} is a DeviceID this VM does not own (no vDEVICE on this vIOMMU)");
                        return false;
                    }

                    var effect = Shadow(inv.DeviceId, device);
                    Traced(gpa, command, $"vDeviceID 0x{inv.DeviceId:X} → {device.Name} (DeviceID 0x{device.PhysicalId:X})", effect, AmdCommandOutcome.Applied);
                    return true;
                }

            case CommandKind.InvalidateInterruptTable when command.TryGet(out InvalidateInterruptTable irt):
                return AcceptDeviceCommand(gpa, command, irt.DeviceId, "interrupt remapping is not modelled: accepted");
            case CommandKind.CompletePprRequest when command.TryGet(out CompletePprRequest ppr):
                return AcceptDeviceCommand(gpa, command, ppr.DeviceId, "PPR is not emulated: accepted");
            case CommandKind.PrefetchIommuPages:
                Traced(gpa, command, "-", "a hint: no effect (QEMU amdvi_prefetch_pages)", AmdCommandOutcome.Applied);
                return true;
            case CommandKind.InvalidateIommuAll:
                {
                    Span<byte> raw = stackalloc byte[CommandSet.SizeBytes];
                    raw.Clear();
                    InvalidateIommuAll.Create().WriteTo(raw);
                    var done = 1u;
                    var r = Context.HwptInvalidate(Viommu.Id, AmdUapi.ViommuInvalidateDataAmdCommand, CommandSet.SizeBytes, raw, ref done);
                    if (!r.IsOk)
                    {
                        Illegal(gpa, command, $"the host refused it ({r})");
                        return false;
                    }

                    foreach (var vdev in new List<Vdevice>(Viommu.Vdevices.Values))
                    {
                        if (vdev.VirtId < AmdIommu.DeviceTableEntries)
                        {
                            Shadow(vdev.VirtId, vdev.Device); // a virt_id above 16 bits is no DeviceID the guest can name
                        }
                    }

                    Traced(gpa, command, $"scoped to vIOMMU {Viommu.Id}", "every host DomainID and ATS device of this VM flushed; every guest DTE re-read", AmdCommandOutcome.Synthesized);
                    return true;
                }

            default:
                Illegal(gpa, command, "not executable");
                return false;
        }
    }

    private bool AcceptDeviceCommand(ulong gpa, CommandSet command, ulong guestDeviceId, string effect)
    {
        if (Driver.FindDevice(guestDeviceId) is not { } device)
        {
            Illegal(gpa, command, $"guest DeviceID 0x{guestDeviceId:X} is a DeviceID this VM does not own (no vDEVICE on this vIOMMU)");
            return false;
        }

        Traced(gpa, command, $"vDeviceID 0x{guestDeviceId:X} → DeviceID 0x{device.PhysicalId:X}", effect, AmdCommandOutcome.Applied);
        return true;
    }

    private string Shadow(ulong guestDeviceId, Device device)
    {
        var offset = DeviceTableTable.Offset(guestDeviceId);
        var dteGpa = _deviceTable.Base + offset;
        Span<byte> evt = stackalloc byte[16];
        if (offset >= (_deviceTable.Size + 1) * PhysicalMemory.PageSize)
        {
            IllegalDevTableEntryEvent.Create().WithDeviceId(guestDeviceId).WithAddress(dteGpa).WriteTo(evt);
            LogGuestEvent(evt);
            Block(guestDeviceId, device);
            return "DTE beyond the guest device table: ILLEGAL_DEV_TABLE_ENTRY, device blocked";
        }

        var bytes = new byte[DeviceTableEntry.SizeBytes];
        if (!Memory.TryRead(dteGpa, bytes))
        {
            DevTabHardwareErrorEvent.Create().WithDeviceId(guestDeviceId).WithAddress(dteGpa).WriteTo(evt);
            LogGuestEvent(evt);
            Block(guestDeviceId, device);
            return "guest device table not in RAM: DEV_TAB_HARDWARE_ERROR, device blocked";
        }

        var dte = DeviceTableEntry.Read(bytes);
        if (!dte.IsValid)
        {
            return Refuse(guestDeviceId, device, dteGpa, "reserved bits or an illegal combination");
        }

        if (!dte.V)
        {
            return AttachTo(guestDeviceId, device, Driver.Parent.Id, null) ? "V=0: guest pass-through, stage 2 only" : Refuse(guestDeviceId, device, dteGpa, "attach to the nest parent failed");
        }

        if (dte.Gv)
        {
            var hwpt = Context.HwptAlloc(device.Id, Viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, bytes);
            if (!hwpt.IsOk)
            {
                return Refuse(guestDeviceId, device, dteGpa, $"HWPT_ALLOC(AMD_GUEST) -{hwpt.Error}");
            }

            return AttachTo(guestDeviceId, device, hwpt.Value.Id, hwpt.Value.Id)
                ? $"shadowed: nested HWPT {hwpt.Value.Id} (gDomID 0x{dte.DomainId:X}, GCR3 GPA 0x{dte.Gcr3Root:X}, GLX {dte.Glx}, {dte.GuestPagingMode})"
                : Refuse(guestDeviceId, device, dteGpa, "attach of the nested HWPT failed");
        }

        if (dte.Mode == DteMode.None && !dte.Ir && !dte.Iw)
        {
            Block(guestDeviceId, device);
            return "cleared DTE: device blocked";
        }

        if (dte.Mode == DteMode.None)
        {
            return AttachTo(guestDeviceId, device, Driver.Parent.Id, null) ? "GV=0, Mode 0: guest pass-through, stage 2 only" : Refuse(guestDeviceId, device, dteGpa, "attach to the nest parent failed");
        }

        return Refuse(guestDeviceId, device, dteGpa, "guest v1 (host-format) tables cannot be nested");
    }

    private string Refuse(ulong guestDeviceId, Device device, ulong dteGpa, string why)
    {
        Span<byte> evt = stackalloc byte[16];
        IllegalDevTableEntryEvent.Create().WithDeviceId(guestDeviceId).WithAddress(dteGpa).WriteTo(evt);
        LogGuestEvent(evt);
        Block(guestDeviceId, device);
        return $"{why}: ILLEGAL_DEV_TABLE_ENTRY, device blocked";
    }

    private bool AttachTo(ulong guestDeviceId, Device device, uint ptId, uint? createdHwpt)
    {
        var r = device.Attached is null ? Context.Attach(device.Id, null, ptId) : Context.Replace(device.Id, null, ptId);
        if (!r.IsOk)
        {
            if (createdHwpt is { } id)
            {
                Context.Destroy(id);
            }

            return false;
        }

        DropShadow(guestDeviceId);
        if (createdHwpt is { } made)
        {
            _shadowHwpts[guestDeviceId] = made;
        }

        return true;
    }

    private void Block(ulong guestDeviceId, Device device)
    {
        if (device.Attached is not null)
        {
            Context.Detach(device.Id, null);
        }

        DropShadow(guestDeviceId);
    }

    private void DropShadow(ulong guestDeviceId)
    {
        if (_shadowHwpts.Remove(guestDeviceId, out var old))
        {
            Context.Destroy(old);
        }
    }

    private void Advance(ulong ring)
    {
        _cmdHead = (_cmdHead + CommandSet.SizeBytes) % ring;
        CommandsProcessed++;
    }

    private void Illegal(ulong gpa, CommandSet command, string why)
    {
        Span<byte> evt = stackalloc byte[16];
        IllegalCommandErrorEvent.Create().WithFlags(command.Opcode).WithAddress(gpa).WriteTo(evt);
        _status = _status.WithCmdBufRun(false);
        LogGuestEvent(evt);
        Traced(gpa, command, "-", $"ILLEGAL_COMMAND_ERROR ({why}); command buffer stopped at head 0x{_cmdHead:X}", AmdCommandOutcome.Rejected);
    }

    private void HardwareError(ulong gpa, string why)
    {
        Span<byte> evt = stackalloc byte[16];
        CommandHardwareErrorEvent.Create().WithAddress(gpa).WriteTo(evt);
        _status = _status.WithCmdBufRun(false);
        LogGuestEvent(evt);
        Trace?.Invoke(new AmdCommandTrace(gpa, "-", "-", $"COMMAND_HARDWARE_ERROR ({why}); command buffer stopped", AmdCommandOutcome.Rejected));
    }

    private void Traced(ulong gpa, CommandSet command, string translated, string effect, AmdCommandOutcome outcome) =>
        Trace?.Invoke(new AmdCommandTrace(gpa, command.ToString(), translated, effect, outcome));
}
