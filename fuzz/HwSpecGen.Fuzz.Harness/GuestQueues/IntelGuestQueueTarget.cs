using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Intel;
using HwSpecGen.Hardware;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Fuzz.Harness.GuestQueues;

/// <summary>
/// <c>intel-vtd.GuestQueue</c>: bytes → descriptors in VM A's invalidation queue (guest memory) → IQT writes →
/// <see cref="IntelVirtualIommu"/>. Two VMs share one physical VT-d unit, each with an ATS and a non-ATS device, a
/// nest parent, a guest first-stage table shadowed into a nested HWPT and warm IOTLB/ATC entries; every input gets a
/// fresh world. The run must end with the queue consumed up to IQT (no FSTS.IQE) or stopped with FSTS.IQE and an
/// architected IQERCD.IQEI, IQH on the bad descriptor; the descriptors processed must match how far IQH moved; and
/// nothing of VM B — IOTLB entries under its DIDs, its ATC, its translations (cached and walked), its vIOMMU registers
/// and counters, its host context/PASID entries, its shadow bindings, its RAM — nor the host queue may change.
/// </summary>
/// <remarks>
/// Header (<see cref="GuestQueueInput"/>): flags bits 0–1 doorbell (0 one IQT write after the last descriptor, 1 one
/// per descriptor, 2 IQT = the raw parameter, 3 IQT = queue size + parameter mod 256: beyond the queue); bit 2 128-bit
/// descriptors (the guest re-enables its queue with IQA.DW = 0); bit 3 recover after an IQE (the guest overwrites
/// the slot at IQH with a wait, clears FSTS.IQE and writes IQT again; up to 4 times); bit 4 IQA outside guest RAM;
/// bit 5 QS = 1 (8 KiB queue); bit 6 the completion interrupt unmasked (IECTL.IM = 0); bit 7 VM A's devices
/// translate after every doorbell. The option byte is the number of wait descriptors the guest runs through first
/// (modulo the queue size), so the descriptors start anywhere in the ring and wrap. Then 32-byte (16-byte with bit 2)
/// descriptors, at most 64 and one less than the queue holds.
/// </remarks>
public sealed class IntelGuestQueueTarget : FuzzTarget
{
    /// <summary>Flag bit: 128-bit descriptors.</summary>
    public const int Narrow = 2;

    /// <summary>Flag bit: recover after an IQE.</summary>
    public const int Recover = 3;

    /// <summary>Flag bit: IQA outside guest RAM.</summary>
    public const int BaseOutsideRam = 4;

    /// <summary>Flag bit: QS = 1.</summary>
    public const int TwoPages = 5;

    /// <summary>Flag bit: completion interrupt unmasked.</summary>
    public const int Unmask = 6;

    /// <summary>Flag bit: VM A's devices translate after every doorbell.</summary>
    public const int Dma = 7;

    private const ulong RamBytes = 0x20_0000;
    private const ulong Iova = 0x4000_0000;
    private const ulong Buffer = 0x8_0000;
    private const int Pages = 4;
    private const ushort VridAts = 0x08;
    private const ushort VridPlain = 0x10;
    private const ushort DidA = 5;
    private const ushort DidB = 7;
    private const ulong OutsideRam = 0x8000_0000;
    private const ulong StatusGpa = 0x1000; // guest RAM outside every table and queue (an 8 KiB queue covers the status page)
    private const int MaxEntries = 64;
    private const int MaxRecoveries = 4;
    private static readonly string[] PageNames = Enumerable.Range(0, Pages).Select(i => $"IOVA page {i}").ToArray();
    private readonly Action<IntelVm>? _tamper;

    /// <summary>Creates the target.</summary>
    public IntelGuestQueueTarget()
        : this(null)
    {
    }

    /// <summary>Creates the target with a hook that changes VM B after VM A's input ran (tests prove the checks can fail).</summary>
    /// <param name="tamperWithVictim">Acts on VM B before the comparison.</param>
    internal IntelGuestQueueTarget(Action<IntelVm>? tamperWithVictim) => _tamper = tamperWithVictim;

