using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Fuzz.Harness.GuestQueues;

/// <summary>
/// <c>arm-smmuv3.GuestQueue</c>: bytes → commands in VM A's Command queue (guest memory) → CMDQ_PROD writes →
/// <see cref="SmmuV3VirtualSmmu"/>. Two VMs share one physical SMMUv3, each with its own iommufd, vIOMMU (VMID),
/// vEVENTQ, an ATS and a non-ATS device whose guest STE points at a CD table and a stage-1 table (nested HWPTs),
/// and warm IOTLB/ATC entries; every input gets a fresh world. After every doorbell the queue must be drained
/// (CONS = PROD) or halted with GERROR.CMDQ_ERR ≠ GERRORN.CMDQ_ERR and CMDQ_CONS.ERR an architected code (CERROR_ILL,
/// CERROR_ABT, CERROR_ATC_INV_SYNC) — or hold a PROD further ahead than the queue (CONSTRAINED UNPREDICTABLE: nothing
/// consumed); the commands completed must match how far CONS moved; and nothing of VM B — IOTLB entries under its
/// VMID, its ATCs, its DMA translations, its host STEs, its attachments, its vSMMU registers, counters and installed
/// HWPTs, its vEVENTQ, its RAM — nor the host Command queue may change.
/// </summary>
/// <remarks>
/// Header (<see cref="GuestQueueInput"/>): flags bits 0–1 doorbell (0 one PROD write after the last command, 1 one
/// per command, 2 PROD = the raw parameter: any index, wrap and RES0 bits, 3 CONS moved: CMDQEN = 0, CONS = the
/// parameter, CMDQEN = 1, then PROD as many commands past it); bit 2 acknowledge errors as Linux does (a CERROR_ILL
/// command overwritten with CMD_SYNC, GERRORN written; up to 4 times); bit 3 CMDQ_BASE outside guest RAM; bit 4
/// CMDQ_BASE.LOG2SIZE = option bits 4:0 (else 6: 64 entries); bit 5 Event queue disabled (CR0.EVENTQEN = 0); bit 6
/// the VMM delivers vEVENTQ records into the guest Event queue after every doorbell; bit 7 VM A's devices translate
/// after every doorbell. Option bits 7:5 × 8 = CMD_SYNCs the guest ran through first, so the commands start anywhere
/// in the ring and wrap. Then 16-byte commands, at most 64 and at most what the queue holds.
/// </remarks>
public sealed class ArmGuestQueueTarget : FuzzTarget
{
    /// <summary>Flag bit: acknowledge errors.</summary>
    public const int Acknowledge = 2;

    /// <summary>Flag bit: CMDQ_BASE outside guest RAM.</summary>
    public const int BaseOutsideRam = 3;

    /// <summary>Flag bit: LOG2SIZE from the option byte.</summary>
    public const int QueueSize = 4;

    /// <summary>Flag bit: Event queue disabled.</summary>
    public const int EventqOff = 5;

    /// <summary>Flag bit: the VMM delivers events after every doorbell.</summary>
    public const int DeliverEvents = 6;

    /// <summary>Flag bit: VM A's devices translate after every doorbell.</summary>
    public const int Dma = 7;

    private const ulong RamBytes = 2UL << 20;
    private const ulong Va = 0x4000_0000;
    private const int Pages = 4;
    private const ulong VsidA = 1;
    private const ulong VsidA2 = 2;
    private const ulong VsidB = 3;
    private const ulong VsidB2 = 4;
    private const ulong AsidA = 5;
    private const ulong AsidB = 9;
    private const ulong OutsideRam = 0x8000_0000;
    private const int DefaultLog2Size = 6;
    private const int MaxEntries = 64;
    private const int MaxAcknowledgements = 4;
    private static readonly string[] PageNames = Enumerable.Range(0, Pages).Select(i => $"VA page {i}").ToArray();
    private readonly Action<ArmVm>? _tamper;

    /// <summary>Creates the target.</summary>
    public ArmGuestQueueTarget()
        : this(null)
    {
    }

    /// <summary>Creates the target with a hook that changes VM B after VM A's input ran (tests prove the checks can fail).</summary>
    /// <param name="tamperWithVictim">Acts on VM B before the comparison.</param>
    internal ArmGuestQueueTarget(Action<ArmVm>? tamperWithVictim) => _tamper = tamperWithVictim;

    /// <inheritdoc/>
    public override string Name => "arm-smmuv3.GuestQueue";

