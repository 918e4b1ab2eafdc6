using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// The SMMUv3 a VMM emulates for one VM on top of a vIOMMU (QEMU <c>hw/arm/smmuv3.c</c> with <c>smmuv3-accel.c</c>): its
/// registers (the generated register structs), the guest's stream table, Command queue and Event queue in guest memory,
/// and the doorbell. A CMDQ_PROD write makes it consume the guest's commands through the generated command-set
/// dispatcher: each is checked (known opcode, no reserved bit, no violated rule, an opcode this vSMMU accepts), then
/// either forwarded to the kernel through <c>IOMMU_HWPT_INVALIDATE</c> on the vIOMMU (TLBI_NH_*, TLBI_NSNH_ALL,
/// ATC_INV, CFGI_CD, CFGI_CD_ALL: the kernel forces the VMID and translates vSID → pSID), handled by the VMM
/// (CFGI_STE / CFGI_STE_RANGE / CFGI_ALL re-read the guest STE and allocate/replace the nested HWPT; CMD_SYNC signals
/// completion), or refused: CMDQ_CONS.ERR = CERROR_ILL, GERROR.CMDQ_ERR toggled, the queue stopped on the command until
/// the guest acknowledges through GERRORN. Nothing of a refused command is applied, and every command reaches the host
/// only through the vIOMMU, so it can never name another VM's VMID or StreamID. Forwarded commands are gathered into one
/// <c>IOMMU_HWPT_INVALIDATE</c> array per run of them (see <see cref="ForwardBatchSize"/>).
/// </summary>
public sealed partial class SmmuV3VirtualSmmu : ISmmuV3CommandExecutor
{
    private readonly IommufdContext _fd;
    private readonly GuestMemory _guest;
    private readonly Dictionary<ulong, uint> _owned = new();
    private readonly List<SmmuV3CommandTrace> _log = new();
    private uint _abortHwpt;
    private uint _bypassHwpt;
    private Gerror _gerrorOther;
    private string _kernelConversion = string.Empty;

    /// <summary>Creates the vSMMU of <paramref name="viommu"/> for a VM whose RAM is <paramref name="guest"/>; its ID registers follow the host's (stage 1 only, as QEMU's accelerated SMMUv3 presents).</summary>
    public SmmuV3VirtualSmmu(IommufdContext fd, Viommu viommu, GuestMemory guest)
    {
        _fd = fd;
        _guest = guest;
        Viommu = viommu;
        Driver = (SmmuV3Viommu)viommu.Driver;
        var host = Driver.Smmu;
        Idr0 = Idr0.Create().WithS1p(true).WithTtf(TableFormat.Aarch64).WithCohacc(true).WithAts(true).WithAsid16(true).WithMsi(true).WithSev(true)
            .WithCd2l(true).WithTtendian(TranslationTableEndianness.LittleEndian).WithStallModelSupport(StallModel.TerminateOnly).WithTermModel(true).WithStLevel(1);
        Idr1 = Idr1.Create().WithSidSize(16).WithSsidSize(host.Idr1.SsidSize).WithCmdqS(19).WithEventqS(19);
        Idr3 = Idr3.Create().WithRil(host.Idr3.Ril);
        Idr5 = Idr5.Create().WithOas(AddressSize.Bits48).WithGran4K(true);
        Cmdq = new SmmuV3CommandQueue(new SmmuV3GuestMemory(guest), CmdqBase.Create(), (int)Idr1.CmdqS) { Enabled = false };
    }

    /// <summary>The vIOMMU object.</summary>
    public Viommu Viommu { get; }

    /// <summary>The kernel driver's vIOMMU state (VMID).</summary>
    public SmmuV3Viommu Driver { get; }

    /// <summary>SMMU_IDR0 as the guest reads it.</summary>
    public Idr0 Idr0 { get; }

    /// <summary>SMMU_IDR1 as the guest reads it.</summary>
    public Idr1 Idr1 { get; }

    /// <summary>SMMU_IDR3 as the guest reads it.</summary>
    public Idr3 Idr3 { get; }

    /// <summary>SMMU_IDR5 as the guest reads it.</summary>
    public Idr5 Idr5 { get; }

    /// <summary>SMMU_CR0.</summary>
    public Cr0 Cr0 { get; private set; }

    /// <summary>SMMU_STRTAB_BASE (a GPA).</summary>
    public StrtabBase StrtabBase { get; private set; }

