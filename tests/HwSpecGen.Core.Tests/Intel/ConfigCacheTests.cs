using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Intel;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Tests.Intel;

/// <summary>
/// The context cache and the PASID cache: filled by the configuration walk of a miss, used without reading the tables
/// again — also after software changed them — until the architected context-cache / PASID-cache invalidation.
/// </summary>
public sealed class ConfigCacheTests
{
    private const ushort Vrid = 0x08;
    private const ushort GuestDid = 5;
    private const ulong Iova = 0x4000_0000;
    private const ulong Buffer = 0x0180_0000;

    private readonly IntelScenario _host;
    private readonly IntelVm _vm;
    private readonly IntelGuestQueue _queue;
    private readonly IntelGuestPageTableBuilder _table;
    private readonly Device _dev;

    public ConfigCacheTests()
    {
        _host = new IntelScenario();
        _vm = _host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, Vrid, Ats: false));
        _dev = _vm.Device(Vrid);
        _queue = _vm.EnableGuestIommu();
        _table = _vm.NewPageTable();
        _table.Map(Iova, Buffer);
        Assert.True(_vm.GuestAttach(Vrid, GuestDid, _table));
    }

    private IntelVtdIommu Iommu => _host.Iommu;

    private ushort HostDid => ((IntelNestedDomain)((HwptNested)_vm.Viommu.BoundHwpt(Vrid)!).Domain).Did;

    [Fact]
    public void TheFirstRequestFillsBothCachesAndAHitReadsNoConfiguration()
    {
        Assert.False(Iommu.IsContextCached(_dev.PhysicalId));
        Assert.True(_dev.Translate(Iova, null, Access.Read).IsOk);
        Assert.True(Iommu.IsContextCached(_dev.PhysicalId));
        Assert.True(Iommu.IsPasidEntryCached(_dev.PhysicalId, null));

        // an IOTLB miss with warm configuration caches: only the first-stage / second-stage walk reads memory
        Iommu.Iotlb.InvalidateAll();
        var configReads = 0;
        Iommu.Trace = s => configReads += s.Stage == TranslationStage.Config ? 1 : 0;
        Assert.Equal(TranslationSource.Walk, _dev.Translate(Iova, null, Access.Read).Source);
        Iommu.Trace = null;
        Assert.Equal(0, configReads);
    }

    [Fact]
    public void AHostPasidEntryClearedWithoutInvalidationIsStillUsedUntilThePasidCacheInvalidation()
    {
        var expected = _dev.Translate(Iova, null, Access.Read).Hpa;
        var address = HostPasidEntryAddress();
        Assert.True(IntelFormatIo.TryWrite(Iommu.Memory, address, PasidTableEntry.Create()));
        Iommu.Iotlb.InvalidateAll();

        // (1) stale: the PASID cache still holds the entry (the tables say "not present")
        var stale = _dev.Translate(Iova, null, Access.Read);
        Assert.True(stale.IsOk);
        Assert.Equal(expected, stale.Hpa);
        Assert.Equal(FaultReason.SmPasidTableEntryNotPresent, IntelVtdIommu.ReasonOf(Iommu.WalkUncached(_dev, null, Iova, Access.Read).Fault!));

        // an invalidation of another DID / PASID leaves it
        Iommu.SubmitHostDescriptor(PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.PasidSelective).WithDid(HostDid).WithPasid(7));
        Iommu.SubmitHostDescriptor(PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.DomainSelective).WithDid((ulong)HostDid + 1));
        Iommu.Iotlb.InvalidateAll();
        Assert.True(_dev.Translate(Iova, null, Access.Read).IsOk);

        // (2) PASID-selective PASID-cache invalidation (DID, RID_PASID): the entry is read again
        Iommu.SubmitHostDescriptor(PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.PasidSelective).WithDid(HostDid).WithPasid(IntelVtdIommu.RidPasid));
        Assert.False(Iommu.IsPasidEntryCached(_dev.PhysicalId, null));
        Assert.True(Iommu.IsContextCached(_dev.PhysicalId));
        var fault = _dev.Translate(Iova, null, Access.Read).Fault!;
        Assert.Equal(FaultReason.SmPasidTableEntryNotPresent, IntelVtdIommu.ReasonOf(fault));
        Assert.False(Iommu.IsPasidEntryCached(_dev.PhysicalId, null)); // a not-present entry is not cached (CAP.CM = 0)
    }

    [Fact]
    public void AChangedHostPasidEntryTakesEffectAfterADomainSelectiveOrGlobalPasidCacheInvalidation()
    {
        _dev.Translate(Iova, null, Access.Read);
        var address = HostPasidEntryAddress();
        Assert.True(IntelFormatIo.TryRead(Iommu.Memory, address, out PasidTableEntry pe));
        var table2 = _vm.NewPageTable();
        table2.Map(Iova, Buffer + 0x10_0000);
        Assert.True(IntelFormatIo.TryWrite(Iommu.Memory, address, pe.WithFsptptr(table2.Root)));

        Iommu.Iotlb.InvalidateAll();
        Assert.Equal(_vm.HpaOf(Buffer), _dev.Translate(Iova, null, Access.Read).Hpa);

        Iommu.SubmitHostDescriptor(PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.DomainSelective).WithDid(HostDid));
        Iommu.Iotlb.InvalidateAll();
        Assert.Equal(_vm.HpaOf(Buffer + 0x10_0000), _dev.Translate(Iova, null, Access.Read).Hpa);

        Assert.True(IntelFormatIo.TryWrite(Iommu.Memory, address, pe));
        Iommu.Iotlb.InvalidateAll();
        Assert.Equal(_vm.HpaOf(Buffer + 0x10_0000), _dev.Translate(Iova, null, Access.Read).Hpa);
        Iommu.SubmitHostDescriptor(PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.Global));
        Iommu.Iotlb.InvalidateAll();
        Assert.Equal(_vm.HpaOf(Buffer), _dev.Translate(Iova, null, Access.Read).Hpa);
    }

    [Fact]
    public void AHostContextEntryClearedWithoutInvalidationIsStillUsedUntilTheContextCacheInvalidation()
    {
        _dev.Translate(Iova, null, Access.Read);
        Assert.True(Iommu.TryReadContext(_dev.PhysicalId, out var ctx, out var ctxAddress));
        Assert.True(IntelFormatIo.TryWrite(Iommu.Memory, ctxAddress, ScalableModeContextEntry.Create()));
        Iommu.Iotlb.InvalidateAll();

        // (1) stale: context and PASID caches still hold what the tables no longer say
        Assert.True(_dev.Translate(Iova, null, Access.Read).IsOk);
        Assert.Equal(FaultReason.SmContextEntryNotPresent, IntelVtdIommu.ReasonOf(Iommu.WalkUncached(_dev, null, Iova, Access.Read).Fault!));

        // another device's SID (outside the function mask) leaves it
        Iommu.SubmitHostDescriptor(ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.DeviceSelective).WithSid((ulong)_dev.PhysicalId + 8));
        Iommu.Iotlb.InvalidateAll();
        Assert.True(_dev.Translate(Iova, null, Access.Read).IsOk);

        // (2) device-selective context-cache invalidation (FM = all functions): the context entry is read again
        Iommu.SubmitHostDescriptor(ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.DeviceSelective).WithSid((ulong)_dev.PhysicalId | 7).WithFm(FunctionMask.ThreeBits));
        Assert.False(Iommu.IsContextCached(_dev.PhysicalId));
        Assert.False(Iommu.IsPasidEntryCached(_dev.PhysicalId, null));
        Assert.Equal(FaultReason.SmContextEntryNotPresent, IntelVtdIommu.ReasonOf(_dev.Translate(Iova, null, Access.Read).Fault!));

        // restored and globally invalidated: translates again
        Assert.True(IntelFormatIo.TryWrite(Iommu.Memory, ctxAddress, ctx));
        Iommu.SubmitHostDescriptor(ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.Global));
        Assert.Equal(_vm.HpaOf(Buffer), _dev.Translate(Iova, null, Access.Read).Hpa);
    }

    [Fact]
    public void TheHostDetachFlushesThePasidCacheItself()
    {
        _dev.Translate(Iova, null, Access.Read);
        var hwpt = _vm.Viommu.BoundHwpt(Vrid)!;
        Assert.True(Iommu.IsPasidEntryCached(_dev.PhysicalId, null));
        var before = Iommu.PasidCacheEntriesInvalidated;

        Iommu.Detach(_dev, null);

        // intel_pasid_tear_down_entry: PASID-cache invalidation (old DID, RID_PASID) with the IOTLB and device-TLB flush
        Assert.False(Iommu.IsPasidEntryCached(_dev.PhysicalId, null));
        Assert.Equal(before + 1, Iommu.PasidCacheEntriesInvalidated);
        Assert.Equal(FaultReason.SmPasidTableEntryNotPresent, IntelVtdIommu.ReasonOf(_dev.Translate(Iova, null, Access.Read).Fault!));

        // attaching again (not present → present: no invalidation needed) is seen at once
        Assert.True(Iommu.Attach(_dev, null, hwpt).IsOk);
        Assert.Equal(_vm.HpaOf(Buffer), _dev.Translate(Iova, null, Access.Read).Hpa);
    }

    [Fact]
    public void AGuestEntryChangeReachesTheHostPasidCacheThroughTheShadowingReplace()
    {
        _dev.Translate(Iova, null, Access.Read);
        var oldDid = HostDid;
        var table2 = _vm.NewPageTable();
        table2.Map(Iova, Buffer + 0x10_0000);
        _vm.GuestContext.SetFirstStage(Vrid, 0, GuestDid, table2.Root);

        // the guest changed its PASID entry without invalidating: neither the vIOMMU nor the hardware sees it
        Iommu.Iotlb.InvalidateAll();
        Assert.Equal(_vm.HpaOf(Buffer), _dev.Translate(Iova, null, Access.Read).Hpa);
        Assert.True(Iommu.IsPasidEntryCached(_dev.PhysicalId, null));

        // the guest's PASID-cache invalidation: the VMM replaces the host entry, whose teardown flushes the host PASID cache
        Assert.True(_queue.SubmitSync(QiCommands.PasidCache(GuestDid, 0), QiCommands.PasidIotlbAll(GuestDid, 0)));
        Assert.Equal(_vm.HpaOf(Buffer + 0x10_0000), _dev.Translate(Iova, null, Access.Read).Hpa);
        Assert.True(Iommu.TryReadPasidEntry(_dev, null, out var pe));
        Assert.Equal(table2.Root, pe.Fsptptr);
        Assert.NotEqual(0, oldDid);
    }

    [Fact]
    public void PrivilegedAndExecuteChecksStillApplyOnAPasidCacheHit()
    {
        Assert.True(_dev.Translate(Iova, null, Access.Read).IsOk);
        Assert.True(Iommu.IsPasidEntryCached(_dev.PhysicalId, null));
        Assert.Equal(FaultReason.SmSreClear, IntelVtdIommu.ReasonOf(_dev.Translate(Iova, null, Access.Read | Access.Privileged).Fault!));
        Assert.Equal(FaultReason.SmEreClear, IntelVtdIommu.ReasonOf(_dev.Translate(Iova, null, Access.Read | Access.Execute).Fault!));
    }

    private ulong HostPasidEntryAddress()
    {
        Assert.True(Iommu.TryReadContext(_dev.PhysicalId, out var ctx, out _));
        Assert.True(IntelFormatIo.TryRead(Iommu.Memory, ctx.Pasiddirptr + PasidDirectoryTable.Offset(IntelVtdIommu.RidPasid), out PasidDirectoryEntry dir));
        return dir.Smptblptr + PasidTable.Offset(IntelVtdIommu.RidPasid);
    }
}
