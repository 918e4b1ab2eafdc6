using System;
using System.Collections.Generic;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>The host Command queue: the driver issuing command lists and the SMMU executing them against its caches.</summary>
public sealed partial class SmmuV3Iommu : ISmmuV3CommandExecutor
{
    private readonly StreamIdCache<SteCacheEntry> _steCache = new(); // each cached STE carries the CDs cached from its CD table
    private readonly Dictionary<uint, Device> _devicesBySid = new();

    /// <summary>Commands the SMMU refused on its own queue (the driver skipped each with a CMD_SYNC, as <c>__arm_smmu_cmdq_skip_err</c> does).</summary>
    public List<SmmuV3HostCommandError> HostCommandErrors { get; } = new();

    /// <summary>Cached STEs (configuration cache).</summary>
    public int CachedSteCount => _steCache.Count;

    /// <summary>Cached CDs (configuration cache).</summary>
    public int CachedCdCount
    {
        get
        {
            var count = 0;
            foreach (var (_, entry) in _steCache.Entries)
            {
                count += entry.CdCount;
            }

            return count;
        }
    }

    /// <summary>
    /// The driver's <c>arm_smmu_cmdq_issue_cmdlist</c>: writes the 16-byte commands of <paramref name="commands"/> at PROD
    /// (draining the queue when it is full), appends a CMD_SYNC when <paramref name="sync"/>, rings the doorbell and waits
    /// for the SMMU to consume everything. A command the SMMU refuses (CERROR_ILL) is logged and replaced by a CMD_SYNC
    /// before the error is acknowledged, so the call itself succeeds, as in Linux.
    /// </summary>
    public IommufdResult IssueCommands(ReadOnlySpan<byte> commands, bool sync)
    {
        for (var i = 0; i + CommandSet.SizeBytes <= commands.Length; i += CommandSet.SizeBytes)
        {
            while (!CommandQueue.TryEnqueue(commands.Slice(i, CommandSet.SizeBytes)))
            {
                Drain();
            }
        }

        if (sync)
        {
            Span<byte> s = stackalloc byte[CommandSet.SizeBytes];
            CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigSev).WithMsh(Shareability.InnerShareable).WithMsiAttr(0xF).WriteTo(s);
            while (!CommandQueue.TryEnqueue(s))
            {
                Drain();
            }
        }