    /// <inheritdoc/>
    public override string Description => "SMMUv3 guest Command queue (SmmuV3VirtualSmmu): VM A's commands and CMDQ_PROD writes; ends drained or halted with CMDQ_CONS.ERR + GERROR.CMDQ_ERR; VM B untouched";

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
        var syncWord = w.A.Guest.SyncWord;
        byte[] Sync(uint data = 1) => CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigIrq).WithMsh(Shareability.InnerShareable).WithMsiAttr(0xF).WithMsiData(data).WithMsiAddr(syncWord).ToBytes();
        KeyValuePair<string, byte[]> Seed(string name, int flags, params byte[][] entries) => new(name, GuestQueueInput.Build((byte)flags, 0, 0, entries));
        KeyValuePair<string, byte[]> SeedWith(string name, int flags, byte option, ushort parameter, params byte[][] entries) => new(name, GuestQueueInput.Build((byte)flags, option, parameter, entries));

        var tlbiVa = TlbiNhVa.ForRange(AsidA, 0, Va, 0x4000, 0x1000, 12, leaf: true, rangeInvalidation: false).Select(c => c.ToBytes()).ToArray();
        var atc = AtcInv.ForRange(VsidA, 0, Va, 0x4000).ToBytes();
        yield return Seed("valid-tlbi-va-sync", 0, [.. tlbiVa, Sync()]);
        yield return Seed("valid-per-entry-doorbell", 1 | (1 << Dma), [.. tlbiVa, atc, Sync()]);
        yield return Seed("valid-range-tlbi", 0, [.. TlbiNhVa.ForRange(AsidA, 0, Va, 0x4000, 0x1000, 12, leaf: false).Select(c => c.ToBytes()), Sync()]);
        yield return SeedWith("valid-wrap", 0, 0xE0, 0, TlbiNhAsid.Create().WithAsid(AsidA).ToBytes(), atc, Sync(), Sync(2), Sync(3));
        yield return SeedWith("valid-small-queue", 1 << QueueSize, 2, 0, TlbiNhAll.Create().ToBytes(), Sync(), Sync(2), Sync(3));

        byte[][] typed =
        [
            PrefetchConfig.Create().WithSid(VsidA).ToBytes(),
            PrefetchAddr.Create().WithSid(VsidA).WithAddress(Va).ToBytes(),
            CfgiSte.Create().WithSid(VsidA).WithLeaf(true).ToBytes(),
            CfgiSteRange.CreateAll().ToBytes(),
            CfgiCd.Create().WithSid(VsidA).WithLeaf(true).ToBytes(),
            CfgiCdAll.Create().WithSid(VsidA2).ToBytes(),
            TlbiNhAll.Create().ToBytes(),
            TlbiNhAsid.Create().WithAsid(AsidA).ToBytes(),
            tlbiVa[0],
            TlbiNhVaa.Create().WithAddress(Va).ToBytes(),
            TlbiNsnhAll.Create().ToBytes(),
            atc,
            Sync(9),
            CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigSev).ToBytes(),
        ];
        for (var i = 0; i < typed.Length; i++)
        {
            yield return Seed($"command-{CommandSet.Decode(typed[i]).Kind}-{i}", 0, typed[i], Sync());
        }

        var set = FormatRegistry.Sets.Single(s => s.Vendor == "arm-smmuv3" && s.Name == "Command");
        foreach (var m in set.Members)
        {
            yield return Seed($"Command-{m.Format.Layout.Name}-zero", 1 << Acknowledge, SeedFactory.Encodings(m.Format).First(), Sync());
        }

        // refused commands: CERROR_ILL, the queue halted on them
        var unknown = new byte[16];
        unknown[0] = 0x7F;
        yield return Seed("unknown-opcode", 0, unknown, Sync());
        var reserved = TlbiNhAll.Create().ToBytes();
        reserved[1] |= 0x1; // bit 8: RES0
        yield return Seed("reserved-bit", 0, reserved, Sync());
        yield return Seed("reserved-bit-acknowledged", 1 << Acknowledge, atc, reserved, atc, Sync());
        yield return Seed("sync-msi-outside-ram", 0, CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigIrq).WithMsiData(1).WithMsiAddr(OutsideRam).ToBytes(), Sync());
        yield return Seed("events-delivered", (1 << Dma) | (1 << DeliverEvents), CfgiSte.Create().WithSid(VsidA2).ToBytes(), Sync());
        yield return Seed("eventq-off", (1 << Dma) | (1 << DeliverEvents) | (1 << EventqOff), CfgiSte.Create().WithSid(VsidA2).ToBytes(), Sync());

        // VM B's IDs from VM A's queue: its vSIDs, its physical StreamIDs, its VMID, its ASID
        foreach (var id in new[] { VsidB, VsidB2, 0x200UL, 0x208UL, w.VmidB })
        {
            yield return Seed($"victim-id-{id:X}", 1 << Acknowledge,
                CfgiSte.Create().WithSid(id).ToBytes(),
                CfgiCd.Create().WithSid(id).ToBytes(),
                CfgiCdAll.Create().WithSid(id).ToBytes(),
                AtcInv.ForRange(id, 0, 0, 0).ToBytes(),
                TlbiS12Vmall.Create().WithVmid(id & 0xFFFF).ToBytes(),
                TlbiNhAsid.Create().WithAsid(AsidB).ToBytes(),
                Sync());
        }

        // hostile queue pointers and registers
        yield return SeedWith("prod-raw-max", GuestQueueInput.DoorbellRaw, 0, 0xFFFF, TlbiNhAll.Create().ToBytes(), Sync());
        yield return SeedWith("prod-wrap-mismatch", GuestQueueInput.DoorbellRaw, 0, 1 << DefaultLog2Size | 5, TlbiNhAll.Create().ToBytes(), Sync());
        yield return SeedWith("prod-behind-cons", GuestQueueInput.DoorbellRaw | (1 << Acknowledge), 0x20, 0x3, TlbiNhAll.Create().ToBytes(), Sync());
        yield return SeedWith("cons-moved", GuestQueueInput.DoorbellHostile, 0, 0x7, TlbiNhAll.Create().ToBytes(), Sync());
        yield return Seed("base-outside-ram", 1 << BaseOutsideRam, TlbiNhAll.Create().ToBytes(), Sync());
        yield return SeedWith("log2size-0", 1 << QueueSize, 0, 0, TlbiNhAll.Create().ToBytes(), Sync());
        yield return SeedWith("log2size-19", 1 << QueueSize, 19, 0, TlbiNhAll.Create().ToBytes(), Sync());
        yield return Seed("empty", 0);
    }

    private static VictimState Victim(World w)
    {
        var s = new VictimState();
        var b = w.B;
        var smmu = w.Host.Smmu;
        s.AddCache("IOTLB under VM B's VMID", smmu.Iotlb, w.TagsB);
        foreach (var vsid in new[] { VsidB, VsidB2 })
        {
            s.AddCache($"VM B ATC of vSID {vsid}", b.Devices[vsid].Atc);
        }

        foreach (var vsid in new[] { VsidB, VsidB2 })
        {
            var dev = b.Devices[vsid];
            for (var i = 0; i < Pages; i++)
            {
                s.AddTranslation($"VM B vSID {vsid} DMA to {PageNames[i]}", dev.Translate(Va + ((ulong)i << 12), null, Access.Read));
            }

            smmu.StreamTable.TryRead(dev.PhysicalId, out var ste, out _, out _);
            s.Add($"host STE of VM B's StreamID 0x{dev.PhysicalId:X}", ste.ToBytes());
            s.AddReference($"VM B vSID {vsid} attachment", dev.Attached);
            s.Add($"VM B vSID {vsid} installed HWPT", b.Vsmmu.InstalledHwpts.TryGetValue(vsid, out var id) ? id : ulong.MaxValue);
        }

        var v = b.Vsmmu;
        s.Add("VM B CR0", v.Cr0.GetWord(0));
        s.Add("VM B CMDQ_BASE", v.Cmdq.Base.GetWord(0));
        s.Add("VM B CMDQ_PROD", v.Cmdq.Prod.GetWord(0));
        s.Add("VM B CMDQ_CONS", v.Cmdq.Cons.GetWord(0));
        s.Add("VM B GERROR", v.Gerror.GetWord(0));
        s.Add("VM B GERRORN", v.Gerrorn.GetWord(0));
        s.Add("VM B EVENTQ_PROD", v.EventqProd.GetWord(0));
        s.Add("VM B EVENTQ_CONS", v.EventqCons.GetWord(0));
        s.Add("VM B commands completed", (ulong)v.CompletedCommands);
        s.Add("VM B installed HWPTs", (ulong)v.InstalledHwpts.Count);
        s.Add("VM B vEVENTQ records", (ulong)b.Events.Count);
        s.Add("VM B VMID", b.Vmid);
        s.Add("host CMDQ halted", smmu.CommandQueue.ErrorActive ? 1UL : 0);
        s.Add("host CMDQ pending", smmu.CommandQueue.IsEmpty ? 0UL : 1);
        s.Add("host command errors", (ulong)smmu.HostCommandErrors.Count);
        s.AddRam("VM B", b.Memory);
        return s;
    }

    private static void Drive(World w, GuestQueueInput input)
    {
        var a = w.A;
        var v = a.Vsmmu;
        var q = v.Cmdq;
        var dma = input.Flag(Dma);
        var deliver = input.Flag(DeliverEvents);
        if (input.Flag(BaseOutsideRam) || input.Flag(QueueSize) || input.Flag(EventqOff))
        {
            // the guest re-programs its idle queue: CMDQEN = 0, CMDQ_BASE, PROD = CONS = 0, CMDQEN = 1
            var cr0 = v.Cr0.WithEventqEn(!input.Flag(EventqOff));
            v.WriteCr0(cr0.WithCmdqEn(false));
            var log2 = input.Flag(QueueSize) ? input.Option & 0x1FUL : DefaultLog2Size;
            v.WriteCmdqBase(CmdqBase.Create().WithAddr(input.Flag(BaseOutsideRam) ? OutsideRam : q.Base.Addr).WithLog2Size(log2).WithRa(true));
            v.WriteCmdqCons(CmdqCons.Create());
            v.WriteCmdqProd(CmdqProd.Create());
            v.WriteCr0(cr0.WithCmdqEn(true));
        }

        var log2Size = q.Log2Size;
        var slots = 1UL << log2Size;
        var fillers = (ulong)(input.Option >> 5) * 8 % slots;
        if (fillers > 0 && !input.Flag(BaseOutsideRam))
        {
            var sync = CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigNone).ToBytes();
            var at = q.Cons.Rd;
            for (ulong i = 0; i < fillers; i++)
            {
                a.Memory.TryWrite(q.SlotAddress(at), sync);
                at = SmmuV3QueueIndex.Increment(at, log2Size);
            }

            Doorbell(w, CmdqProd.Create().WithWr(at), false, false);
            FuzzInvariantException.Check(!q.ErrorActive && q.IsEmpty, "arm-smmuv3.GuestQueue: valid CMD_SYNCs were not consumed");
        }

        var start = q.Cons.Rd;
        var completed = v.CompletedCommands;
        var n = input.EntryCount(16, (int)Math.Min(MaxEntries, slots));
        Span<byte> entry = stackalloc byte[16];
        var prod = start;
        for (var i = 0; i < n; i++)
        {
            input.CopyEntry(i, entry);
            a.Memory.TryWrite(q.SlotAddress(prod), entry);
            prod = SmmuV3QueueIndex.Increment(prod, log2Size);
        }

        switch (input.Doorbell)
        {
            case GuestQueueInput.DoorbellPerEntry:
                var p = start;
                for (var i = 0; i < n; i++)
                {
                    p = SmmuV3QueueIndex.Increment(p, log2Size);
                    Doorbell(w, CmdqProd.Create().WithWr(p), dma, deliver);
                }

                break;
            case GuestQueueInput.DoorbellRaw:
                Doorbell(w, CmdqProd.Create().WithWr(input.Parameter), dma, deliver);
                break;
            case GuestQueueInput.DoorbellHostile:
                // the guest moves CONS while the queue is disabled, then produces n commands past it
                v.WriteCr0(v.Cr0.WithCmdqEn(false));
                v.WriteCmdqCons(CmdqCons.Create().WithRd(input.Parameter));
                v.WriteCr0(v.Cr0.WithCmdqEn(true));
                var moved = q.Cons.Rd;
                for (var i = 0; i < n; i++)
                {
                    moved = SmmuV3QueueIndex.Increment(moved, log2Size);
                }

                Doorbell(w, CmdqProd.Create().WithWr(moved), dma, deliver);
                break;
            default:
                Doorbell(w, CmdqProd.Create().WithWr(prod), dma, deliver);
                break;
        }

        var acknowledged = 0;
        for (; acknowledged < MaxAcknowledgements && input.Flag(Acknowledge) && q.ErrorActive; acknowledged++)
        {
            // Linux __arm_smmu_cmdq_skip_err: a CERROR_ILL command is replaced by a CMD_SYNC, then GERRORN = GERROR
            a.Guest.AcknowledgeCommandError();
            CheckDefinedState(v);
        }

        // CONS counts modulo twice the queue size: exact while fewer commands than that completed
        var done = (ulong)(v.CompletedCommands - completed);
        if (input.Doorbell != GuestQueueInput.DoorbellHostile && done < 2 * slots)
        {
            var consumed = SmmuV3QueueIndex.Count(q.Cons.Rd, start, log2Size);
            FuzzInvariantException.Check(done == consumed, $"arm-smmuv3.GuestQueue: {done} commands completed, CONS moved by {consumed}");
        }
    }

    private static void Doorbell(World w, CmdqProd prod, bool dma, bool deliver)
    {
        var v = w.A.Vsmmu;
        v.WriteCmdqProd(prod);
        CheckDefinedState(v);
        if (dma)
        {
            foreach (var vsid in new[] { VsidA, VsidA2 })
            {
                for (var i = 0; i < Pages; i++)
                {
                    w.A.Devices[vsid].Translate(Va + ((ulong)i << 12), null, Access.Read);
                }
            }
        }

        if (deliver)
        {
            v.DeliverEvents();
            while (w.A.Guest.TryReadEvent(out _))
            {
            }
        }
    }

    private static void CheckDefinedState(SmmuV3VirtualSmmu v)
    {
        var q = v.Cmdq;
        FuzzInvariantException.Check(q.Enabled, "arm-smmuv3.GuestQueue: the Command queue was disabled by a doorbell");
        if (q.ErrorActive)
        {
            FuzzInvariantException.Check(q.Cons.Err is CommandError.Ill or CommandError.Abt or CommandError.AtcInvSync, $"arm-smmuv3.GuestQueue: the queue halted with CMDQ_CONS.ERR = {q.Cons.Err}, not an architected error");
            FuzzInvariantException.Check(v.Gerror.CmdqErr != v.Gerrorn.CmdqErr, "arm-smmuv3.GuestQueue: halted without GERROR.CMDQ_ERR active");
        }
        else
        {
            var inconsistent = SmmuV3QueueIndex.Count(q.Prod.Wr, q.Cons.Rd, q.Log2Size) > 1UL << q.Log2Size;
            FuzzInvariantException.Check(q.IsEmpty || inconsistent, $"arm-smmuv3.GuestQueue: no error, but CONS 0x{q.Cons.Rd:X} stopped short of PROD 0x{q.Prod.Wr:X}");
        }
    }

    /// <summary>A fresh host with VM A (attacker) and VM B (victim), both configured and their caches warm.</summary>
    private sealed record World(ArmScenario Host, ArmVm A, ArmVm B, IReadOnlySet<ulong> TagsB, ulong VmidB)
    {
        public static World Build()
        {
            var host = new ArmScenario();
            var a = host.CreateVm("vmA", RamBytes, (0x100, VsidA, true), (0x108, VsidA2, false));
            var b = host.CreateVm("vmB", RamBytes, (0x200, VsidB, true), (0x208, VsidB2, false));
            Configure(a, AsidA, VsidA, VsidA2);
            var tagsA = VictimState.Tags(host.Smmu.Iotlb);
            Configure(b, AsidB, VsidB, VsidB2);
            var tagsB = VictimState.Tags(host.Smmu.Iotlb);
            tagsB.ExceptWith(tagsA);
            return new World(host, a, b, tagsB, b.Vmid);
        }

        private static void Configure(ArmVm vm, ulong asid, ulong vsid, ulong vsid2)
        {
            var buffer = vm.AllocateBuffer(0x4000);
            foreach (var (id, domainAsid, ats) in new[] { (vsid, asid, true), (vsid2, asid + 1, false) })
            {
                var domain = vm.ConfigureStage1(id, domainAsid, ats);
                domain.PageTable.Map(Va, buffer, 0x4000, Access.ReadWrite);
            }

            foreach (var id in new[] { vsid, vsid2 })
            {
                for (var i = 0; i < Pages; i++)
                {
                    if (!vm.Devices[id].Translate(Va + ((ulong)i << 12), null, Access.Read).IsOk)
                    {
                        throw new InvalidOperationException($"{vm.Name}: DMA of vSID {id} failed during set-up");
                    }
                }
            }
        }
    }
}
