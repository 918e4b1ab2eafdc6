using System;
using System.Buffers.Binary;
using System.Numerics;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.IntelVtd;
using HwSpecGen.Runtime;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// The host invalidation path: the driver builds 256-bit descriptors with the generated encoders (as <c>cache.c</c> /
/// <c>qi_submit_sync</c> do), writes them into the host invalidation queue in host memory followed by a wait descriptor,
/// moves IQT, and the hardware consumes them through the generated <see cref="QiDescriptor256Set"/> dispatcher.
/// </summary>
public sealed partial class IntelVtdIommu
{
    /// <summary>Linux <c>QI_DONE</c>.</summary>
    public const uint QiDone = 2;

    /// <summary>Linux <c>QI_IN_USE</c>.</summary>
    public const uint QiInUse = 1;

    private const int QiBatch = 16; // QI_MAX_BATCHED_DESC_COUNT
    private const int DescBytes = 32;
    private ulong _qiStatus;
    private InvalidationQueueAddressRegister _hostIqa;
    private ulong _hostHead;
    private ulong _hostTail;

    /// <summary>IQA_REG of the host invalidation queue.</summary>
    public InvalidationQueueAddressRegister HostQueueAddress => _hostIqa;

    /// <summary>IQH_REG of the host invalidation queue.</summary>
    public InvalidationQueueHeadRegister256 HostQueueHead => InvalidationQueueHeadRegister256.Create().WithQh(_hostHead);

    /// <summary>IQT_REG of the host invalidation queue.</summary>
    public InvalidationQueueTailRegister256 HostQueueTail => InvalidationQueueTailRegister256.Create().WithQt(_hostTail);

    /// <summary>Host descriptors processed since creation.</summary>
    public long HostDescriptorsProcessed { get; private set; }

    /// <summary>ATC entries removed by synthesized device-TLB invalidations since creation.</summary>
    public long AtcEntriesInvalidated { get; private set; }

    /// <summary>IOTLB entries removed by host invalidations since creation.</summary>
    public long IotlbEntriesInvalidated { get; private set; }

    /// <summary>Device-TLB invalidation descriptors the host synthesized since creation.</summary>
    public long DeviceTlbDescriptorsSynthesized { get; private set; }

    /// <summary>
    /// <c>intel_nested_cache_invalidate_user</c>: data type not VTD_S1 → EINVAL with nothing handled; per entry, in order:
    /// <c>entry_len</c> not 24 → EINVAL (the copy helper), unknown flags or non-zero <c>__reserved</c> → EOPNOTSUPP,
    /// <c>addr</c> not 4 KiB aligned or <c>npages == U64_MAX</c> with <c>addr != 0</c> → EINVAL; otherwise the range is
    /// flushed from the IOTLB for the nested domain's DID and every attached PASID, and the host synthesizes device-TLB
    /// invalidations for every attached device with ATS enabled. <paramref name="done"/> = entries handled.
    /// </summary>
    public override IommufdResult InvalidateNested(HwptNested hwpt, uint dataType, uint entryLength, ReadOnlySpan<byte> entries, uint entryCount, out uint done)
    {
        done = 0;
        if (dataType != IntelUapi.HwptInvalidateDataVtdS1)
        {
            return Errno.EINVAL;
        }

        if (hwpt.Domain is not IntelNestedDomain domain)
        {
            return Errno.EINVAL;
        }

        for (uint i = 0; i < entryCount; i++)
        {
            if (entryLength != IommuHwptVtdS1Invalidate.Size)
            {
                return Errno.EINVAL;
            }

            var offset = (long)i * entryLength;
            if (offset + entryLength > entries.Length)
            {
                return Errno.EFAULT;
            }

            var e = IommuHwptVtdS1Invalidate.Read(entries.Slice((int)offset, (int)entryLength));
            if ((e.Flags & ~IntelUapi.VtdInvFlagsLeaf) != 0 || e.Reserved != 0)
            {
                return Errno.EOPNOTSUPP;
            }

            if ((e.Addr & 0xFFF) != 0 || (e.Npages == ulong.MaxValue && e.Addr != 0))
            {
                return Errno.EINVAL;
            }

            // npages = 0: Linux computes the end as addr - 1, which is "everything" for addr 0 and an empty (reversed)
            // range otherwise; the model flushes everything, or nothing
            if (e.Npages != 0 || e.Addr == 0)
            {
                FlushNestedRange(hwpt, domain, e.Addr, EndOf(e.Addr, e.Npages), (e.Flags & IntelUapi.VtdInvFlagsLeaf) != 0);
            }

            done++;
        }

        return IommufdResult.Ok;
    }

