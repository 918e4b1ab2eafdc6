using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>The host command buffer and event log: rings in host memory that the hardware consumes and produces.</summary>
public sealed partial class AmdIommu
{
    private const int MaxKeptHostEvents = 4096;
    private readonly List<byte[]> _hostEvents = new();
    private ulong _semaphoreValue;
    private ulong _cmdHead;
    private ulong _cmdTail;
    private ulong _evtHead;
    private ulong _evtTail;

    /// <summary>Command Buffer Head Pointer register: the next command the hardware reads.</summary>
    public CommandBufferHead CommandHead => CommandBufferHead.Create().WithOffset(_cmdHead);

    /// <summary>Command Buffer Tail Pointer register: where the driver writes the next command.</summary>
    public CommandBufferTail CommandTail => CommandBufferTail.Create().WithOffset(_cmdTail);

    /// <summary>Event Log Tail Pointer register: where the hardware writes the next event.</summary>
    public EventLogTail EventTail => EventLogTail.Create().WithOffset(_evtTail);

    /// <summary>Commands the hardware has executed from the host command buffer.</summary>
    public long CommandsExecuted { get; private set; }

    /// <summary>Receives a line per host command executed (decoded command and its effect on the caches), for traces.</summary>
    public Action<string>? CommandTrace { get; set; }

    /// <summary>
    /// Every event the hardware wrote into the host event log (16 bytes each, oldest first; the most recent 4096), as the
    /// driver's event handler (<c>iommu_poll_events</c>) copied them out before clearing the slot.
    /// </summary>
    public IReadOnlyList<byte[]> HostEvents => _hostEvents;

    /// <summary>
    /// The driver writes one 16-byte command at the tail of the host command buffer and moves the tail; the hardware then
    /// consumes everything up to the tail. False when the command buffer is stopped or the hardware found the command illegal
    /// (ILLEGAL_COMMAND_ERROR in the host event log, CmdBufRun cleared).
    /// </summary>
    public bool Submit(ReadOnlySpan<byte> command)
    {
        if (!StatusRegister.CmdBufRun || command.Length < CommandSet.SizeBytes)
        {
            return false;
        }

        var ring = 16UL << (int)CommandBufferBaseRegister.Length;
        if (!Memory.TryWrite(CommandBufferBaseRegister.Base + _cmdTail, command[..CommandSet.SizeBytes]))
        {
            return false;
        }

        _cmdTail = (_cmdTail + CommandSet.SizeBytes) % ring;
        return ConsumeCommands();
    }

    /// <summary>
    /// What the hardware does with one decoded, valid command: the IOTLB, the DTE cache and the devices' ATCs.
    /// INVALIDATE_IOMMU_PAGES with GN=1 drops the (DomainID, PASID) entries in the covered range; with GN=0 it drops the
    /// DomainID's host (non-PASID) entries in the range and every guest (PASID-tagged) entry of the DomainID, because a
    /// combined nested GVA→HPA entry does not record the GPA a stage-2 range names. INVALIDATE_IOTLB_PAGES reaches the
    /// device's ATC: GN=1 that PASID's entries in range, GN=0 the range in every PASID (a PCIe invalidation without PASID).
    /// </summary>
    /// <returns>Number of cached translations dropped.</returns>
    public int Execute(in CommandSet command)
    {
        var dropped = 0;
        switch (command.Kind)
        {
            case CommandKind.CompletionWait when command.TryGet(out CompletionWait wait):
                if (wait.S)
                {
                    Memory.TryWriteUInt64(wait.StoreAddress, wait.StoreData);
                }

                if (wait.I)
                {
                    StatusRegister = StatusRegister.WithComWaitInt(true);
                }

                break;
            case CommandKind.InvalidateDevtabEntry when command.TryGet(out InvalidateDevtabEntry inv):
                dropped = _dteCache.Remove((uint)inv.DeviceId) ? 1 : 0;
                break;
            case CommandKind.InvalidateIommuPages when command.TryGet(out InvalidateIommuPages pages):
                dropped = InvalidatePages(pages);
                break;
            case CommandKind.InvalidateIotlbPages when command.TryGet(out InvalidateIotlbPages iotlb):
                if (_devices.TryGetValue((uint)iotlb.DeviceId, out var device) && !device.Unbound)
                {
                    var range = iotlb.CoveredRange;
                    dropped = iotlb.Gn
                        ? device.Atc.InvalidateRange(0, iotlb.Pasid, range.Address, range.Last)
                        : device.Atc.InvalidateRangeAllSpaces(0, range.Address, range.Last);
                }

                break;
            case CommandKind.InvalidateIommuAll:
                dropped = Iotlb.InvalidateAll() + _dteCache.Count;
                _dteCache.Clear();
                break;
            default:
                // INVALIDATE_INTERRUPT_TABLE, PREFETCH_IOMMU_PAGES, COMPLETE_PPR_REQUEST: interrupt remapping, prefetch and PRI
                // responses are not modelled; the hardware accepts them.
                break;
        }

        CommandsExecuted++;
        CommandTrace?.Invoke($"{Name}: host command {command} → dropped {dropped}");
        return dropped;
    }