    /// <summary>SMMU_STRTAB_BASE_CFG.</summary>
    public StrtabBaseCfg StrtabBaseCfg { get; private set; }

    /// <summary>The guest's Command queue (CMDQ_BASE is a GPA) with CMDQ_PROD/CONS.</summary>
    public SmmuV3CommandQueue Cmdq { get; }

    /// <summary>SMMU_GERROR: CMDQ_ERR from the Command queue, the other bits from this vSMMU.</summary>
    public Gerror Gerror => _gerrorOther.WithCmdqErr(Cmdq.Gerror.CmdqErr);

    /// <summary>SMMU_GERRORN as last written.</summary>
    public Gerrorn Gerrorn => Cmdq.Gerrorn;

    /// <summary>SMMU_EVENTQ_BASE (a GPA).</summary>
    public EventqBase EventqBase { get; private set; }

    /// <summary>SMMU_EVENTQ_PROD (written by the vSMMU).</summary>
    public EventqProd EventqProd { get; private set; }

    /// <summary>SMMU_EVENTQ_CONS (written by the guest).</summary>
    public EventqCons EventqCons { get; private set; }

    /// <summary>Raised for each CMD_SYNC with CS = SIG_IRQ or SIG_SEV (stands for the completion interrupt eventfd).</summary>
    public Action<SmmuV3SyncSignal>? SyncCompleted { get; set; }

    /// <summary>Raised when a GERROR bit becomes active (the GERROR interrupt).</summary>
    public Action<Gerror>? GlobalError { get; set; }

    /// <summary>Raised when event records were written to the guest's Event queue.</summary>
    public Action? EventInterrupt { get; set; }

    /// <summary>Receives every processed command as it completes or is refused.</summary>
    public Action<SmmuV3CommandTrace>? CommandProcessed { get; set; }

    /// <summary>Keep a <see cref="SmmuV3CommandTrace"/> per processed command.</summary>
    public bool Tracing { get; set; }

    /// <summary>The processed commands (when <see cref="Tracing"/>).</summary>
    public IReadOnlyList<SmmuV3CommandTrace> Log => _log;

    /// <summary>Commands completed since creation.</summary>
    public long CompletedCommands { get; private set; }

    /// <summary>The iommufd HWPT each vSID's device is attached to by this vSMMU.</summary>
    public IReadOnlyDictionary<ulong, uint> InstalledHwpts => _owned;

    /// <summary>Guest write of SMMU_CR0: enables/disables the queues (and acknowledges in CR0ACK at once).</summary>
    public void WriteCr0(Cr0 value)
    {
        Cr0 = value;
        Cmdq.Enabled = value.CmdqEn;
        Process();
    }

    /// <summary>Guest write of SMMU_STRTAB_BASE.</summary>
    public void WriteStrtabBase(StrtabBase value) => StrtabBase = value;

    /// <summary>Guest write of SMMU_STRTAB_BASE_CFG.</summary>
    public void WriteStrtabBaseCfg(StrtabBaseCfg value) => StrtabBaseCfg = value;

    /// <summary>Guest write of SMMU_CMDQ_BASE.</summary>
    public void WriteCmdqBase(CmdqBase value) => Cmdq.Base = value;

    /// <summary>Guest write of SMMU_CMDQ_CONS (initialisation while CMDQEN = 0).</summary>
    public void WriteCmdqCons(CmdqCons value)
    {
        if (!Cmdq.Enabled)
        {
            Cmdq.WriteCons(value);
        }
    }

    /// <summary>The doorbell: guest write of SMMU_CMDQ_PROD; the vSMMU consumes up to the new PROD (or to the first error).</summary>
    public void WriteCmdqProd(CmdqProd value)
    {
        Cmdq.WriteProd(value);
        Process();
    }

    /// <summary>Guest write of SMMU_GERRORN: acknowledging CMDQ_ERR lets consumption resume from CONS (no PROD write needed).</summary>
    public void WriteGerrorn(Gerrorn value)
    {
        Cmdq.WriteGerrorn(value);
        Process();
    }

    /// <summary>Guest write of SMMU_EVENTQ_BASE.</summary>
    public void WriteEventqBase(EventqBase value) => EventqBase = value;

    /// <summary>Guest write of SMMU_EVENTQ_CONS.</summary>
    public void WriteEventqCons(EventqCons value) => EventqCons = value;

