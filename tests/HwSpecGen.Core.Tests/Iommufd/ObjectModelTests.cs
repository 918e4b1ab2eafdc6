using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Tests.Iommufd;

/// <summary>The iommufd object model's rules, scenario by scenario as the upstream selftests assert them (tools/testing/selftests/iommu/iommufd.c).</summary>
public sealed class ObjectModelTests
{
    private readonly PhysicalMemory _memory = new();
    private readonly MockIommu _iommu;
    private readonly IommufdContext _fd = new();

    public ObjectModelTests() => _iommu = new MockIommu(_memory, new PageAllocator(_memory, 0x1000_0000, 0x2000_0000));

    [Fact]
    public void IoasWithAnAttachedDeviceCannotBeDestroyed()
    {
        var ioas = _fd.IoasAlloc().Value;
        var dev = _fd.BindDevice(_iommu, 0x10, atsCapable: false, pasidBits: 0).Value;
        Assert.True(_fd.Attach(dev.Id, null, ioas.Id).IsOk);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(ioas.Id).Error);
        Assert.True(_fd.Detach(dev.Id, null).IsOk);
        Assert.True(_fd.Destroy(ioas.Id).IsOk);
        Assert.Equal(Errno.ENOENT, _fd.Destroy(ioas.Id).Error);
    }

    [Fact]
    public void UnmapRulesFollowTheKernel()
    {
        var ioas = _fd.IoasAlloc().Value;
        Assert.Equal(Errno.ENOENT, _fd.IoasUnmap(ioas.Id, 0x10000, 0x1000).Error);
        Assert.True(_fd.IoasUnmap(ioas.Id, 0, ulong.MaxValue).IsOk);
        Assert.True(_fd.IoasMap(ioas.Id, 0x10000, 0x800000, 0x4000, Access.ReadWrite).IsOk);
        Assert.True(_fd.IoasMap(ioas.Id, 0x20000, 0x900000, 0x1000, Access.ReadWrite).IsOk);
        Assert.Equal(Errno.EEXIST, _fd.IoasMap(ioas.Id, 0x13000, 0xA00000, 0x2000, Access.ReadWrite).Error);
        Assert.Equal(Errno.ENOENT, _fd.IoasUnmap(ioas.Id, 0x11000, 0x1000).Error); // would split an area
        var all = _fd.IoasUnmap(ioas.Id, 0x10000, 0x11000);
        Assert.Equal(0x5000UL, all.Value);
        Assert.Empty(ioas.Areas);
    }

    [Fact]
    public void NestedAllocationChecksArePerformedInTheKernelOrder()
    {
        var ioas = _fd.IoasAlloc().Value;
        var dev = _fd.BindDevice(_iommu, 0x10, false, 0).Value;
        var plain = _fd.HwptAlloc(dev.Id, ioas.Id, HwptAllocFlags.None).Value;
        var parent = _fd.HwptAlloc(dev.Id, ioas.Id, HwptAllocFlags.NestParent).Value;
        byte[] data = [0xef, 0xbe, 0xad, 0x0b];
        Assert.Equal(Errno.ENOENT, _fd.HwptAlloc(9999, parent.Id, 0, MockIommu.DataSelftest, data).Error);
        Assert.Equal(Errno.EINVAL, _fd.HwptAlloc(dev.Id, dev.Id, 0, MockIommu.DataSelftest, data).Error);
        Assert.Equal(Errno.EOPNOTSUPP, _fd.HwptAlloc(dev.Id, ioas.Id, HwptAllocFlags.NestParent | HwptAllocFlags.FaultIdValid).Error);
        Assert.Equal(Errno.EINVAL, _fd.HwptAlloc(dev.Id, parent.Id, 0, IommufdContext.HwptDataNone, data).Error);
        Assert.Equal(Errno.EOPNOTSUPP, _fd.HwptAlloc(dev.Id, parent.Id, 0, MockIommu.DataSelftest + 1, data).Error);
        Assert.Equal(Errno.EINVAL, _fd.HwptAlloc(dev.Id, parent.Id, 0, MockIommu.DataSelftest, data, dataLength: 3).Error);
        Assert.Equal(Errno.EFAULT, _fd.HwptAlloc(dev.Id, parent.Id, 0, MockIommu.DataSelftest, null, dataLength: 4).Error);
        Assert.Equal(Errno.EOPNOTSUPP, _fd.HwptAlloc(dev.Id, parent.Id, HwptAllocFlags.NestParent, MockIommu.DataSelftest, data).Error);
        Assert.Equal(Errno.EINVAL, _fd.HwptAlloc(dev.Id, plain.Id, 0, MockIommu.DataSelftest, data).Error);
        var n0 = _fd.HwptAlloc(dev.Id, parent.Id, 0, MockIommu.DataSelftest, data).Value;
        var n1 = _fd.HwptAlloc(dev.Id, parent.Id, 0, MockIommu.DataSelftest, data).Value;
        Assert.Equal(Errno.ENOENT, _fd.HwptAlloc(dev.Id, parent.Id, HwptAllocFlags.FaultIdValid, MockIommu.DataSelftest, data, faultId: uint.MaxValue).Error);
        Assert.Equal(Errno.EINVAL, _fd.HwptAlloc(dev.Id, n0.Id, 0, MockIommu.DataSelftest, data).Error);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(parent.Id).Error);
        Assert.True(_fd.Destroy(n0.Id).IsOk);
        Assert.True(_fd.Destroy(n1.Id).IsOk);
        Assert.True(_fd.Destroy(parent.Id).IsOk);
    }

    [Fact]
    public void ReplaceMovesTheBusyReferenceAndAFailedCallChangesNothing()
    {
        var ioas = _fd.IoasAlloc().Value;
        var dev = _fd.BindDevice(_iommu, 0x10, false, 0).Value;
        var parent = _fd.HwptAlloc(dev.Id, ioas.Id, HwptAllocFlags.NestParent).Value;
        byte[] data = [0, 0, 0, 0];
        var n0 = _fd.HwptAlloc(dev.Id, parent.Id, 0, MockIommu.DataSelftest, data).Value;
        var n1 = _fd.HwptAlloc(dev.Id, parent.Id, 0, MockIommu.DataSelftest, data).Value;
        Assert.True(_fd.Replace(dev.Id, null, n0.Id).IsOk);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(n0.Id).Error);
        Assert.True(_fd.Replace(dev.Id, null, n1.Id).IsOk);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(n1.Id).Error);
        Assert.True(_fd.Destroy(n0.Id).IsOk);
        Assert.Equal(Errno.ENOENT, _fd.Replace(dev.Id, null, 4242).Error);
        Assert.Same(n1, dev.Attached);
    }

    [Fact]
    public void ViommuAndVdeviceRules()
    {
        var ioas = _fd.IoasAlloc().Value;
        var dev = _fd.BindDevice(_iommu, 0x10, false, 0).Value;
        var plain = _fd.HwptAlloc(dev.Id, ioas.Id, HwptAllocFlags.None).Value;
        var parent = _fd.HwptAlloc(dev.Id, ioas.Id, HwptAllocFlags.NestParent).Value;
        Assert.Equal(Errno.ENOENT, _fd.ViommuAlloc(dev.Id, 0, MockIommu.ViommuSelftest).Error);
        Assert.Equal(Errno.EINVAL, _fd.ViommuAlloc(dev.Id, plain.Id, MockIommu.ViommuSelftest).Error);
        Assert.Equal(Errno.EOPNOTSUPP, _fd.ViommuAlloc(dev.Id, parent.Id, 0xdead).Error);
        var viommu = _fd.ViommuAlloc(dev.Id, parent.Id, MockIommu.ViommuSelftest).Value;
        var nested = _fd.HwptAlloc(dev.Id, viommu.Id, 0, MockIommu.DataSelftest, [0, 0, 0, 0]).Value;
        Assert.Equal(Errno.EBUSY, _fd.Destroy(parent.Id).Error);
        Assert.Equal(Errno.ENOENT, _fd.Attach(dev.Id, null, nested.Id).Error); // no vDEVICE yet
        var vdev = _fd.VdeviceAlloc(viommu.Id, dev.Id, 0x99).Value;
        Assert.Equal(Errno.EEXIST, _fd.VdeviceAlloc(viommu.Id, dev.Id, 0x99).Error);
        Assert.True(_fd.Attach(dev.Id, null, nested.Id).IsOk);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(nested.Id).Error);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(viommu.Id).Error);
        Assert.Same(dev, viommu.FindDevice(0x99));
        Assert.True(_fd.UnbindDevice(dev.Id).IsOk);
        Assert.Equal(Errno.ENOENT, _fd.Destroy(vdev.Id).Error); // tombstoned
    }

    [Fact]
    public void VeventqOverflowMarksLostEvents()
    {
        var ioas = _fd.IoasAlloc().Value;
        var dev = _fd.BindDevice(_iommu, 0x10, false, 0).Value;
        var parent = _fd.HwptAlloc(dev.Id, ioas.Id, HwptAllocFlags.NestParent).Value;
        var viommu = _fd.ViommuAlloc(dev.Id, parent.Id, MockIommu.ViommuSelftest).Value;
        var q = _fd.VeventqAlloc(viommu.Id, 1, depth: 2).Value;
        Assert.Equal(Errno.EEXIST, _fd.VeventqAlloc(viommu.Id, 1, 2).Error);
        q.Report([1]);
        q.Report([2]);
        q.Report([3]);
        Assert.True(q.TryRead(out var a));
        Assert.True(q.TryRead(out var b));
        Assert.False(a!.LostEvents);
        Assert.Equal(a.Sequence + 1, b!.Sequence);
        q.Report([4]);
        Assert.True(q.TryRead(out var c));
        Assert.True(c!.LostEvents || c.Sequence > b.Sequence + 1);
    }

    [Fact]
    public void InvalidateRejectsTheParentAndBadArrays()
    {
        var ioas = _fd.IoasAlloc().Value;
        var dev = _fd.BindDevice(_iommu, 0x10, false, 0).Value;
        var parent = _fd.HwptAlloc(dev.Id, ioas.Id, HwptAllocFlags.NestParent).Value;
        uint n = 1;
        Assert.Equal(Errno.EINVAL, _fd.HwptInvalidate(parent.Id, 0, 8, new byte[8], ref n).Error);
        Assert.Equal(0u, n);
        n = 1;
        Assert.Equal(Errno.EINVAL, _fd.HwptInvalidate(parent.Id, 0, 8, default, ref n, nullPointer: true).Error);
        n = 1;
        Assert.Equal(Errno.EINVAL, _fd.HwptInvalidate(parent.Id, 0, 0, new byte[8], ref n).Error);
    }

    [Fact]
    public void DmaThroughAnAutoDomainReachesHostMemoryAndStopsAfterUnmap()
    {
        var ioas = _fd.IoasAlloc().Value;
        _memory.Back(0x4000_0000, 0x2000);
        Assert.True(_fd.IoasMap(ioas.Id, 0x10000, 0x4000_0000, 0x2000, Access.ReadWrite).IsOk);
        var dev = _fd.BindDevice(_iommu, 0x10, false, 0).Value;
        Assert.True(_fd.Attach(dev.Id, null, ioas.Id).IsOk);
        Assert.True(dev.Write(0x10ff8, null, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }).IsOk);
        Assert.True(_memory.TryReadUInt64(0x4000_1000, out var crossed));
        Assert.Equal(0x100F0E0D0C0B0A09UL, crossed);
        Assert.True(_fd.IoasUnmap(ioas.Id, 0x10000, 0x2000).IsOk);
        var after = dev.Translate(0x10000, null, Access.Read);
        Assert.False(after.IsOk);
    }
}