    /// <summary>
    /// The host changed the nest parent's stage 2 (IOAS unmap): flush the parent's DID by range, every nested child's DID
    /// (nested results cannot be found by stage-2 address), and the device TLBs of everything attached — by range for
    /// the parent, entirely for the children (Linux cache tags <c>NESTING_IOTLB</c> / <c>NESTING_DEVTLB</c>).
    /// </summary>
    public override void FlushStage2(HwptPaging parent, ulong iova, ulong length)
    {
        if (length == 0)
        {
            return;
        }

        var last = iova + length - 1 < iova ? ulong.MaxValue : iova + length - 1;
        Span<byte> batch = stackalloc byte[(QiBatch + 1) * DescBytes];
        var n = 0;
        var (addr, mask, all) = PsiAligned(iova, last);
        var did = (ushort)parent.DomainTag;
        n = AddIotlb(batch, n, did, addr, mask, all);
        foreach (var (dev, pasid) in parent.Attached)
        {
            n = AddDeviceTlb(batch, n, dev, pasid, addr, mask, all);
        }

        foreach (var child in NestedChildren(parent))
        {
            if (child.Did == 0 || child.Owner is null)
            {
                continue;
            }

            n = AddIotlb(batch, n, child.Did, addr, mask, all);
            foreach (var (dev, pasid) in child.Owner.Attached)
            {
                n = AddDeviceTlb(batch, n, dev, pasid, 0, AtsAddress.MaxSizeOrder, true);
            }
        }

        Submit(batch, n);
    }

    /// <summary>
    /// The host driver submitting one 256-bit descriptor (e.g. a context-cache or PASID-cache invalidation) through the
    /// host invalidation queue, followed by a wait descriptor, as <c>qi_submit_sync</c> does.
    /// </summary>
    public void SubmitHostDescriptor<T>(T descriptor)
        where T : struct, IHardwareFormat<T>
    {
        Span<byte> batch = stackalloc byte[2 * DescBytes];
        Submit(batch, Add(batch, 0, descriptor));
    }

    private static ulong EndOf(ulong addr, ulong npages)
    {
        if (npages == 0)
        {
            return addr - 1; // wraps to U64_MAX for addr 0
        }

        if (npages > ulong.MaxValue >> 12)
        {
            return ulong.MaxValue;
        }

        var size = npages << 12;
        return addr + size - 1 < addr ? ulong.MaxValue : addr + size - 1;
    }

    /// <summary>Linux <c>calculate_psi_aligned_address</c>: the (ADDR, AM) that covers [start, end]; "all" when AM would reach 52.</summary>
    private static (ulong Addr, int Mask, bool All) PsiAligned(ulong start, ulong end)
    {
        if (end < start)
        {
            return (start & ~0xFFFUL, 0, false);
        }

        var pages = ((end >> 12) - (start >> 12)) + 1;
        if (pages == 0 || pages > 1UL << 51)
        {
            return (0, AtsAddress.MaxSizeOrder, true);
        }

        var aligned = BitOperations.RoundUpToPowerOf2(pages);
        var mask = BitOperations.Log2(aligned);
        var pfn = start >> 12;
        if (((aligned - 1) & pfn) != 0)
        {
            var endPfn = pfn + pages - 1;
            var shared = ~(pfn ^ endPfn) & ~(aligned - 1);
            mask = shared != 0 ? BitOperations.TrailingZeroCount(shared) : AtsAddress.MaxSizeOrder;
        }

        if (mask >= AtsAddress.MaxSizeOrder)
        {
            return (0, AtsAddress.MaxSizeOrder, true);
        }

        return (start & ~((0x1000UL << mask) - 1), mask, false);
    }

    private void InitializeInvalidationQueue()
    {
        // Linux __dmar_enable_qi with ECAP.SMTS: QS = 1 (8 KiB), DW = 1 (256-bit descriptors) → 256 entries
        var queue = Allocator.Allocate(2 * PhysicalMemory.PageSize);
        _qiStatus = Allocator.Allocate(PhysicalMemory.PageSize);
        _hostIqa = InvalidationQueueAddressRegister.Create().WithQs(1).WithDw(DescriptorWidth.Bits256).WithIqa(queue);
    }