    /// <summary>
    /// QEMU's vEVENTQ handler: reads every record the kernel queued on the vIOMMU's ARM_SMMUV3 vEVENTQ (StreamID already
    /// the vSID) and writes it into the guest's Event queue at EVENTQ_PROD (a full queue loses it and toggles OVFLG),
    /// then raises the event interrupt. Returns the number of records delivered.
    /// </summary>
    public int DeliverEvents()
    {
        if (!Viommu.Veventqs.TryGetValue(ArmSmmuV3Uapi.VeventqType, out var q))
        {
            return 0;
        }

        var delivered = 0;
        var log2 = (int)Math.Min(EventqBase.Log2Size, Idr1.EventqS);
        while (q.TryRead(out var record))
        {
            if (!Cr0.EventqEn)
            {
                continue;
            }

            if (SmmuV3QueueIndex.IsFull(EventqProd.Wr, EventqCons.Rd, log2))
            {
                if (EventqProd.OvFlg == EventqCons.OvAckFlg)
                {
                    EventqProd = EventqProd.WithOvFlg(!EventqProd.OvFlg);
                }

                continue;
            }

            var slot = EventqBase.Addr + (SmmuV3QueueIndex.Index(EventqProd.Wr, log2) * EventSet.SizeBytes);
            if (!_guest.TryWrite(slot, record!.Payload))
            {
                RaiseGlobal(_gerrorOther.WithEventqAbtErr(!Cmdq.Gerrorn.EventqAbtErr));
                continue;
            }

            EventqProd = EventqProd.WithWr(SmmuV3QueueIndex.Increment(EventqProd.Wr, log2));
            delivered++;
        }

        if (delivered > 0)
        {
            EventInterrupt?.Invoke();
        }

        return delivered;
    }

    /// <summary>
    /// Installs what the guest STE of <paramref name="vsid"/> asks for (QEMU <c>smmuv3_accel_install_ste</c>): the STE is
    /// read from the guest's stream table in guest memory, masked to the fields the kernel takes (dword 0: V, Config,
    /// S1Fmt, S1ContextPtr, S1CDMax; dword 1: S1DSS, S1CIR, S1COR, S1CSH, S1STALLD, EATS), and the device is moved to the
    /// shared abort or bypass nested HWPT or to a new nested HWPT allocated from the vIOMMU with those words; the HWPT it
    /// replaces is destroyed. A guest STE the kernel refuses (EIO) gets the abort HWPT. Returns what was installed.
    /// </summary>
    public string InstallSte(ulong vsid)
    {
        if (!Viommu.Vdevices.TryGetValue(vsid, out var vdev))
        {
            return $"vSID 0x{vsid:X} has no vDEVICE: nothing to install";
        }

        var dev = vdev.Device;
        if (!TryReadGuestSte(vsid, out var g))
        {
            return Move(dev, vsid, SharedHwpt(dev, abort: true), "guest STE unreadable: abort HWPT");
        }

        var vste = Ste.Create().WithV(g.V).WithConfig(g.Config).WithS1Fmt(g.S1Fmt).WithS1ContextPtr(g.S1ContextPtr).WithS1CdMax(g.S1CdMax)
            .WithS1Dss(g.S1Dss).WithS1Cir(g.S1Cir).WithS1Cor(g.S1Cor).WithS1Csh(g.S1Csh).WithS1Stalld(g.S1Stalld).WithEats(g.Eats);
        if (!vste.V || vste.Config is not (SteConfig.Bypass or SteConfig.S1Trans))
        {
            return Move(dev, vsid, SharedHwpt(dev, abort: true), $"guest STE {(vste.V ? "Config abort" : "V = 0")}: abort HWPT");
        }

        if (vste.Config == SteConfig.Bypass)
        {
            return Move(dev, vsid, SharedHwpt(dev, abort: false), "guest STE bypass: bypass HWPT (stage 2 only)");
        }

        var data = new byte[ArmSmmuV3Uapi.HwptDataLength];
        vste.ToBytes().AsSpan(0, ArmSmmuV3Uapi.HwptDataLength).CopyTo(data);
        var hwpt = _fd.HwptAlloc(dev.Id, Viommu.Id, HwptAllocFlags.None, ArmSmmuV3Uapi.HwptDataType, data);
        if (!hwpt.IsOk)
        {
            return Move(dev, vsid, SharedHwpt(dev, abort: true), $"IOMMU_HWPT_ALLOC -{hwpt.Error}: abort HWPT");
        }

        return Move(dev, vsid, hwpt.Value.Id, $"nested HWPT#{hwpt.Value.Id} (S1ContextPtr IPA 0x{vste.S1ContextPtr:X}, S1CDMax {vste.S1CdMax}, EATS {g.Eats})");
    }

