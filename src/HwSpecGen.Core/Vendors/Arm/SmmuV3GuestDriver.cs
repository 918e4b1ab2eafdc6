using System;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// What a guest's SMMUv3 driver does against the vSMMU its VMM emulates: it allocates a linear stream table, a Command
/// queue and an Event queue in guest memory, programs the vSMMU's registers, writes STEs, produces commands at its
/// CMDQ_PROD and rings the doorbell, waits for CMD_SYNC through an MSI write into guest memory, skips a refused command
/// the way Linux <c>__arm_smmu_cmdq_skip_err</c> does, and reads event records.
/// </summary>
public sealed class SmmuV3GuestDriver
{
    private readonly GuestMemory _memory;
    private ulong _prod;
    private uint _syncSequence;

    /// <summary>Brings up <paramref name="vsmmu"/>: tables and queues allocated from <paramref name="allocator"/>, CR0 with SMMUEN, CMDQEN and EVENTQEN.</summary>
    public SmmuV3GuestDriver(SmmuV3VirtualSmmu vsmmu, GuestMemory memory, GuestPageAllocator allocator, int sidBits = 8, int cmdqLog2Size = 6, int eventqLog2Size = 5)
    {
        Vsmmu = vsmmu;
        _memory = memory;
        var stBytes = (1UL << sidBits) * Ste.SizeBytes;
        StreamTableBase = allocator.Allocate(Math.Max(stBytes, PhysicalMemory.PageSize), Math.Max(stBytes, 64));
        vsmmu.WriteStrtabBase(StrtabBase.Create().WithAddr(StreamTableBase).WithRa(true));
        vsmmu.WriteStrtabBaseCfg(StrtabBaseCfg.Create().WithLog2Size((ulong)sidBits).WithFmt(0));
        var qBytes = (1UL << cmdqLog2Size) * CommandSet.SizeBytes;
        vsmmu.WriteCmdqBase(CmdqBase.Create().WithAddr(allocator.Allocate(Math.Max(qBytes, PhysicalMemory.PageSize), Math.Max(qBytes, 32))).WithLog2Size((ulong)cmdqLog2Size).WithRa(true));
        vsmmu.WriteCmdqCons(CmdqCons.Create());
        var eBytes = (1UL << eventqLog2Size) * EventSet.SizeBytes;
        vsmmu.WriteEventqBase(EventqBase.Create().WithAddr(allocator.Allocate(Math.Max(eBytes, PhysicalMemory.PageSize), Math.Max(eBytes, 32))).WithLog2Size((ulong)eventqLog2Size).WithWa(true));
        SyncWord = allocator.Allocate(PhysicalMemory.PageSize);
        vsmmu.WriteCr0(Cr0.Create().WithSmmuEn(true).WithCmdqEn(true).WithEventqEn(true));
    }

    /// <summary>The vSMMU.</summary>
    public SmmuV3VirtualSmmu Vsmmu { get; }

    /// <summary>GPA of the guest's linear stream table.</summary>
    public ulong StreamTableBase { get; }

    /// <summary>GPA the CMD_SYNC MSIs write their sequence number to.</summary>
    public ulong SyncWord { get; }

    /// <summary>The guest's CMDQ_PROD shadow.</summary>
    public ulong Prod => _prod;

    /// <summary>The STE a guest Linux writes for a CD table (<c>arm_smmu_make_cdtable_ste</c>): S1 translate, S1DSS = SSID0, WBRA/ISH CD fetches, EATS from ATS.</summary>
    public static Ste MakeCdTableSte(SmmuV3GuestCdTable cds, bool ats) =>
        Ste.Create().WithV(true).WithConfig(SteConfig.S1Trans).WithS1Fmt(cds.Format).WithS1ContextPtr(cds.Base).WithS1CdMax((ulong)cds.S1CdMax)
            .WithS1Dss(S1DefaultSubstream.Ssid0).WithS1Cir(ContextCacheability.WriteBackReadAllocate).WithS1Cor(ContextCacheability.WriteBackReadAllocate)
            .WithS1Csh(Shareability.InnerShareable).WithEats(ats ? AtsConfig.FullAts : AtsConfig.Abort).WithStrw(StreamWorld.NsEl1);