    /// <summary>Flushes [first, last] of a nested HWPT: one PASID-IOTLB descriptor per attached PASID, one device-TLB descriptor per attached ATS device.</summary>
    private void FlushNestedRange(HwptNested hwpt, IntelNestedDomain domain, ulong first, ulong last, bool leaf)
    {
        if (domain.Did == 0)
        {
            return; // never attached: nothing can be cached under it
        }

        Span<byte> batch = stackalloc byte[(QiBatch + 1) * DescBytes];
        Span<uint> seen = stackalloc uint[QiBatch];
        var nSeen = 0;
        var n = 0;
        var (addr, mask, all) = first == 0 && last == ulong.MaxValue ? (0UL, AtsAddress.MaxSizeOrder, true) : PsiAligned(first, last);
        foreach (var (dev, pasid) in hwpt.Attached)
        {
            var hostPasid = pasid ?? RidPasid;
            if (seen[..nSeen].IndexOf(hostPasid) < 0)
            {
                if (nSeen < seen.Length)
                {
                    seen[nSeen++] = hostPasid;
                }

                var piotlb = PasidIotlbInvalidate256.Create().WithDid(domain.Did).WithPasid(hostPasid);
                piotlb = all
                    ? piotlb.WithG(PasidIotlbGranularity.PasidSelective)
                    : piotlb.WithG(PasidIotlbGranularity.PageSelectiveWithinPasid).WithAddr(addr).WithAm((ulong)mask).WithIh(leaf);
                n = Add(batch, n, piotlb);
            }

            n = AddDeviceTlb(batch, n, dev, pasid, addr, mask, all);
        }

        Submit(batch, n);
    }

