using System;
using System.Collections.Generic;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Tests.Iommufd;

/// <summary>
/// A vendor-neutral IOMMU for testing the iommufd object model alone, in the spirit of the kernel's selftest mock driver:
/// a dictionary page table, nested data of 4 bytes (the initial IOTLB value), a vIOMMU type 0xdeadbeef.
/// </summary>
internal sealed class MockIommu : PhysicalIommu
{
    public const uint DataSelftest = 0xdead;
    public const uint ViommuSelftest = 0xdeadbeef;
    private ulong _tags;

    public MockIommu(PhysicalMemory memory, PageAllocator allocator)
        : base("mock", memory, allocator)
    {
    }

    public override string Vendor => "mock";

    public override uint HwInfoType => 0xfeedbeef;

    public override byte[] GetHwInfoData() => [0, 0, 0, 0, 0xef, 0xbe, 0xad, 0xde];

    public override IPageTable CreatePageTable() => new DictionaryPageTable();

    public override ulong AllocateDomainTag() => ++_tags;

    public override IommufdResult<NestedDomain> AllocNested(HwptPaging parent, Viommu? viommu, HwptAllocFlags flags, uint dataType, ReadOnlySpan<byte> data)
    {
        if (dataType != DataSelftest)
        {
            return Errno.EOPNOTSUPP;
        }

        if (data.Length < 4)
        {
            return Errno.EINVAL;
        }

        return IommufdResult<NestedDomain>.Ok(new MockNested(parent.DomainTag));
    }

    public override IommufdResult<ViommuDriver> AllocViommu(uint viommuType, HwptPaging parent) =>
        viommuType == ViommuSelftest ? IommufdResult<ViommuDriver>.Ok(new MockViommu()) : Errno.EOPNOTSUPP;

    public override IommufdResult Attach(Device device, uint? pasid, Hwpt hwpt)
    {
        if (hwpt is HwptNested { Viommu: not null } && device.Vdevice is null)
        {
            return Errno.ENOENT; // the selftest mock requires a vDEVICE first
        }

        return IommufdResult.Ok;
    }

    public override void Detach(Device device, uint? pasid)
    {
    }

    public override TranslationResult Translate(Device device, uint? pasid, ulong iova, Access access)
    {
        var hwpt = device.Attached;
        var table = hwpt switch
        {
            HwptPaging p => p.PageTable,
            HwptNested n => n.Parent.PageTable,
            _ => null,
        };
        if (table is null)
        {
            return TranslationResult.Failed(new TranslationFault(TranslationStage.Config, FaultKind.Blocked, iova, pasid, iova, 0, "BLOCKED", "not attached"));
        }

        var tag = hwpt is HwptPaging hp ? hp.DomainTag : ((HwptNested)hwpt!).Domain.DomainTag;
        if (Iotlb.TryLookup(tag, Device.NoPasid, iova, out var e))
        {
            return TranslationCache.ToResult(e, iova, TranslationSource.Iotlb);
        }

        var r = table.Walk(iova, access);
        if (r.IsOk)
        {
            Iotlb.Insert(tag, Device.NoPasid, iova, new TlbEntry(r.Hpa & ~(r.PageSize - 1), r.PageShift, r.Permissions));
        }

        return r;
    }

    public override void FlushStage2(HwptPaging parent, ulong iova, ulong length) => Iotlb.InvalidateAll();

    private sealed class MockNested(ulong tag) : NestedDomain
    {
        public override ulong DomainTag => tag;
    }

    private sealed class MockViommu : ViommuDriver
    {
    }

    private sealed class DictionaryPageTable : IPageTable
    {
        private readonly Dictionary<ulong, (ulong Hpa, Access Perm)> _pages = new();

        public ulong Root => 0;

        public int Levels => 1;

        public IommufdResult Map(ulong iova, ulong hpa, ulong length, Access permissions)
        {
            for (ulong o = 0; o < length; o += 4096)
            {
                _pages[(iova + o) >> 12] = (hpa + o, permissions);
            }

            return IommufdResult.Ok;
        }

        public ulong Unmap(ulong iova, ulong length)
        {
            ulong n = 0;
            for (ulong o = 0; o < length; o += 4096)
            {
                if (_pages.Remove((iova + o) >> 12))
                {
                    n += 4096;
                }
            }

            return n;
        }

        public TranslationResult Walk(ulong iova, Access access, Action<WalkStep>? trace = null) =>
            _pages.TryGetValue(iova >> 12, out var p) && (p.Perm & access) == (access & Access.ReadWrite)
                ? TranslationResult.Success(p.Hpa | (iova & 0xFFF), 12, p.Perm)
                : TranslationResult.Failed(new TranslationFault(TranslationStage.Stage2, FaultKind.NotPresent, iova, null, iova, 1, "NOT_PRESENT", "unmapped"));
    }
}
