using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>Fault reporting: fault-recording registers in host memory, stage-1 faults kept for the VMM, page requests.</summary>
public sealed partial class IntelVtdIommu
{
    private const int PageRequestBytes = PageRequestDescriptor.SizeBytes;
    private readonly Dictionary<Device, Queue<FaultRecord>> _guestFaults = new();
    private ulong _prqBase;
    private int _prqHead;
    private int _prqTail;
    private uint _nextGroup;

    /// <summary>Host physical address of the page-request queue (32-byte <see cref="PageRequestDescriptor"/> entries).</summary>
    public ulong PageRequestQueueBase => _prqBase;

    /// <summary>Page requests dropped because the queue was full (PRS.PRO).</summary>
    public int PageRequestOverflows { get; private set; }

    /// <summary>The fault reason of a fault this unit reported.</summary>
    public static FaultReason ReasonOf(TranslationFault fault) => Enum.Parse<FaultReason>(fault.Code);

    /// <summary>
    /// What the host driver's fault handler (<c>dmar_fault</c>) does: reads every pending fault-recording register from
    /// host memory, clears its F bit, and returns the records.
    /// </summary>
    public IReadOnlyList<FaultRecord> DrainFaultRecords()
    {
        var list = new List<FaultRecord>();
        for (var i = 0; i < Faults.Count; i++)
        {
            var r = Faults.Record(i);
            if (r.F)
            {
                list.Add(r);
                Faults.Clear(i);
            }
        }

        Faults.WriteFsts((uint)FaultStatusRegister.Create().WithPfo(true).GetWord(0));
        return list;
    }

    /// <summary>
    /// Takes the stage-1 (guest-attributed) fault records of <paramref name="device"/> that are waiting for the VMM to
    /// inject into its emulated IOMMU (the host SID and PASID, as the hardware logged them).
    /// </summary>
    public int TakeStage1Faults(Device device, List<FaultRecord> into)
    {
        if (!_guestFaults.TryGetValue(device, out var q))
        {
            return 0;
        }

        var n = q.Count;
        while (q.TryDequeue(out var r))
        {
            into.Add(r);
        }

        return n;
    }

    private FaultRecord ReadFaultRecord(int index)
    {
        IntelFormatIo.TryRead(Memory, FaultRecordBase + ((ulong)index * FaultRecord.SizeBytes), out FaultRecord r);
        return r;
    }

    private void WriteFaultRecord(int index, FaultRecord record) =>
        IntelFormatIo.TryWrite(Memory, FaultRecordBase + ((ulong)index * FaultRecord.SizeBytes), record);

    private void InitializePageRequestQueue() => _prqBase = Allocator.Allocate(PhysicalMemory.PageSize);

    private TranslationResult Fail(Device device, uint? pasid, uint effectivePasid, ulong iova, Access access, in WalkFault f, bool fpd)
    {
        var write = (access & Access.Write) != 0;
        var record = FaultRecord.Create()
            .WithFi(iova & ~0xFFFUL)
            .WithSid(device.PhysicalId)
            .WithPp(pasid is not null)
            .WithPv(pasid ?? 0)
            .WithFr(f.Reason)
            .WithT(!write)
            .WithPriv((access & Access.Privileged) != 0)
            .WithExe((access & Access.Execute) != 0);

        var recoverable = f.Stage == TranslationStage.Stage1 && f.Kind is FaultKind.NotPresent or FaultKind.Permission;
        if (recoverable && FindAttachment(device, effectivePasid) is { FaultQueue: not null })
        {
            // the device's page request (PRI) lands in the page-request queue; the driver hands it to the FAULT object
            WritePageRequest(device, pasid, iova, access);
        }
        else
        {
            // root-entry and context access faults are not qualified: FPD cannot suppress them
            var qualified = f.Reason is not (FaultReason.SmRootEntryAccessError or FaultReason.SmRootEntryNotPresent or FaultReason.SmRootEntryReserved or FaultReason.SmContextEntryAccessError);
            if (!(fpd && qualified))
            {
                Faults.Log(record);
            }

            if (f.Stage == TranslationStage.Stage1)
            {
                if (!_guestFaults.TryGetValue(device, out var q))
                {
                    _guestFaults[device] = q = new Queue<FaultRecord>();
                }

                q.Enqueue(record.WithF(true));
            }
        }

        var detail = $"{f.Reason} (0x{(ulong)f.Reason:X2}) at level {f.Level}, address 0x{f.Address:X}";
        return TranslationResult.Failed(new TranslationFault(f.Stage, f.Kind, iova, pasid, f.Address, f.Level, f.Reason.ToString(), detail));
    }

    private Hwpt? FindAttachment(Device device, uint hostPasid) =>
        _attachments.TryGetValue((device.PhysicalId, hostPasid), out var h) ? h : null;

    private void WritePageRequest(Device device, uint? pasid, ulong iova, Access access)
    {
        var next = (_prqTail + PageRequestBytes) % PhysicalMemory.PageSize;
        if (next == _prqHead)
        {
            PageRequestOverflows++;
            return;
        }

        var group = _nextGroup++ & 0x1FF;
        var desc = PageRequestDescriptor.Create()
            .WithPp(pasid is not null)
            .WithRid(device.PhysicalId)
            .WithPasid(pasid ?? 0)
            .WithRdr((access & Access.Read) != 0)
            .WithWrr((access & Access.Write) != 0)
            .WithPmr((access & Access.Privileged) != 0)
            .WithExr((access & Access.Execute) != 0)
            .WithLpig(true)
            .WithPrgi(group)
            .WithAddr(iova & ~0xFFFUL);
        IntelFormatIo.TryWrite(Memory, _prqBase + (ulong)_prqTail, desc);
        _prqTail = next;
        DrainPageRequests();
    }

    /// <summary>The driver's page-request handler (<c>prq_event_thread</c>): decodes each descriptor and reports it to the FAULT queue.</summary>
    private void DrainPageRequests()
    {
        while (_prqHead != _prqTail)
        {
            IntelFormatIo.TryRead(Memory, _prqBase + (ulong)_prqHead, out PageRequestDescriptor d);
            _prqHead = (_prqHead + PageRequestBytes) % PhysicalMemory.PageSize;
            if (!_deviceByRid.TryGetValue((uint)d.Rid, out var device))
            {
                continue;
            }

            var hostPasid = d.Pp ? (uint)d.Pasid : RidPasid;
            if (FindAttachment(device, hostPasid) is not { FaultQueue: { } queue })
            {
                continue;
            }

            var perms = (d.Rdr ? Access.Read : Access.None) | (d.Wrr ? Access.Write : Access.None);
            queue.Report(device.Id, d.Pp ? (uint)d.Pasid : null, (uint)d.Prgi, d.Addr, perms);
        }
    }
}