    /// <summary>After a PASID entry was cleared (<c>intel_pasid_tear_down_entry</c>): PASID cache, IOTLB, device TLB.</summary>
    private void FlushTornDownEntry(Device device, uint? pasid, PasidTableEntry old)
    {
        Span<byte> batch = stackalloc byte[(QiBatch + 1) * DescBytes];
        var hostPasid = pasid ?? RidPasid;
        var n = Add(batch, 0, PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.PasidSelective).WithDid(old.Did).WithPasid(hostPasid));
        n = old.Pgtt is PasidGranularTranslationType.PassThrough or PasidGranularTranslationType.FirstStageOnly
            ? Add(batch, n, PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PasidSelective).WithDid(old.Did).WithPasid(hostPasid))
            : Add(batch, n, IotlbInvalidate256.Create().WithG(IotlbGranularity.DomainSelective).WithDid(old.Did).WithDw(true).WithDr(true));
        n = AddDeviceTlb(batch, n, device, pasid, 0, AtsAddress.MaxSizeOrder, true);
        Submit(batch, n);
    }

    private int AddIotlb(Span<byte> batch, int n, ushort did, ulong addr, int mask, bool all)
    {
        var d = IotlbInvalidate256.Create().WithDid(did).WithDw(true).WithDr(true);
        d = all || (ulong)mask > Cap.Mamv
            ? d.WithG(IotlbGranularity.DomainSelective)
            : d.WithG(IotlbGranularity.PageSelective).WithAddr(addr).WithAm((ulong)mask);
        return Add(batch, n, d);
    }

    /// <summary>The host synthesizes an ATC invalidation: type 3 for a RID attachment, type 8 for a PASID one; only when ATS is enabled.</summary>
    private int AddDeviceTlb(Span<byte> batch, int n, Device device, uint? pasid, ulong addr, int mask, bool all)
    {
        if (!device.AtsEnabled)
        {
            return n;
        }

        var order = all ? AtsAddress.MaxSizeOrder : mask;
        var start = all ? 0 : addr;
        DeviceTlbDescriptorsSynthesized++;
        return pasid is null
            ? Add(batch, n, DeviceTlbInvalidate256.Create().WithSid(device.PhysicalId).WithAtsRange(start, order))
            : Add(batch, n, PasidDeviceTlbInvalidate256.Create().WithSid(device.PhysicalId).WithPasid(pasid.Value).WithAtsRange(start, order));
    }

    private int Add<T>(Span<byte> batch, int n, T descriptor)
        where T : struct, IHardwareFormat<T>
    {
        if (n == QiBatch)
        {
            Submit(batch, n);
            n = 0;
        }

        descriptor.WriteTo(batch.Slice(n * DescBytes, DescBytes));
        return n + 1;
    }

    /// <summary><c>qi_submit_sync</c>: copy the descriptors and a status-write wait descriptor into the queue, move IQT, wait for the status.</summary>
    private void Submit(Span<byte> batch, int n)
    {
        if (n == 0)
        {
            return;
        }

        var size = _hostIqa.DescriptorCount;
        var queue = _hostIqa.Iqa;
        var statusSlot = _qiStatus + ((_hostTail % 1024) * 4);
        Memory.TryWriteUInt32(statusSlot, QiInUse);
        InvalidationWait256.Create().WithSw(true).WithStatusData(QiDone).WithStatusAddress(statusSlot).WriteTo(batch.Slice(n * DescBytes, DescBytes));
        for (var i = 0; i <= n; i++)
        {
            Memory.TryWrite(queue + (_hostTail * DescBytes), batch.Slice(i * DescBytes, DescBytes));
            _hostTail = (_hostTail + 1) % size;
        }

        ProcessHostQueue();
        if (!Memory.TryReadUInt32(statusSlot, out var status) || status != QiDone)
        {
            CommandTrace?.Invoke($"host QI: wait status 0x{status:X} at 0x{statusSlot:X} (queue error)");
        }
    }

    /// <summary>The hardware consuming the host queue from IQH to IQT.</summary>
    private void ProcessHostQueue()
    {
        Span<byte> desc = stackalloc byte[DescBytes];
        var size = _hostIqa.DescriptorCount;
        while (_hostHead != _hostTail)
        {
            if (!Memory.TryRead(_hostIqa.Iqa + (_hostHead * DescBytes), desc))
            {
                Faults.InvalidationQueueError();
                return;
            }

            var set = QiDescriptor256Set.Decode(desc);
            if (!set.IsValid)
            {
                Faults.InvalidationQueueError();
                CommandTrace?.Invoke($"host QI[{_hostHead}]: {set} rejected (IQE)");
                return;
            }

            ApplyHostDescriptor(set);
            HostDescriptorsProcessed++;
            _hostHead = (_hostHead + 1) % size;
        }
    }

    private void ApplyHostDescriptor(in QiDescriptor256Set set)
    {
        var removed = 0;
        var what = "IOTLB";
        switch (set.Kind)
        {
            case QiDescriptor256Kind.PasidIotlbInvalidate256 when set.TryGet(out PasidIotlbInvalidate256 p):
                {
                    var r = p.CoveredRange;
                    removed = p.G == PasidIotlbGranularity.PasidSelective
                        ? Iotlb.InvalidateSpace(p.Did, p.Pasid)
                        : Iotlb.InvalidateRange(p.Did, p.Pasid, r.First, r.Last);
                    IotlbEntriesInvalidated += removed;
                    break;
                }

            case QiDescriptor256Kind.IotlbInvalidate256 when set.TryGet(out IotlbInvalidate256 t):
                {
                    var r = t.CoveredRange;
                    removed = t.G switch
                    {
                        IotlbGranularity.Global => Iotlb.InvalidateAll(),
                        IotlbGranularity.DomainSelective => Iotlb.InvalidateTag(t.Did),

                        // a DID-based page-selective invalidation drops every first-stage / nested entry of the DID
                        _ => _nestedDids.Contains((ushort)t.Did) ? Iotlb.InvalidateTag(t.Did) : Iotlb.InvalidateRangeAllSpaces(t.Did, r.First, r.Last),
                    };
                    IotlbEntriesInvalidated += removed;
                    break;
                }

            case QiDescriptor256Kind.ContextCacheInvalidate256 when set.TryGet(out ContextCacheInvalidate256 c):
                what = "context cache";
                removed = InvalidateContextCache(c.G, (uint)c.Sid, c.Fm);
                break;
            case QiDescriptor256Kind.PasidCacheInvalidate256 when set.TryGet(out PasidCacheInvalidate256 pc):
                what = "PASID cache";
                removed = InvalidatePasidCache(pc.G, pc.Did, (uint)pc.Pasid);
                break;
            case QiDescriptor256Kind.DeviceTlbInvalidate256 when set.TryGet(out DeviceTlbInvalidate256 d):
                {
                    what = "ATC";
                    if (_deviceByRid.TryGetValue((uint)d.Sid, out var dev))
                    {
                        var r = d.CoveredRange;
                        removed = dev.Atc.InvalidateRange(0, Device.NoPasid, r.First, r.Last);
                    }

                    AtcEntriesInvalidated += removed;
                    break;
                }

            case QiDescriptor256Kind.PasidDeviceTlbInvalidate256 when set.TryGet(out PasidDeviceTlbInvalidate256 d):
                {
                    what = "ATC";
                    if (_deviceByRid.TryGetValue((uint)d.Sid, out var dev))
                    {
                        var r = d.CoveredRange;
                        removed = d.G ? dev.Atc.InvalidateRangeAllSpaces(0, r.First, r.Last) : dev.Atc.InvalidateRange(0, d.Pasid, r.First, r.Last);
                    }

                    AtcEntriesInvalidated += removed;
                    break;
                }

            case QiDescriptor256Kind.InvalidationWait256 when set.TryGet(out InvalidationWait256 w):
                what = "status";
                if (w.Sw)
                {
                    Memory.TryWriteUInt32(w.StatusAddress, (uint)w.StatusData);
                }

                break;
            default:
                what = "no cache modelled";
                break;
        }

        CommandTrace?.Invoke($"host QI[{_hostHead}]: {set} → {what}: {removed} removed");
    }
}