    /// <summary>The hardware writes an event into the host event log; the driver's handler copies it out and frees the slot.</summary>
    public void LogHostEvent(ReadOnlySpan<byte> entry)
    {
        if (!ControlRegister.EventLogEn)
        {
            return;
        }

        var ring = 16UL << (int)EventLogBaseRegister.Length;
        if ((_evtTail + 16) % ring == _evtHead)
        {
            StatusRegister = StatusRegister.WithEventOverflow(true);
            return;
        }

        Memory.TryWrite(EventLogBaseRegister.Base + _evtTail, entry[..16]);
        _evtTail = (_evtTail + 16) % ring;
        StatusRegister = StatusRegister.WithEventLogInt(true);
        PollEventLog(ring);
    }

    private void PollEventLog(ulong ring)
    {
        // iommu_poll_events: read each entry from head to tail, clear it, advance the head.
        Span<byte> zero = stackalloc byte[16];
        while (_evtHead != _evtTail)
        {
            var at = EventLogBaseRegister.Base + _evtHead;
            var copy = new byte[16];
            Memory.TryRead(at, copy);
            Memory.TryWrite(at, zero);
            if (_hostEvents.Count == MaxKeptHostEvents)
            {
                _hostEvents.RemoveAt(0);
            }

            _hostEvents.Add(copy);
            _evtHead = (_evtHead + 16) % ring;
        }

        StatusRegister = StatusRegister.WithEventLogInt(false);
    }

    private bool ConsumeCommands()
    {
        var ring = 16UL << (int)CommandBufferBaseRegister.Length;
        Span<byte> buffer = stackalloc byte[CommandSet.SizeBytes];
        Span<byte> evt = stackalloc byte[16];
        while (_cmdHead != _cmdTail)
        {
            var at = CommandBufferBaseRegister.Base + _cmdHead;
            if (!Memory.TryRead(at, buffer))
            {
                CommandHardwareErrorEvent.Create().WithAddress(at).WriteTo(evt);
                StopCommandBuffer(evt);
                return false;
            }

            var command = CommandSet.Decode(buffer);
            if (!command.IsValid)
            {
                IllegalCommandErrorEvent.Create().WithFlags(command.Opcode).WithAddress(at).WriteTo(evt);
                StopCommandBuffer(evt);
                return false;
            }

            Execute(command);
            _cmdHead = (_cmdHead + CommandSet.SizeBytes) % ring;
        }

        return true;
    }

    private void StopCommandBuffer(ReadOnlySpan<byte> evt)
    {
        StatusRegister = StatusRegister.WithCmdBufRun(false);
        LogHostEvent(evt);
    }

    private int InvalidatePages(InvalidateIommuPages pages)
    {
        var range = pages.CoveredRange;
        var tag = pages.DomainId;
        if (pages.Gn)
        {
            return range.IsWholeAddressSpace ? Iotlb.InvalidateSpace(tag, pages.Pasid) : Iotlb.InvalidateRange(tag, pages.Pasid, range.Address, range.Last);
        }

        var dropped = Iotlb.InvalidateRange(tag, Device.NoPasid, range.Address, range.Last);
        List<ulong>? spaces = null;
        foreach (var entry in Iotlb.Entries)
        {
            if (entry.Key.Tag == tag && entry.Key.Space != Device.NoPasid && (spaces is null || !spaces.Contains(entry.Key.Space)))
            {
                (spaces ??= new List<ulong>()).Add(entry.Key.Space);
            }
        }

        if (spaces is not null)
        {
            foreach (var space in spaces)
            {
                dropped += Iotlb.InvalidateSpace(tag, space);
            }
        }

        return dropped;
    }
}