    /// <summary>Processes the Command queue (the vSMMU's consumer thread).</summary>
    public void Process()
    {
        Cmdq.Consume(this);
        FlushForwarded();
    }

    /// <inheritdoc/>
    CommandError ISmmuV3CommandExecutor.Execute(in CommandSet command, ReadOnlySpan<byte> raw, ulong index)
    {
        if (!command.IsKnown)
        {
            return Done(index, command, string.Empty, "unknown opcode: refused", CommandError.Ill);
        }

        var violations = command.Validate();
        if (!violations.IsValid)
        {
            return Done(index, command, string.Empty, Tracing || CommandProcessed is not null ? "malformed: " + string.Join("; ", violations.Describe(command.MemberLayout!)) : "malformed", CommandError.Ill);
        }

        switch (command.Kind)
        {
            case CommandKind.TlbiNhAll:
            case CommandKind.TlbiNhAsid:
            case CommandKind.TlbiNhVa:
            case CommandKind.TlbiNhVaa:
            case CommandKind.TlbiNsnhAll:
            case CommandKind.AtcInv:
            case CommandKind.CfgiCd:
            case CommandKind.CfgiCdAll:
                {
                    if (ForwardBatchSize > 1 && !Tracing && CommandProcessed is null)
                    {
                        return Gather(index, command, raw);
                    }

                    FlushForwarded();
                    _kernelConversion = string.Empty;
                    Driver.Trace = Tracing || CommandProcessed is not null ? CaptureConversion : null;
                    uint n = 1;
                    InvalidateCalls++;
                    var r = _fd.HwptInvalidate(Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, ArmSmmuV3Uapi.InvalidateEntryLength, raw, ref n);
                    Driver.Trace = null;
                    return r.IsOk
                        ? Done(index, command, _kernelConversion, "forwarded through IOMMU_HWPT_INVALIDATE on the vIOMMU", CommandError.None)
                        : Done(index, command, _kernelConversion, $"IOMMU_HWPT_INVALIDATE -{r.Error}: refused, nothing applied", CommandError.Ill);
                }

            default:
                FlushForwarded(); // what the VMM does itself comes after every invalidation before it
                return ExecuteLocally(index, command);
        }
    }

    /// <summary>The commands the VMM handles itself: STE installs, CMD_SYNC, prefetches, and the refusals.</summary>
    private CommandError ExecuteLocally(ulong index, in CommandSet command)
    {
        switch (command.Kind)
        {
            case CommandKind.CfgiSte when command.TryGet(out CfgiSte v):
                return Done(index, command, InstallSte(v.Sid), "guest STE re-read", CommandError.None);
            case CommandKind.CfgiSteRange when command.TryGet(out CfgiSteRange v):
                {
                    var what = new List<string>();
                    foreach (var vsid in new List<ulong>(Viommu.Vdevices.Keys))
                    {
                        if (v.Covers(vsid))
                        {
                            what.Add(InstallSte(vsid));
                        }
                    }

                    return Done(index, command, string.Join("; ", what), v.IsAll ? "CFGI_ALL: every guest STE re-read" : "guest STEs of the range re-read", CommandError.None);
                }

            case CommandKind.CmdSync when command.TryGet(out CmdSync v):
                return Sync(index, command, v);
            case CommandKind.PrefetchConfig:
            case CommandKind.PrefetchAddr:
                return Done(index, command, string.Empty, "prefetch hint: consumed, no effect", CommandError.None);
            default:
                return Done(index, command, string.Empty, "opcode not accepted by this vSMMU (stage 1 only, no EL2, no PRI, no stall): refused", CommandError.Ill);
        }
    }

    private void CaptureConversion(string line) => _kernelConversion = line;

    private CommandError Sync(ulong index, in CommandSet command, CmdSync v)
    {
        // Every command before this one has completed (commands are applied in order, synchronously).
        if (v.Cs == CmdSyncCompletionSignal.SigIrq && v.MsiAddr != 0)
        {
            Span<byte> data = stackalloc byte[4];
            BitConverter.TryWriteBytes(data, (uint)v.MsiData);
            if (!_guest.TryWrite(v.MsiAddr, data))
            {
                RaiseGlobal(_gerrorOther.WithMsiCmdqAbtErr(!Cmdq.Gerrorn.MsiCmdqAbtErr));
            }
        }

        if (v.Cs is CmdSyncCompletionSignal.SigIrq or CmdSyncCompletionSignal.SigSev)
        {
            SyncCompleted?.Invoke(new SmmuV3SyncSignal(index, v.Cs, v.MsiAddr, (uint)v.MsiData));
        }

        return Done(index, command, string.Empty, $"sync completed ({v.Cs}{(v.MsiAddr != 0 ? $", MSI 0x{v.MsiData:X} -> GPA 0x{v.MsiAddr:X}" : string.Empty)})", CommandError.None);
    }