    /// <inheritdoc/>
    public override string Name => "intel-vtd.GuestQueue";

    /// <inheritdoc/>
    public override string Description => "VT-d guest invalidation queue (IntelVirtualIommu): VM A's descriptors and IQT writes; ends consumed or with FSTS.IQE + IQERCD; VM B untouched";

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
        const ulong status = StatusGpa;
        var hostDidB = (ulong)w.HostDidB;
        byte[] Wait(uint data = IntelVtdIommu.QiDone) => InvalidationWait256.Create().WithSw(true).WithIf(true).WithStatusData(data).WithStatusAddress(status).ToBytes();
        byte[] Wait128() => InvalidationWait.Create().WithSw(true).WithIf(true).WithStatusData(IntelVtdIommu.QiDone).WithStatusAddress(status).ToBytes();
        KeyValuePair<string, byte[]> Seed(string name, int flags, params byte[][] entries) => new(name, GuestQueueInput.Build((byte)flags, 0, 0, entries));
        KeyValuePair<string, byte[]> SeedWith(string name, int flags, byte option, ushort parameter, params byte[][] entries) => new(name, GuestQueueInput.Build((byte)flags, option, parameter, entries));

        var pasidIotlb = PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PageSelectiveWithinPasid).WithDid(DidA).WithAddr(Iova);
        yield return Seed("valid-pasid-iotlb-wait", 0, pasidIotlb.ToBytes(), Wait());
        yield return Seed("valid-per-entry-doorbell", 1 | (1 << Dma), pasidIotlb.ToBytes(), DeviceTlbInvalidate256.Create().WithSid(VridAts).WithAtsRange(Iova, 0).ToBytes(), Wait());
        yield return Seed("valid-128-iotlb-wait", 1 << Narrow, IotlbInvalidate.Create().WithG(IotlbGranularity.PageSelective).WithDid(DidA).WithAddr(Iova).ToBytes(), Wait128());
        yield return Seed("valid-interrupt", 1 << Unmask, InvalidationWait256.Create().WithIf(true).ToBytes());
        yield return SeedWith("valid-wrap", 1 << TwoPages, 250, 0, pasidIotlb.ToBytes(), IotlbInvalidate256.Create().WithG(IotlbGranularity.DomainSelective).WithDid(DidA).ToBytes(), Wait());
        yield return SeedWith("valid-128-wrap", (1 << Narrow) | 1, 252, 0, IotlbInvalidate.Create().WithG(IotlbGranularity.Global).ToBytes(), ContextCacheInvalidate.Create().WithG(ContextCacheGranularity.Global).ToBytes(), Wait128(), Wait128(), Wait128(), Wait128());

        // every descriptor type once, with the fields a Linux guest uses, then a wait
        byte[][] typed =
        [
            ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.Global).ToBytes(),
            ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.DeviceSelective).WithSid(VridAts).WithFm(FunctionMask.ThreeBits).ToBytes(),
            IotlbInvalidate256.Create().WithG(IotlbGranularity.Global).ToBytes(),
            IotlbInvalidate256.Create().WithG(IotlbGranularity.DomainSelective).WithDid(DidA).ToBytes(),
            IotlbInvalidate256.Create().WithG(IotlbGranularity.PageSelective).WithDid(DidA).WithAddr(Iova).WithAm(2).ToBytes(),
            DeviceTlbInvalidate256.Create().WithSid(VridAts).WithAtsRange(0, AtsAddress.MaxSizeOrder).ToBytes(),
            InterruptEntryCacheInvalidate256.Create().WithG(InterruptEntryCacheGranularity.IndexSelective).WithIidx(3).ToBytes(),
            PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PasidSelective).WithDid(DidA).ToBytes(),
            PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.PasidSelective).WithDid(DidA).ToBytes(),
            PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.Global).ToBytes(),
            PasidDeviceTlbInvalidate256.Create().WithSid(VridAts).WithG(true).WithAtsRange(0, AtsAddress.MaxSizeOrder).ToBytes(),
            PageGroupResponse256.Create().WithRid(VridAts).ToBytes(),
        ];
        for (var i = 0; i < typed.Length; i++)
        {
            yield return Seed($"type-{QiDescriptor256Set.Decode(typed[i]).Kind}-{i}", 0, typed[i], Wait());
        }

        // every member of both sets as the generated encoder builds it with zero fields (many are rejected: G = 0)
        foreach (var (set, flags) in new[] { ("QiDescriptor256", 0), ("QiDescriptor", 1 << Narrow) })
        {
            var descriptor = FormatRegistry.Sets.Single(s => s.Vendor == "intel-vtd" && s.Name == set);
            foreach (var m in descriptor.Members)
            {
                yield return Seed($"{set}-{m.Format.Layout.Name}-zero", flags, SeedFactory.Encodings(m.Format).First(), flags == 0 ? Wait() : Wait128());
            }
        }

        // rejected descriptors: the queue stops with an IQE, the wait behind not executed
        var unknown = new byte[32];
        unknown[0] = 0xF;
        yield return Seed("unknown-type", 0, unknown, Wait());
        yield return Seed("unknown-type-recover", 1 << Recover, pasidIotlb.ToBytes(), unknown, pasidIotlb.ToBytes(), Wait());
        var reserved = pasidIotlb.ToBytes();
        reserved[1] |= 0x1; // qw0 bit 8
        yield return Seed("reserved-bit", 0, reserved, Wait());
        var reservedHigh = Wait();
        reservedHigh[20] = 0x80; // bits 255:128 of a 256-bit descriptor
        yield return Seed("reserved-high-half", 1 << Recover, reservedHigh, Wait());
        yield return Seed("am-beyond-mamv", 0, IotlbInvalidate256.Create().WithG(IotlbGranularity.PageSelective).WithDid(DidA).WithAm(IntelVirtualIommu.MaxAddressMask + 1).ToBytes(), Wait());
        yield return Seed("pasid-type-in-128-queue", 1 << Narrow, PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PasidSelective).WithDid(DidA).ToBytes()[..16], Wait128());
        yield return Seed("wait-status-outside-ram", 0, InvalidationWait256.Create().WithSw(true).WithStatusData(1).WithStatusAddress(OutsideRam).ToBytes());

        // VM B's IDs from VM A's queue: its guest DID, its host DID, its physical RIDs
        foreach (var (name, did, sid) in new (string, ulong, ulong)[] { ("guest-did", DidB, VridAts), ("host-did", hostDidB, 0x0200), ("host-rid", hostDidB, 0x0208) })
        {
            yield return Seed($"victim-{name}", 0,
                IotlbInvalidate256.Create().WithG(IotlbGranularity.DomainSelective).WithDid(did).ToBytes(),
                PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PasidSelective).WithDid(did).ToBytes(),
                ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.DeviceSelective).WithSid(sid).WithDid(did).ToBytes(),
                DeviceTlbInvalidate256.Create().WithSid(sid).WithAtsRange(0, AtsAddress.MaxSizeOrder).ToBytes(),
                PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.DomainSelective).WithDid(did).ToBytes(),
                Wait());
        }

        // hostile queue pointers
        yield return SeedWith("tail-misaligned-256", GuestQueueInput.DoorbellRaw, 0, 0x10, pasidIotlb.ToBytes(), Wait());
        yield return SeedWith("tail-raw-max", GuestQueueInput.DoorbellRaw, 0, 0xFFFF, pasidIotlb.ToBytes(), Wait());
        yield return SeedWith("tail-beyond-queue", GuestQueueInput.DoorbellHostile, 0, 3, pasidIotlb.ToBytes(), Wait());
        yield return SeedWith("tail-beyond-queue-128", GuestQueueInput.DoorbellHostile | (1 << Narrow), 0, 0, Wait128());
        yield return SeedWith("tail-behind-head", GuestQueueInput.DoorbellRaw | (1 << Recover), 20, 0x40, pasidIotlb.ToBytes(), Wait());
        yield return Seed("base-outside-ram", 1 << BaseOutsideRam, pasidIotlb.ToBytes(), Wait());
        yield return Seed("empty", 0);
    }

    private static void Ring(World w, ulong value, bool dma)
    {
        w.A.Viommu.WriteRegister(VtdRegister.InvalidationQueueTail, value);
        if (dma)
        {
            foreach (var vrid in new[] { VridAts, VridPlain })
            {
                for (var i = 0; i < Pages; i++)
                {
                    w.A.Device(vrid).Translate(Iova + ((ulong)i << 12), null, Access.Read);
                }
            }
        }

        CheckDefinedState(w.A.Viommu);
    }

    private static void CheckDefinedState(IntelVirtualIommu v)
    {
        FuzzInvariantException.Check(v.Gsts.Qies, "intel-vtd.GuestQueue: the queue was disabled by a doorbell");
        if (v.Faults.Fsts.Iqe)
        {
            FuzzInvariantException.Check(Enum.IsDefined(v.Iqercd.Iqei), $"intel-vtd.GuestQueue: FSTS.IQE with IQERCD.IQEI {v.Iqercd.Iqei}, not an architected code");
            FuzzInvariantException.Check(v.HeadIndex < v.QueueSize, $"intel-vtd.GuestQueue: IQH index {v.HeadIndex} outside the {v.QueueSize}-entry queue");
        }
        else
        {
            FuzzInvariantException.Check(v.HeadIndex == v.TailIndex, $"intel-vtd.GuestQueue: no IQE, but IQH {v.HeadIndex} != IQT {v.TailIndex}: the queue stopped without an error");
        }
    }

    private static byte[] FillerWait(bool narrow, ulong status) => narrow
        ? InvalidationWait.Create().WithSw(true).WithStatusData(IntelVtdIommu.QiDone).WithStatusAddress(status).ToBytes()
        : InvalidationWait256.Create().WithSw(true).WithStatusData(IntelVtdIommu.QiDone).WithStatusAddress(status).ToBytes();

    private static ulong TailValue(bool narrow, ulong index) => narrow
        ? InvalidationQueueTailRegister.Create().WithQt(index).GetWord(0)
        : InvalidationQueueTailRegister256.Create().WithQt(index).GetWord(0);

    private static VictimState Victim(World w)
    {
        var s = new VictimState();
        var b = w.B;
        var iommu = w.Host.Iommu;

        // caches first: the translations below would refill a dropped entry
        s.AddCache("IOTLB under VM B's DIDs", iommu.Iotlb, w.TagsB);
        s.AddCache("VM B ATC of vRID 0x08", b.Device(VridAts).Atc);
        s.AddCache("VM B ATC of vRID 0x10", b.Device(VridPlain).Atc);
        foreach (var vrid in new[] { VridAts, VridPlain })
        {
            var dev = b.Device(vrid);
            for (var i = 0; i < Pages; i++)
            {
                var iova = Iova + ((ulong)i << 12);
                s.AddTranslation($"VM B vRID 0x{vrid:X2} walk of {PageNames[i]}", iommu.WalkUncached(dev, null, iova, Access.Read));
                s.AddTranslation($"VM B vRID 0x{vrid:X2} DMA to {PageNames[i]}", dev.Translate(iova, null, Access.Read));
            }

            s.AddReference($"VM B vRID 0x{vrid:X2} shadow binding", b.Viommu.BoundHwpt(vrid));
            s.AddReference($"VM B vRID 0x{vrid:X2} attachment", dev.Attached);
            iommu.TryReadPasidEntry(dev, null, out var pe);
            s.Add($"host PASID entry of VM B's RID 0x{dev.PhysicalId:X4}", pe.ToBytes());
            iommu.TryReadContext(dev.PhysicalId, out var ctx, out _);
            s.Add($"host context entry of VM B's RID 0x{dev.PhysicalId:X4}", ctx.ToBytes());
        }

        foreach (var (name, offset) in Registers)
        {
            s.Add("VM B " + name, b.Viommu.ReadRegister(offset));
        }

        s.Add("VM B descriptors processed", (ulong)b.Viommu.CommandsProcessed);
        s.Add("VM B queue errors", (ulong)b.Viommu.QueueErrors);
        s.Add("VM B forwarded invalidations", (ulong)b.Viommu.ForwardedInvalidations);
        s.Add("VM B fault records", (ulong)b.Viommu.Faults.Count);
        s.Add("host FSTS.IQE", iommu.Faults.Fsts.Iqe ? 1UL : 0);
        s.Add("host queue pending", iommu.HostQueueHead.Qh == iommu.HostQueueTail.Qt ? 0UL : 1);
        s.AddRam("VM B", b.Memory);
        return s;
    }

    private static readonly (string Name, int Offset)[] Registers =
    [
        ("GSTS", VtdRegister.GlobalStatus),
        ("RTADDR", VtdRegister.RootTableAddress),
        ("FSTS", VtdRegister.FaultStatus),
        ("FECTL", VtdRegister.FaultEventControl),
        ("IQH", VtdRegister.InvalidationQueueHead),
        ("IQT", VtdRegister.InvalidationQueueTail),
        ("IQA", VtdRegister.InvalidationQueueAddress),
        ("ICS", VtdRegister.InvalidationCompletionStatus),
        ("IECTL", VtdRegister.InvalidationEventControl),
        ("IQERCD", VtdRegister.InvalidationQueueErrorRecord),
    ];

    private static void Drive(World w, GuestQueueInput input)
    {
        var a = w.A;
        var v = a.Viommu;
        var q = a.Queue!;
        var narrow = input.Flag(Narrow);
        var dma = input.Flag(Dma);
        var descBytes = narrow ? 16 : 32;
        var baseGpa = q.Base;
        if (narrow || input.Flag(BaseOutsideRam) || input.Flag(TwoPages))
        {
            // the guest re-programs its idle queue: GCMD.QIE = 0, IQA, GCMD.QIE = 1 (IQH and IQT restart at 0)
            v.WriteRegister(VtdRegister.GlobalCommand, v.PersistentCommand.WithQie(false).GetWord(0));
            baseGpa = input.Flag(BaseOutsideRam) ? OutsideRam : q.Base;
            var iqa = InvalidationQueueAddressRegister.Create().WithQs(input.Flag(TwoPages) ? 1UL : 0).WithDw(narrow ? DescriptorWidth.Bits128 : DescriptorWidth.Bits256).WithIqa(baseGpa);
            v.WriteRegister(VtdRegister.InvalidationQueueAddress, iqa.GetWord(0));
            v.WriteRegister(VtdRegister.GlobalCommand, v.PersistentCommand.WithQie(true).GetWord(0));
            FuzzInvariantException.Check(v.Gsts.Qies && v.HeadIndex == 0 && v.DescriptorsAre256Bit == !narrow, "intel-vtd.GuestQueue: re-enabling the idle queue failed");
        }

        if (input.Flag(Unmask))
        {
            v.WriteRegister(VtdRegister.InvalidationEventControl, 0);
        }

        var size = v.QueueSize;
        Span<byte> entry = stackalloc byte[descBytes];
        var fillers = (ulong)input.Option % size;
        if (fillers > 0 && !input.Flag(BaseOutsideRam))
        {
            // the guest's earlier submissions: valid waits, so the fuzzed descriptors start anywhere in the ring
            var wait = FillerWait(narrow, StatusGpa);
            var head = v.HeadIndex;
            for (ulong i = 0; i < fillers; i++)
            {
                a.Memory.TryWrite(baseGpa + ((head + i) % size * (ulong)descBytes), wait);
            }

            Ring(w, TailValue(narrow, (head + fillers) % size), false);
            FuzzInvariantException.Check(!v.Faults.Fsts.Iqe && v.HeadIndex == (head + fillers) % size, "intel-vtd.GuestQueue: valid wait descriptors were not consumed");
        }

        var start = v.HeadIndex;
        var processed = v.CommandsProcessed;
        var n = input.EntryCount(descBytes, (int)Math.Min(MaxEntries, size - 1));
        for (var i = 0; i < n; i++)
        {
            input.CopyEntry(i, entry);
            a.Memory.TryWrite(baseGpa + ((start + (ulong)i) % size * (ulong)descBytes), entry);
        }

        ulong last;
        switch (input.Doorbell)
        {
            case GuestQueueInput.DoorbellPerEntry:
                last = TailValue(narrow, start);
                for (var i = 1; i <= n; i++)
                {
                    last = TailValue(narrow, (start + (ulong)i) % size);
                    Ring(w, last, dma);
                }

                break;
            case GuestQueueInput.DoorbellRaw:
                last = input.Parameter;
                Ring(w, last, dma);
                break;
            case GuestQueueInput.DoorbellHostile:
                last = TailValue(narrow, size + (input.Parameter % 256UL));
                Ring(w, last, dma);
                break;
            default:
                last = TailValue(narrow, (start + (ulong)n) % size);
                Ring(w, last, dma);
                break;
        }

        for (var r = 0; r < MaxRecoveries && input.Flag(Recover) && v.Faults.Fsts.Iqe; r++)
        {
            // the guest's IQE handler: replace the bad descriptor with a wait, clear FSTS.IQE (W1C), write IQT again
            a.Memory.TryWrite(baseGpa + (v.HeadIndex * (ulong)descBytes), FillerWait(narrow, StatusGpa));
            v.WriteRegister(VtdRegister.FaultStatus, FaultStatusRegister.Create().WithIqe(true).GetWord(0));
            FuzzInvariantException.Check(!v.Faults.Fsts.Iqe, "intel-vtd.GuestQueue: writing 1 to FSTS.IQE did not clear it");
            Ring(w, last, dma);
        }

        // IQH never passes IQT, so it moved by exactly the descriptors processed (modulo the queue size)
        var moved = (v.HeadIndex + size - start) % size;
        FuzzInvariantException.Check((ulong)(v.CommandsProcessed - processed) % size == moved, $"intel-vtd.GuestQueue: {v.CommandsProcessed - processed} descriptors processed, IQH moved by {moved}");
    }

    /// <summary>A fresh host with VM A (attacker) and VM B (victim), both configured and their caches warm.</summary>
    private sealed record World(IntelScenario Host, IntelVm A, IntelVm B, IReadOnlySet<ulong> TagsB, ushort HostDidB)
    {
        public static World Build()
        {
            var host = new IntelScenario();
            var a = host.CreateVm("vmA", RamBytes, new IntelVmDevice(0x0100, VridAts), new IntelVmDevice(0x0108, VridPlain, Ats: false));
            var b = host.CreateVm("vmB", RamBytes, new IntelVmDevice(0x0200, VridAts), new IntelVmDevice(0x0208, VridPlain, Ats: false));
            Configure(a, DidA);
            Warm(a);
            var tagsA = VictimState.Tags(host.Iommu.Iotlb);
            Configure(b, DidB);
            Warm(b);
            var tagsB = VictimState.Tags(host.Iommu.Iotlb);
            tagsB.ExceptWith(tagsA);
            var nested = b.Viommu.BoundHwpt(VridAts) as HwptNested ?? throw new InvalidOperationException("VM B has no nested HWPT");
            return new World(host, a, b, tagsB, ((IntelNestedDomain)nested.Domain).Did);
        }

        private static void Configure(IntelVm vm, ushort did)
        {
            vm.EnableGuestIommu();
            var table = vm.NewPageTable();
            for (var i = 0; i < Pages; i++)
            {
                table.Map(Iova + ((ulong)i << 12), Buffer + ((ulong)i << 12));
            }

            if (!vm.GuestAttach(VridAts, did, table) || !vm.GuestAttach(VridPlain, did, table))
            {
                throw new InvalidOperationException($"{vm.Name}: the guest could not attach its devices");
            }
        }

        private static void Warm(IntelVm vm)
        {
            foreach (var vrid in new[] { VridAts, VridPlain })
            {
                for (var i = 0; i < Pages; i++)
                {
                    if (!vm.Device(vrid).Translate(Iova + ((ulong)i << 12), null, Access.Read).IsOk)
                    {
                        throw new InvalidOperationException($"{vm.Name}: DMA of vRID 0x{vrid:X2} failed during set-up");
                    }
                }
            }
        }
    }
}
