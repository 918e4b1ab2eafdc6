using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Intel;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Tests.Intel;

/// <summary>
/// Two VMs (two iommufds, two emulated VT-d units) on one physical remapping unit: nothing VM A puts in its queue —
/// any descriptor type, VM B's guest DIDs and RIDs, VM B's host DIDs, random bytes, bad tails — changes VM B's cached
/// or walked translations, its registers or its queue.
/// </summary>
public sealed class IsolationTests
{
    private const ulong Iova = 0x4000_0000;
    private const ushort DidA = 5;
    private const ushort DidB = 7;

    [Fact]
    public void EveryDescriptorTypeNamingVmBsIdsLeavesVmBIntact()
    {
        var (host, a, b) = TwoVms();
        var before = Snapshot(host, b);
        var hostDidB = HostDid(b);
        var ids = new ulong[] { DidB, hostDidB, DidA, 0, 0xFFFF };
        var sids = new ulong[] { 0x08, 0x10, b.Device(0x08).PhysicalId, b.Device(0x10).PhysicalId, 0xFFFF };
        var q = a.Queue!;
        foreach (var id in ids)
        {
            foreach (var sid in sids)
            {
                q.SubmitSync(
                    QiCommands.Of(ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.DeviceSelective).WithSid(sid).WithDid(id)),
                    QiCommands.Of(ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.Global)),
                    QiCommands.Of(IotlbInvalidate256.Create().WithG(IotlbGranularity.Global)),
                    QiCommands.Of(IotlbInvalidate256.Create().WithG(IotlbGranularity.DomainSelective).WithDid(id)),
                    QiCommands.Of(IotlbInvalidate256.Create().WithG(IotlbGranularity.PageSelective).WithDid(id).WithAddr(Iova)),
                    QiCommands.Of(DeviceTlbInvalidate256.Create().WithSid(sid).WithAtsRange(0, AtsAddress.MaxSizeOrder)),
                    QiCommands.Of(InterruptEntryCacheInvalidate256.Create()),
                    QiCommands.Of(PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PasidSelective).WithDid(id)),
                    QiCommands.Of(PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.Global).WithDid(id)),
                    QiCommands.Of(PasidDeviceTlbInvalidate256.Create().WithSid(sid).WithG(true).WithAtsRange(0, AtsAddress.MaxSizeOrder)),
                    QiCommands.Of(PageGroupResponse256.Create().WithRid(sid)));
            }
        }

        Assert.False(a.Viommu.Faults.Fsts.Iqe);
        Assert.True(a.Viommu.CommandsProcessed > 250);
        AssertUnchanged(host, b, before);

        // and VM A's own caches were flushed by its global invalidations
        Assert.Equal(0, a.Device(0x08).Atc.Count);
    }

    [Fact]
    public void VmAsGuestDidEqualToVmBsHostDidFlushesOnlyVmA()
    {
        var (host, a, b) = TwoVms();
        var before = Snapshot(host, b);
        var hostDidB = (ushort)HostDid(b);

        // VM A's guest reuses VM B's host DID as its own guest DID
        var table = a.NewPageTable();
        table.Map(Iova, 0x0190_0000);
        Assert.True(a.GuestAttach(0x08, hostDidB, table));
        Assert.True(a.Device(0x08).Translate(Iova, null, Access.Read).IsOk);
        Assert.True(a.Queue!.SubmitSync(QiCommands.PasidIotlbAll(hostDidB, 0), QiCommands.IotlbDomain(hostDidB)));

        Assert.Equal(0, a.Device(0x08).Atc.Count);
        AssertUnchanged(host, b, before);
    }

    [Fact]
    public void RandomCommandStreamsFromVmANeverTouchVmB()
    {
        // a descriptor spec: how to build it (well-formed / one bit flipped / raw random bytes), which type, random fields
        var spec = Gen.Select(Gen.Int[0, 99], Gen.Int[1, 9], Gen.ULong, Gen.ULong, Gen.Int[0, 255]);
        var action = Gen.Select(spec.Array[1, 6], Gen.Int[0, 9]);

        // every sample starts from two fresh VMs, so a failing seed reproduces on its own
        long processed = 0, forwarded = 0;
        action.Array[1, 8].Sample(stream =>
        {
            var (host, a, b) = TwoVms();
            var before = Snapshot(host, b);
            var q = a.Queue!;
            var ids = new ulong[] { DidA, DidB, HostDid(a), HostDid(b), 0, 0xFFFF, 0x08, 0x10, b.Device(0x08).PhysicalId, b.Device(0x10).PhysicalId };
            var processedBefore = a.Viommu.CommandsProcessed;
            var forwardedBefore = a.Viommu.ForwardedInvalidations;
            foreach (var (descriptors, op) in stream)
            {
                foreach (var (how, type, r1, r2, bit) in descriptors)
                {
                    q.WriteRaw(Build(how, type, r1, r2, bit, ids, q.StatusArea));
                }

                if (op == 0)
                {
                    // a hostile tail
                    a.Viommu.WriteRegister(VtdRegister.InvalidationQueueTail, r2Tail(stream.Length));
                }
                else
                {
                    q.Ring();
                }

                if (a.Viommu.Faults.Fsts.Iqe)
                {
                    q.RecoverFromError();
                }

                // VM A keeps using its device in between
                a.Device(0x08).Translate(Iova, null, Access.Read);
            }

            AssertUnchanged(host, b, before);
            processed += a.Viommu.CommandsProcessed - processedBefore;
            forwarded += a.Viommu.ForwardedInvalidations - forwardedBefore;
        }, iter: 60, threads: 1);

        // the streams were not all rejected at the first descriptor: VM A's unit processed and forwarded commands
        Assert.True(processed > 150, $"{processed} commands processed");
        Assert.True(forwarded > 10, $"{forwarded} invalidations forwarded, {processed} commands processed");

        static ulong r2Tail(int n) => n % 2 == 0 ? ulong.MaxValue : 0x10;
    }

    /// <summary>A descriptor for the random streams: 70% well-formed, 20% one bit flipped, 10% raw random words.</summary>
    private static byte[] Build(int how, int type, ulong r1, ulong r2, int bit, ulong[] ids, ulong statusArea)
    {
        ulong Id(int shift) => ids[(int)((r1 >> shift) % (ulong)ids.Length)];
        var addr = r2 & 0x0000_FFFF_FFFF_F000UL;
        var am = (r1 >> 40) % 20;
        byte[] bytes = type switch
        {
            1 => ContextCacheInvalidate256.Create().WithG((ContextCacheGranularity)(1 + (r1 % 3))).WithSid(Id(8)).WithDid(Id(16)).WithFm((FunctionMask)((r1 >> 24) & 3)).ToBytes(),
            2 => IotlbInvalidate256.Create().WithG((IotlbGranularity)(1 + (r1 % 3))).WithDid(Id(8)).WithAm(am).WithAddr(addr).WithIh((r1 & 0x100) != 0).ToBytes(),
            3 => DeviceTlbInvalidate256.Create().WithSid(Id(8)).WithAtsRange(addr, (int)(am % 53)).ToBytes(),
            4 => InterruptEntryCacheInvalidate256.Create().WithG((InterruptEntryCacheGranularity)(r1 & 1)).WithIidx((r1 >> 8) & 0xFFFF).ToBytes(),
            5 => InvalidationWait256.Create().WithSw((r1 & 1) != 0).WithIf((r1 & 2) != 0 || (r1 & 1) == 0).WithStatusData(r2 >> 32).WithStatusAddress(statusArea + ((r1 >> 8) & 0xFFC)).ToBytes(),
            6 => PasidIotlbInvalidate256.Create().WithG((PasidIotlbGranularity)(2 + (r1 % 2))).WithDid(Id(8)).WithPasid((r1 & 0x10000) != 0 ? (r2 >> 44) & 0xFFFFF : 0).WithAm(am).WithAddr(addr).WithIh((r1 & 0x100) != 0).ToBytes(),
            7 => PasidCacheInvalidate256.Create().WithG((r1 % 3) switch { 0 => PasidCacheGranularity.DomainSelective, 1 => PasidCacheGranularity.PasidSelective, _ => PasidCacheGranularity.Global }).WithDid(Id(8)).WithPasid((r2 >> 44) & 0xF).ToBytes(),
            8 => PasidDeviceTlbInvalidate256.Create().WithSid(Id(8)).WithPasid((r2 >> 44) & 0xF).WithG((r1 & 0x100) != 0).WithAtsRange(addr, (int)(am % 53)).ToBytes(),
            _ => PageGroupResponse256.Create().WithRid(Id(8)).WithPrgi(r1 & 0x1FF).ToBytes(),
        };
        if (how >= 90)
        {
            // raw random words, the type kept half of the time
            for (var i = 0; i < 4; i++)
            {
                BitConverter.GetBytes(r1 * (ulong)(i + 1) ^ (r2 << i)).CopyTo(bytes, i * 8);
            }

            if (how >= 95)
            {
                bytes[0] = (byte)((bytes[0] & 0xF0) | type);
            }
        }
        else if (how >= 70)
        {
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        return bytes;
    }

    private static (IntelScenario Host, IntelVm A, IntelVm B) TwoVms()
    {
        var host = new IntelScenario();
        var a = host.CreateVm("vmA", 0x0200_0000, new IntelVmDevice(0x0100, 0x08), new IntelVmDevice(0x0108, 0x10, Ats: false));
        var b = host.CreateVm("vmB", 0x0200_0000, new IntelVmDevice(0x0200, 0x08), new IntelVmDevice(0x0208, 0x10, Ats: false));
        foreach (var (vm, did) in new[] { (a, DidA), (b, DidB) })
        {
            vm.EnableGuestIommu();
            var table = vm.NewPageTable();
            for (ulong i = 0; i < 4; i++)
            {
                table.Map(Iova + (i << 12), 0x0180_0000 + (i << 12));
            }

            Assert.True(vm.GuestAttach(0x08, did, table));
            Assert.True(vm.GuestAttach(0x10, did, table));
            for (ulong i = 0; i < 4; i++)
            {
                Assert.True(vm.Device(0x08).Translate(Iova + (i << 12), null, Access.Read).IsOk);
                Assert.True(vm.Device(0x10).Translate(Iova + (i << 12), null, Access.Read).IsOk);
            }
        }

        return (host, a, b);
    }

    private static ulong HostDid(IntelVm vm) => ((IntelNestedDomain)((HwptNested)vm.Viommu.BoundHwpt(0x08)!).Domain).Did;

    private static VmState Snapshot(IntelScenario host, IntelVm vm)
    {
        var did = HostDid(vm);
        var iotlb = host.Iommu.Iotlb.Entries.Where(e => e.Key.Tag == did).OrderBy(e => e.Key.Base).ToList();
        var atc = vm.Device(0x08).Atc.Entries.OrderBy(e => e.Key.Base).ToList();
        var walks = Enumerable.Range(0, 4).Select(i => Walk(host, vm, Iova + ((ulong)i << 12))).ToList();
        return new VmState(iotlb, atc, walks, vm.Viommu.Faults.Fsts, vm.Viommu.HeadIndex, vm.Viommu.BoundHwpt(0x08), vm.Viommu.BoundHwpt(0x10));
    }

    private static ulong Walk(IntelScenario host, IntelVm vm, ulong iova)
    {
        // what the tables in memory say now, bypassing every cache
        var r = host.Iommu.WalkUncached(vm.Device(0x10), null, iova, Access.Read);
        return r.IsOk ? r.Hpa : ulong.MaxValue;
    }

    private static void AssertUnchanged(IntelScenario host, IntelVm vm, VmState before)
    {
        var now = Snapshot(host, vm);
        Assert.Equal(before.Iotlb, now.Iotlb);
        Assert.Equal(before.Atc, now.Atc);
        Assert.Equal(before.Walks, now.Walks);
        Assert.Equal(before.Fsts, now.Fsts);
        Assert.Equal(before.Head, now.Head);
        Assert.Same(before.BoundA, now.BoundA);
        Assert.Same(before.BoundB, now.BoundB);
    }

    private sealed record VmState(List<KeyValuePair<TlbKey, TlbEntry>> Iotlb, List<KeyValuePair<TlbKey, TlbEntry>> Atc, List<ulong> Walks, FaultStatusRegister Fsts, ulong Head, Hwpt? BoundA, Hwpt? BoundB);
}
