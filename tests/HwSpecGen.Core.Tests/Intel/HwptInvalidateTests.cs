using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Intel;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Tests.Intel;

/// <summary>
/// IOMMU_HWPT_INVALIDATE on a VT-d nested HWPT (<c>intel_nested_cache_invalidate_user</c>): the errnos, entry_num
/// partial progress, and the host's synthesized device-TLB invalidations (selftest checklist 6.3).
/// </summary>
public sealed class HwptInvalidateTests
{
    private const ulong Iova = 0x4000_0000;
    private const int Len = IommuHwptVtdS1Invalidate.Size;

    private readonly IntelScenario _host;
    private readonly IntelVm _vm;
    private readonly Device _a;
    private readonly Device _b;
    private readonly Device _plain;
    private readonly HwptNested _nested;

    public HwptInvalidateTests()
    {
        _host = new IntelScenario();
        _vm = _host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08), new IntelVmDevice(0x0108, 0x10), new IntelVmDevice(0x0110, 0x18, Ats: false));
        (_a, _b, _plain) = (_vm.Device(0x08), _vm.Device(0x10), _vm.Device(0x18));
        var table = _vm.NewPageTable();
        for (ulong i = 0; i < 8; i++)
        {
            table.Map(Iova + (i << 12), 0x0180_0000 + (i << 12));
        }

        _nested = (HwptNested)_vm.Fd.HwptAlloc(_a.Id, _vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, new IommuHwptVtdS1(0, table.Root, 48).ToBytes()).Value;
        foreach (var d in new[] { _a, _b, _plain })
        {
            Assert.True(_vm.Fd.Replace(d.Id, null, _nested.Id).IsOk);
        }

        Warm();
    }

    private ushort Did => ((IntelNestedDomain)_nested.Domain).Did;

    [Fact]
    public void InvalidatingTheParentIsEinval()
    {
        uint n = 1;
        Assert.Equal(Errno.EINVAL, _vm.Fd.HwptInvalidate(_vm.NestParent.Id, IntelUapi.HwptInvalidateDataVtdS1, Len, Entry(Iova, 1), ref n).Error);
        Assert.Equal(0u, n);
    }

    [Fact]
    public void ZeroEntriesProbesTheType()
    {
        uint n = 0;
        Assert.True(_vm.Fd.HwptInvalidate(_nested.Id, IntelUapi.HwptInvalidateDataVtdS1, 0, ReadOnlySpan<byte>.Empty, ref n).IsOk);
        Assert.Equal(0u, n);
        Assert.Equal(Errno.EINVAL, _vm.Fd.HwptInvalidate(_nested.Id, 1, 0, ReadOnlySpan<byte>.Empty, ref n).Error);
        AssertNothingFlushed();
    }

    [Theory]
    [InlineData(1u, 24u, false, Errno.EINVAL)] // wrong data_type: nothing processed
    [InlineData(IntelUapi.HwptInvalidateDataVtdS1, 25u, false, Errno.EINVAL)]
    [InlineData(IntelUapi.HwptInvalidateDataVtdS1, 1u, false, Errno.EINVAL)]
    [InlineData(IntelUapi.HwptInvalidateDataVtdS1, 0u, false, Errno.EINVAL)]
    [InlineData(IntelUapi.HwptInvalidateDataVtdS1, 24u, true, Errno.EINVAL)] // data_uptr = NULL
    public void MalformedArraysAreRefusedWithNothingHandled(uint type, uint entryLength, bool nullPointer, Errno expected)
    {
        var data = new byte[64];
        uint n = 1;
        var r = _vm.Fd.HwptInvalidate(_nested.Id, type, entryLength, data, ref n, nullPointer);
        Assert.Equal(expected, r.Error);
        Assert.Equal(0u, n);
        AssertNothingFlushed();
    }

    [Theory]
    [InlineData(0x4000_0000UL, 1UL, 0xFFFF_FFFFu, 0u, Errno.EOPNOTSUPP)]
    [InlineData(0x4000_0000UL, 1UL, 2u, 0u, Errno.EOPNOTSUPP)]
    [InlineData(0x4000_0000UL, 1UL, 0u, 1u, Errno.EOPNOTSUPP)]
    [InlineData(0x4000_0800UL, 1UL, 0u, 0u, Errno.EINVAL)]
    [InlineData(0x4000_0000UL, ulong.MaxValue, 0u, 0u, Errno.EINVAL)]
    public void BadEntriesAreRefusedWithTheDriversErrno(ulong addr, ulong npages, uint flags, uint reserved, Errno expected)
    {
        uint n = 1;
        var r = _vm.Fd.HwptInvalidate(_nested.Id, IntelUapi.HwptInvalidateDataVtdS1, Len, new IommuHwptVtdS1Invalidate(addr, npages, flags, reserved).ToBytes(), ref n);
        Assert.Equal(expected, r.Error);
        Assert.Equal(0u, n);
        AssertNothingFlushed();
    }

    [Fact]
    public void SecondEntryBadStopsAfterTheFirstWhichStaysApplied()
    {
        uint n = 2;
        var data = IommuHwptVtdS1Invalidate.ToArray(new(Iova, 1), new(Iova + 0x1000, 1, Flags: 4));
        var r = _vm.Fd.HwptInvalidate(_nested.Id, IntelUapi.HwptInvalidateDataVtdS1, Len, data, ref n);

        Assert.Equal(Errno.EOPNOTSUPP, r.Error);
        Assert.Equal(1u, n);
        Assert.False(_host.Iommu.Iotlb.Contains(Did, 0, Iova));
        Assert.False(_a.Atc.Contains(0, Device.NoPasid, Iova));
        Assert.True(_host.Iommu.Iotlb.Contains(Did, 0, Iova + 0x1000));
        Assert.True(_a.Atc.Contains(0, Device.NoPasid, Iova + 0x1000));

        n = 2;
        data = IommuHwptVtdS1Invalidate.ToArray(new(Iova + 0x1000, 1), new(Iova + 0x2001, 1));
        Assert.Equal(Errno.EINVAL, _vm.Fd.HwptInvalidate(_nested.Id, IntelUapi.HwptInvalidateDataVtdS1, Len, data, ref n).Error);
        Assert.Equal(1u, n);
        Assert.False(_host.Iommu.Iotlb.Contains(Did, 0, Iova + 0x1000));
        Assert.True(_host.Iommu.Iotlb.Contains(Did, 0, Iova + 0x2000));
    }

    [Fact]
    public void TwoValidEntriesAreBothHandled()
    {
        uint n = 2;
        var data = IommuHwptVtdS1Invalidate.ToArray(new(Iova + 0x1000, 1), new(Iova + 0x5000, 1, IntelUapi.VtdInvFlagsLeaf));
        Assert.True(_vm.Fd.HwptInvalidate(_nested.Id, IntelUapi.HwptInvalidateDataVtdS1, Len, data, ref n).IsOk);
        Assert.Equal(2u, n);
        Assert.False(_host.Iommu.Iotlb.Contains(Did, 0, Iova + 0x1000));
        Assert.False(_host.Iommu.Iotlb.Contains(Did, 0, Iova + 0x5000));
        Assert.Equal(6, _a.Atc.Count);
    }

    [Fact]
    public void ARangeFlushesItsPagesAndSynthesizesOneDeviceTlbInvalidationPerAtsDevice()
    {
        var before = _host.Iommu.DeviceTlbDescriptorsSynthesized;
        uint n = 1;
        Assert.True(_vm.Fd.HwptInvalidate(_nested.Id, IntelUapi.HwptInvalidateDataVtdS1, Len, Entry(Iova + 0x2000, 2), ref n).IsOk);

        Assert.Equal(1u, n);
        Assert.Equal(2, _host.Iommu.DeviceTlbDescriptorsSynthesized - before); // devices a and b; the non-ATS device gets none
        foreach (var page in new ulong[] { 0x2000, 0x3000 })
        {
            Assert.False(_host.Iommu.Iotlb.Contains(Did, 0, Iova + page));
            Assert.False(_a.Atc.Contains(0, Device.NoPasid, Iova + page));
            Assert.False(_b.Atc.Contains(0, Device.NoPasid, Iova + page));
        }

        Assert.True(_host.Iommu.Iotlb.Contains(Did, 0, Iova + 0x4000));
        Assert.True(_a.Atc.Contains(0, Device.NoPasid, Iova + 0x1000));
    }

    [Fact]
    public void AddressZeroWithAllPagesFlushesEverything()
    {
        uint n = 1;
        Assert.True(_vm.Fd.HwptInvalidate(_nested.Id, IntelUapi.HwptInvalidateDataVtdS1, Len, IommuHwptVtdS1Invalidate.All.ToBytes(), ref n).IsOk);
        Assert.Equal(0, _host.Iommu.Iotlb.Count);
        Assert.Equal(0, _a.Atc.Count);
        Assert.Equal(0, _b.Atc.Count);
    }

    [Fact]
    public void TheHostQueueCarriesPasidIotlbAndDeviceTlbDescriptorsWithTheHostIds()
    {
        var lines = new List<string>();
        _host.Iommu.CommandTrace = lines.Add;
        var head = _host.Iommu.HostQueueHead.Qh;
        uint n = 1;
        _vm.Fd.HwptInvalidate(_nested.Id, IntelUapi.HwptInvalidateDataVtdS1, Len, new IommuHwptVtdS1Invalidate(Iova, 4, IntelUapi.VtdInvFlagsLeaf).ToBytes(), ref n);

        // read back what the driver wrote into the host invalidation queue, through the generated decoder
        var q = _host.Iommu.HostQueueAddress;
        var desc = new byte[32];
        _host.Host.TryRead(q.Iqa + (head * 32), desc);
        Assert.True(QiDescriptor256Set.Decode(desc).TryGet(out PasidIotlbInvalidate256 piotlb));
        Assert.Equal(PasidIotlbGranularity.PageSelectiveWithinPasid, piotlb.G);
        Assert.Equal(Did, (ushort)piotlb.Did);
        Assert.Equal(0UL, piotlb.Pasid);
        Assert.Equal(2UL, piotlb.Am);
        Assert.True(piotlb.Ih);
        Assert.Equal(Iova, piotlb.Addr);
        _host.Host.TryRead(q.Iqa + ((head + 1) * 32), desc);
        Assert.True(QiDescriptor256Set.Decode(desc).TryGet(out DeviceTlbInvalidate256 devtlb));
        Assert.True(devtlb.Sid == _a.PhysicalId || devtlb.Sid == _b.PhysicalId);
        Assert.Equal(new InvalidationRange(Iova, Iova + 0x3FFF), devtlb.CoveredRange);
        Assert.Contains(lines, l => l.Contains("InvalidationWait256", StringComparison.Ordinal));
        Assert.Equal(_host.Iommu.HostQueueTail.Qt, _host.Iommu.HostQueueHead.Qh);
    }

    [Fact]
    public void InvalidatingOneNestedHwptLeavesAnotherNestedHwptCached()
    {
        var table = _vm.NewPageTable();
        table.Map(Iova, 0x0190_0000);
        var other = (HwptNested)_vm.Fd.HwptAlloc(_plain.Id, _vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, new IommuHwptVtdS1(0, table.Root, 48).ToBytes()).Value;
        _vm.Fd.Replace(_plain.Id, null, other.Id);
        _plain.Translate(Iova, null, Access.Read);
        var otherDid = ((IntelNestedDomain)other.Domain).Did;
        Assert.True(_host.Iommu.Iotlb.Contains(otherDid, 0, Iova));

        uint n = 1;
        _vm.Fd.HwptInvalidate(_nested.Id, IntelUapi.HwptInvalidateDataVtdS1, Len, IommuHwptVtdS1Invalidate.All.ToBytes(), ref n);

        Assert.True(_host.Iommu.Iotlb.Contains(otherDid, 0, Iova));
        Assert.False(_host.Iommu.Iotlb.Contains(Did, 0, Iova));
    }

    private static byte[] Entry(ulong addr, ulong npages) => new IommuHwptVtdS1Invalidate(addr, npages).ToBytes();

    private void Warm()
    {
        for (ulong i = 0; i < 8; i++)
        {
            Assert.True(_a.Translate(Iova + (i << 12), null, Access.Read).IsOk);
            Assert.True(_b.Translate(Iova + (i << 12), null, Access.Read).IsOk);
        }

        Assert.Equal(8, _a.Atc.Count);
        Assert.Equal(8, _host.Iommu.Iotlb.Count);
    }

    private void AssertNothingFlushed()
    {
        Assert.Equal(8, _a.Atc.Count);
        Assert.Equal(8, _b.Atc.Count);
        Assert.Equal(8, _host.Iommu.Iotlb.Count);
    }
}