    /// <summary>Writes the STE of <paramref name="vsid"/> in the guest stream table (the guest then issues CFGI_STE).</summary>
    public void WriteSte(ulong vsid, Ste ste)
    {
        Span<byte> b = stackalloc byte[Ste.SizeBytes];
        ste.WriteTo(b);
        _memory.TryWrite(StreamTableBase + StreamTableLinearTable.Offset(vsid), b);
    }

    /// <summary>Writes raw 16-byte commands at PROD (no doorbell yet); false when the queue has no room.</summary>
    public bool Produce(ReadOnlySpan<byte> commands)
    {
        var q = Vsmmu.Cmdq;
        var log2 = q.Log2Size;
        for (var i = 0; i + CommandSet.SizeBytes <= commands.Length; i += CommandSet.SizeBytes)
        {
            if (SmmuV3QueueIndex.IsFull(_prod, q.Cons.Rd, log2))
            {
                return false;
            }

            _memory.TryWrite(q.SlotAddress(_prod), commands.Slice(i, CommandSet.SizeBytes));
            _prod = SmmuV3QueueIndex.Increment(_prod, log2);
        }

        return true;
    }

    /// <summary>The doorbell: writes CMDQ_PROD with the shadow.</summary>
    public void RingDoorbell() => Vsmmu.WriteCmdqProd(CmdqProd.Create().WithWr(_prod));

    /// <summary>Produces <paramref name="commands"/> (each 16 bytes) and rings the doorbell.</summary>
    public bool Submit(params byte[][] commands)
    {
        foreach (var c in commands)
        {
            if (!Produce(c))
            {
                return false;
            }
        }

        RingDoorbell();
        return true;
    }

    /// <summary>Appends a CMD_SYNC (CS = SIG_IRQ, MSI of a new sequence number to <see cref="SyncWord"/>) and rings the doorbell; returns the sequence number.</summary>
    public uint Sync()
    {
        var seq = ++_syncSequence;
        Produce(CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigIrq).WithMsh(Shareability.InnerShareable).WithMsiAttr(0xF).WithMsiData(seq).WithMsiAddr(SyncWord).ToBytes());
        RingDoorbell();
        return seq;
    }

    /// <summary>Whether the CMD_SYNC with sequence number <paramref name="sequence"/> has completed (its MSI landed).</summary>
    public bool SyncDone(uint sequence)
    {
        Span<byte> b = stackalloc byte[4];
        return _memory.TryRead(SyncWord, b) && BitConverter.ToUInt32(b) >= sequence;
    }

    /// <summary>
    /// The guest's GERROR handler for CMDQ_ERR (Linux <c>__arm_smmu_cmdq_skip_err</c>): for CERROR_ILL the refused command
    /// at CONS is overwritten with a CMD_SYNC; then GERRORN is written to match GERROR, which resumes the queue.
    /// </summary>
    public CommandError AcknowledgeCommandError()
    {
        var q = Vsmmu.Cmdq;
        var err = q.Cons.Err;
        if (err == CommandError.Ill)
        {
            _memory.TryWrite(q.SlotAddress(q.Cons.Rd), CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigNone).ToBytes());
        }

        Vsmmu.WriteGerrorn(Gerrorn.Create().WithCmdqErr(Vsmmu.Gerror.CmdqErr));
        return err;
    }

    /// <summary>Reads the next record of the guest Event queue and advances EVENTQ_CONS; false when it is empty.</summary>
    public bool TryReadEvent(out EventSet record)
    {
        record = default;
        var log2 = (int)Vsmmu.EventqBase.Log2Size;
        var cons = Vsmmu.EventqCons;
        if (SmmuV3QueueIndex.IsEmpty(Vsmmu.EventqProd.Wr, cons.Rd, log2))
        {
            return false;
        }

        Span<byte> b = stackalloc byte[EventSet.SizeBytes];
        _memory.TryRead(Vsmmu.EventqBase.Addr + (SmmuV3QueueIndex.Index(cons.Rd, log2) * EventSet.SizeBytes), b);
        record = EventSet.Decode(b);
        Vsmmu.WriteEventqCons(cons.WithRd(SmmuV3QueueIndex.Increment(cons.Rd, log2)));
        return true;
    }
}