    private CommandError Done(ulong index, in CommandSet command, string translated, string effect, CommandError error)
    {
        if (error != CommandError.None)
        {
            FlushForwarded(); // the commands before a refused one are complete when the guest sees the error
        }

        if (error == CommandError.None)
        {
            CompletedCommands++;
        }
        else
        {
            GlobalError?.Invoke(Gerror.WithCmdqErr(!Cmdq.Gerrorn.CmdqErr));
        }

        if (Tracing || CommandProcessed is not null)
        {
            var t = new SmmuV3CommandTrace(index, command.ToString(), translated, effect, error);
            if (Tracing)
            {
                _log.Add(t);
            }

            CommandProcessed?.Invoke(t);
        }

        return error;
    }

    private void RaiseGlobal(Gerror value)
    {
        _gerrorOther = value;
        GlobalError?.Invoke(Gerror);
    }

    private string Move(Device dev, ulong vsid, uint hwptId, string what)
    {
        if (hwptId == 0)
        {
            return what + " (allocation failed)";
        }

        var r = dev.Attached is null ? _fd.Attach(dev.Id, null, hwptId).AsResult() : _fd.Replace(dev.Id, null, hwptId).AsResult();
        if (!r.IsOk)
        {
            return $"{what}: attach -{r.Error}";
        }

        if (_owned.TryGetValue(vsid, out var old) && old != hwptId && old != _abortHwpt && old != _bypassHwpt)
        {
            _fd.Destroy(old);
        }

        _owned[vsid] = hwptId;
        return what;
    }

    private uint SharedHwpt(Device dev, bool abort)
    {
        ref var id = ref abort ? ref _abortHwpt : ref _bypassHwpt;
        if (id == 0)
        {
            var ste = abort ? Ste.Create().WithV(true) : Ste.Create().WithV(true).WithConfig(SteConfig.Bypass);
            var data = new byte[ArmSmmuV3Uapi.HwptDataLength];
            ste.ToBytes().AsSpan(0, ArmSmmuV3Uapi.HwptDataLength).CopyTo(data);
            var r = _fd.HwptAlloc(dev.Id, Viommu.Id, HwptAllocFlags.None, ArmSmmuV3Uapi.HwptDataType, data);
            id = r.IsOk ? r.Value.Id : 0;
        }

        return id;
    }

    private bool TryReadGuestSte(ulong vsid, out Ste ste)
    {
        ste = default;
        var cfg = StrtabBaseCfg;
        if (cfg.Log2Size < 64 && vsid >> (int)cfg.Log2Size != 0)
        {
            return false;
        }

        ulong address;
        if (cfg.Fmt == 0)
        {
            address = StrtabBase.Addr + StreamTableLinearTable.Offset(vsid);
        }
        else
        {
            var l1Offset = cfg.Split switch
            {
                6 => StreamTableSplit6Level1Table.Offset(vsid),
                8 => StreamTableSplit8Level1Table.Offset(vsid),
                10 => StreamTableSplit10Level1Table.Offset(vsid),
                _ => ulong.MaxValue,
            };
            Span<byte> l1Bytes = stackalloc byte[L1Std.SizeBytes];
            if (l1Offset == ulong.MaxValue || !_guest.TryRead(StrtabBase.Addr + l1Offset, l1Bytes))
            {
                return false;
            }

            var l1 = L1Std.Read(l1Bytes);
            if (!l1.IsValid)
            {
                return false;
            }

            address = l1.L2Ptr + cfg.Split switch
            {
                6 => StreamTableSplit6Level2Table.Offset(vsid),
                8 => StreamTableSplit8Level2Table.Offset(vsid),
                _ => StreamTableSplit10Level2Table.Offset(vsid),
            };
        }

        Span<byte> b = stackalloc byte[Ste.SizeBytes];
        if (!_guest.TryRead(address, b))
        {
            return false;
        }

        ste = Ste.Read(b);
        return true;
    }
}