        Drain();
        return IommufdResult.Ok;
    }

    /// <summary>
    /// The SMMU executing one command of its own queue: unknown opcodes and malformed commands (reserved bits, violated
    /// rules) are CERROR_ILL; CFGI_* drop configuration-cache entries; TLBI_* drop IOTLB entries by VMID/ASID/range;
    /// ATC_INV reaches the device's ATC; CMD_SYNC completes (everything before it is already done) and writes its MSI.
    /// </summary>
    CommandError ISmmuV3CommandExecutor.Execute(in CommandSet command, ReadOnlySpan<byte> raw, ulong index)
    {
        if (!command.IsValid)
        {
            return CommandError.Ill;
        }

        var trace = CommandTrace;
        trace?.Invoke($"  [{Name} CMDQ {index}] {command}");
        switch (command.Kind)
        {
            case CommandKind.CfgiSte when command.TryGet(out CfgiSte v):
                DropConfig((uint)v.Sid, (uint)v.Sid);
                break;
            case CommandKind.CfgiSteRange when command.TryGet(out CfgiSteRange v):
                DropConfig(v.FirstSid, v.LastSid);
                break;
            case CommandKind.CfgiCd when command.TryGet(out CfgiCd v):
                _steCache.Find((uint)v.Sid)?.RemoveCd(v.Ssid);
                break;
            case CommandKind.CfgiCdAll when command.TryGet(out CfgiCdAll v):
                _steCache.Find((uint)v.Sid)?.ClearCds();
                break;
            case CommandKind.TlbiNhAll when command.TryGet(out TlbiNhAll v):
                foreach (var space in SpacesOf(v.Vmid, includeS2Only: false))
                {
                    Iotlb.InvalidateSpace(v.Vmid, space);
                }

                break;
            case CommandKind.TlbiNhAsid when command.TryGet(out TlbiNhAsid v):
                Iotlb.InvalidateSpace(v.Vmid, v.Asid);
                break;
            case CommandKind.TlbiNhVa when command.TryGet(out TlbiNhVa v):
                {
                    var span = v.CoveredRange;
                    Iotlb.InvalidateRange(v.Vmid, v.Asid, span.Address, span.Last);
                    break;
                }

            case CommandKind.TlbiNhVaa when command.TryGet(out TlbiNhVaa v):
                {
                    var span = v.CoveredRange;
                    foreach (var space in SpacesOf(v.Vmid, includeS2Only: false))
                    {
                        Iotlb.InvalidateRange(v.Vmid, space, span.Address, span.Last);
                    }

                    break;
                }

            case CommandKind.TlbiS12Vmall when command.TryGet(out TlbiS12Vmall v):
                Iotlb.InvalidateTag(v.Vmid);
                break;
            case CommandKind.TlbiS2Ipa when command.TryGet(out TlbiS2Ipa v):
                {
                    var span = v.CoveredRange;
                    Iotlb.InvalidateRange(v.Vmid, S2OnlySpace, span.Address, span.Last);
                    break;
                }

            case CommandKind.TlbiNsnhAll:
                Iotlb.InvalidateAll();
                break;
            case CommandKind.AtcInv when command.TryGet(out AtcInv v):
                if (_devicesBySid.TryGetValue((uint)v.Sid, out var dev))
                {
                    var span = v.CoveredRange;
                    if (v.Ssv)
                    {
                        dev.Atc.InvalidateRange(0, v.Ssid, span.Address, span.Last);
                    }
                    else
                    {
                        dev.Atc.InvalidateRangeAllSpaces(0, span.Address, span.Last);
                    }
                }

                break;
            case CommandKind.CmdSync when command.TryGet(out CmdSync v):
                if (v.Cs == CmdSyncCompletionSignal.SigIrq && v.MsiAddr != 0)
                {
                    Span<byte> data = stackalloc byte[4];
                    BitConverter.TryWriteBytes(data, (uint)v.MsiData);
                    Memory.TryWrite(v.MsiAddr, data);
                }

                break;
            default:
                // PREFETCH_*, TLBI_EL2_* (no EL2 entries are cached), PRI_RESP, RESUME, STALL_TERM: nothing to do.
                break;
        }

        return CommandError.None;
    }

    /// <summary>Remembers the device behind a StreamID (its ATC receives ATC_INV for that SID).</summary>
    private void RegisterDevice(Device device) => _devicesBySid[device.PhysicalId] = device;

    private void Drain()
    {
        var stuckAt = ulong.MaxValue;
        Span<byte> raw = stackalloc byte[CommandSet.SizeBytes];
        Span<byte> sync = stackalloc byte[CommandSet.SizeBytes];
        CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigSev).WriteTo(sync);
        while (true)
        {
            CommandQueue.Consume(this);
            if (!CommandQueue.ErrorActive)
            {
                return;
            }

            // arm_smmu_gerror_handler -> __arm_smmu_cmdq_skip_err: log, replace an illegal command by a CMD_SYNC, ack.
            var cons = CommandQueue.Cons;
            Memory.TryRead(CommandQueue.SlotAddress(cons.Rd), raw);
            HostCommandErrors.Add(new SmmuV3HostCommandError(SmmuV3QueueIndex.Index(cons.Rd, CommandQueue.Log2Size), cons.Err, CommandSet.Decode(raw).ToString()));
            CommandTrace?.Invoke($"  [{Name} CMDQ] CMDQ_CONS.ERR = {cons.Err}: {CommandSet.Decode(raw)} skipped");
            if (cons.Err != CommandError.Abt || stuckAt == cons.Rd)
            {
                CommandQueue.OverwriteAtCons(sync);
            }

            stuckAt = cons.Rd;
            CommandQueue.WriteGerrorn(Gerrorn.Create().WithCmdqErr(CommandQueue.Gerror.CmdqErr));
        }
    }

    private List<ulong> SpacesOf(ulong vmid, bool includeS2Only)
    {
        var spaces = new List<ulong>();
        foreach (var (key, _) in Iotlb.Entries)
        {
            if (key.Tag == vmid && (includeS2Only || key.Space != S2OnlySpace) && !spaces.Contains(key.Space))
            {
                spaces.Add(key.Space);
            }
        }

        return spaces;
    }

    /// <summary>CFGI_STE / CFGI_STE_RANGE / CFGI_ALL: the STEs of the range and every CD cached from their CD tables.</summary>
    private void DropConfig(ulong firstSid, ulong lastSid) => _steCache.RemoveRange(firstSid, lastSid);
}
