using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Tests.Amd;

/// <summary>The AMD driver's iommufd callbacks: GET_HW_INFO, vIOMMU, nested allocation (validate_gdte_nested), attach (set_dte_nested), lifetimes.</summary>
public sealed class AmdIommufdTests
{
    private readonly AmdScenario _host = new();
    private readonly IommufdContext _fd = new();
    private readonly Ioas _ioas;
    private readonly Device _dev;
    private readonly HwptPaging _parent;

    public AmdIommufdTests()
    {
        _ioas = _fd.IoasAlloc().Value;
        var ram = _host.RamAllocator.Allocate(0x100_0000, 0x20_0000);
        Assert.True(_fd.IoasMap(_ioas.Id, 0, ram, 0x100_0000, Access.ReadWrite).IsOk);
        _dev = _fd.BindDevice(_host.Iommu, 0x0100, atsCapable: true, pasidBits: 16).Value;
        _parent = (HwptPaging)_fd.HwptAlloc(_dev.Id, _ioas.Id, HwptAllocFlags.NestParent).Value;
    }

    [Fact]
    public void GetHwInfoReturnsTheRawEfrAndEfr2()
    {
        var buffer = new byte[32];
        var info = _fd.GetHwInfo(_dev.Id, buffer).Value;
        Assert.Equal(AmdUapi.HwInfoTypeAmd, info.Type);
        Assert.Equal((uint)AmdUapi.HwInfoAmdSize, info.KernelDataLength);
        Assert.Equal(16, info.MaxPasidLog2);
        Assert.Equal(_host.Iommu.Efr, ExtendedFeatures.Read(buffer));
        Assert.Equal(_host.Iommu.Efr2, ExtendedFeatures2.Read(buffer.AsSpan(8)));
        Assert.True(ExtendedFeatures.Read(buffer).GtSup);
        Assert.Equal(0UL, ExtendedFeatures.Read(buffer).Gats); // 4-level guest tables only
        Assert.All(buffer[16..], b => Assert.Equal(0, b));

        var shortBuffer = new byte[4];
        Assert.Equal((uint)AmdUapi.HwInfoAmdSize, _fd.GetHwInfo(_dev.Id, shortBuffer).Value.KernelDataLength);
        Assert.Equal(buffer[..4], shortBuffer);
    }

    [Fact]
    public void ViommuAllocationFollowsTheAmdDriver()
    {
        Assert.Equal(Errno.EOPNOTSUPP, _fd.ViommuAlloc(_dev.Id, _parent.Id, 1).Error); // ARM_SMMUV3
        Assert.Equal(Errno.ENOENT, _fd.ViommuAlloc(_dev.Id, 0, AmdUapi.ViommuTypeAmd).Error);
        var plain = _fd.HwptAlloc(_dev.Id, _ioas.Id, HwptAllocFlags.None).Value;
        Assert.Equal(Errno.EINVAL, _fd.ViommuAlloc(_dev.Id, plain.Id, AmdUapi.ViommuTypeAmd).Error);
        var viommu = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        Assert.IsType<AmdViommuDriver>(viommu.Driver);
        Assert.Contains((AmdViommuDriver)viommu.Driver, _host.Iommu.Viommus);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(_parent.Id).Error);
        Assert.True(_fd.Destroy(viommu.Id).IsOk);
        Assert.Empty(_host.Iommu.Viommus);
        Assert.True(_fd.Destroy(_parent.Id).IsOk);
    }

    [Fact]
    public void NestedDomainsComeOnlyFromTheViommu()
    {
        var gdte = ValidGuestDte(1);
        Assert.Equal(Errno.EOPNOTSUPP, _fd.HwptAlloc(_dev.Id, _parent.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, gdte).Error);
        var viommu = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        Assert.Equal(Errno.EOPNOTSUPP, _fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, 1, gdte).Error); // wrong data_type
        Assert.Equal(Errno.EINVAL, _fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, gdte, dataLength: 24).Error);
        Assert.Equal(Errno.EINVAL, _fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, [.. gdte, 0]).Error);
        Assert.True(_fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, gdte).IsOk);
    }

    public static TheoryData<string, Errno> GuestDtes => new()
    {
        { "valid", Errno.None },
        { "mode", Errno.EINVAL },
        { "host-root", Errno.EINVAL },
        { "no-gcr3", Errno.EINVAL },
        { "no-gcr3-without-v", Errno.None },
        { "paging-mode-2", Errno.EINVAL },
        { "paging-mode-3-without-gv", Errno.EINVAL },
        { "glx-3", Errno.EINVAL },
        { "five-level", Errno.EOPNOTSUPP },
        { "five-level-glx-3", Errno.EINVAL },
        { "reserved-bits", Errno.None },
    };

    [Theory]
    [MemberData(nameof(GuestDtes))]
    public void GuestDteIsValidatedAsValidateGdteNestedDoes(string variant, Errno expected)
    {
        var viommu = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        var good = GuestDeviceTableEntry.Read(ValidGuestDte(7));
        var dte = variant switch
        {
            "valid" => good,
            "mode" => good.WithMode(DteMode.Level4),
            "host-root" => good.WithHostPageTableRoot(0x5000),
            "no-gcr3" => good.WithGcr3Root(0),
            "no-gcr3-without-v" => good.WithGcr3Root(0).WithV(false),
            "paging-mode-2" => good.WithGuestPagingMode((GuestPagingMode)2UL),
            "paging-mode-3-without-gv" => good.WithGuestPagingMode((GuestPagingMode)3UL).WithGv(false),
            "glx-3" => good.WithGlx(3),
            "five-level" => good.WithGuestPagingMode(GuestPagingMode.FiveLevel),
            "five-level-glx-3" => good.WithGuestPagingMode(GuestPagingMode.FiveLevel).WithGlx(3),
            "reserved-bits" => GuestDeviceTableEntry.FromWords([good.GetWord(0) | (1UL << 63), good.GetWord(1), good.GetWord(2), ulong.MaxValue]),
            _ => throw new ArgumentException(variant),
        };
        var r = _fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, dte.ToBytes());
        Assert.Equal(expected, r.Error);
        if (!r.IsOk)
        {
            Assert.Empty(((AmdViommuDriver)viommu.Driver).DomainMap); // a failed call changes nothing
            Assert.Equal(0, viommu.Users);
        }
    }

    [Fact]
    public void FiveLevelGuestTablesNeedHostSupport()
    {
        var host = new AmdScenario(new AmdIommuOptions(FiveLevelGuestPaging: true));
        Assert.Equal(1UL, host.Iommu.Efr.Gats);
        var gdte = GuestDeviceTableEntry.Read(ValidGuestDte(1)).WithGuestPagingMode(GuestPagingMode.FiveLevel);
        Assert.Equal(Errno.None, host.Iommu.ValidateGuestDte(gdte));
        Assert.Equal(Errno.EOPNOTSUPP, _host.Iommu.ValidateGuestDte(gdte));
    }

    [Fact]
    public void NestedDomainsWithTheSameGuestDomainIdShareTheHostDomainIdUntilTheLastIsFreed()
    {
        var viommu = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        var driver = (AmdViommuDriver)viommu.Driver;
        var a = (HwptNested)_fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(3, gcr3: 0x10_0000)).Value;
        var b = (HwptNested)_fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(3, gcr3: 0x20_0000)).Value;
        var c = (HwptNested)_fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(4)).Value;
        Assert.Equal(a.Domain.DomainTag, b.Domain.DomainTag);
        Assert.NotEqual(a.Domain.DomainTag, c.Domain.DomainTag);
        Assert.NotEqual(_parent.DomainTag, a.Domain.DomainTag);
        Assert.Equal(2, driver.DomainMap[3].Users);

        var hDom = a.Domain.DomainTag;
        Assert.True(_fd.Destroy(a.Id).IsOk);
        Assert.True(driver.TryMapDomain(3, out var still) && still == hDom);
        Assert.True(_fd.Destroy(b.Id).IsOk);
        Assert.False(driver.TryMapDomain(3, out _));
        Assert.True(driver.TryMapDomain(4, out _));
    }

    [Fact]
    public void TheSameGuestDomainIdOnTwoViommusMapsToTwoHostDomainIds()
    {
        var other = _fd.BindDevice(_host.Iommu, 0x0200, false, 0).Value;
        var v1 = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        var v2 = _fd.ViommuAlloc(other.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        var a = _fd.HwptAlloc(_dev.Id, v1.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(9)).Value;
        var b = _fd.HwptAlloc(other.Id, v2.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(9)).Value;
        Assert.NotEqual(((HwptNested)a).Domain.DomainTag, ((HwptNested)b).Domain.DomainTag);
    }

    [Fact]
    public void AttachProgramsTheHostDteAsSetDteNestedDoes()
    {
        var viommu = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        // A guest DTE with everything Linux ignores set: IR/IW/TV clear, SA, interrupt fields, word 3.
        var guest = GuestDeviceTableEntry.Read(ValidGuestDte(0x42, gcr3: 0x12_3000))
            .WithPpr(true).WithGlx(1).WithTv(false).WithIr(false).WithIw(false).WithSa(true).WithIv(true).WithIntTabLen(9).WithIntCtl(IntCtl.Remap);
        var nested = (HwptNested)_fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, guest.ToBytes()).Value;
        Assert.True(_fd.Attach(_dev.Id, null, nested.Id).IsOk);

        var dte = _host.Iommu.ReadDte(0x0100);
        var table = (AmdV1PageTable)_parent.PageTable;
        Assert.True(dte.V && dte.Tv && dte.Ir && dte.Iw && dte.Gv && dte.IotlbEnable);
        Assert.Equal(table.Mode, dte.Mode);
        Assert.Equal(table.Root, dte.HostPageTableRoot);
        Assert.Equal(nested.Domain.DomainTag, dte.DomainId);
        Assert.Equal(0x12_3000UL, dte.Gcr3Root);
        Assert.Equal(1UL, dte.Glx);
        Assert.True(dte.Ppr && dte.GIov);
        Assert.Equal(GuestPagingMode.FourLevel, dte.GuestPagingMode);
        Assert.False(dte.Sa || dte.Iv);
        Assert.Equal(0UL, dte.IntTabLen);
        Assert.Equal(0UL, dte.GetWord(3));
        Assert.True(dte.Validate().IsValid);
        Assert.False(_host.Iommu.IsDteCached(0x0100)); // device_flush_dte after the update
        Assert.True(_host.Iommu.IsAtsEnabled(_dev));
    }

    [Fact]
    public void PasidAttachmentsAreNotSupportedOnAmdV1OrNestedDomains()
    {
        var viommu = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        var nested = _fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.Pasid, AmdUapi.HwptDataAmdGuest, ValidGuestDte(1)).Value;
        Assert.Equal(Errno.EOPNOTSUPP, _fd.Attach(_dev.Id, 5, nested.Id).Error);
        Assert.Empty(_dev.PasidAttachments);
    }

    [Fact]
    public void AmdNeedsNoVdeviceToAttachANestedHwpt()
    {
        // Unlike the selftest mock and SMMUv3, set_dte_nested never looks up a vDEVICE: the attach succeeds; only the
        // forwarding of ATC invalidations and the guest's view of faults need one.
        var viommu = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        var nested = _fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(1)).Value;
        Assert.True(_fd.Attach(_dev.Id, null, nested.Id).IsOk);
        Assert.Equal(Errno.EINVAL, _fd.HwptAlloc(_dev.Id, nested.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(1)).Error);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(viommu.Id).Error);
    }

    [Fact]
    public void StageOneFaultsReachTheVeventqWithTheCurrentVirtualId()
    {
        var viommu = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        Assert.True(_fd.VeventqAlloc(viommu.Id, AmdUapi.VeventqTypeAmdEvent, 2).IsOk);
        Assert.Equal(Errno.EEXIST, _fd.VeventqAlloc(viommu.Id, AmdUapi.VeventqTypeAmdEvent, 2).Error);
        var queue = viommu.Veventqs[AmdUapi.VeventqTypeAmdEvent];
        var vdev = _fd.VdeviceAlloc(viommu.Id, _dev.Id, 0x99).Value;
        var nested = _fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(1)).Value;
        Assert.True(_fd.Attach(_dev.Id, null, nested.Id).IsOk);

        Assert.False(_dev.Translate(0x1000, 1, Access.Read).IsOk); // GCR3 at GPA 0x10_0000 is empty: stage-1 fault
        Assert.True(queue.TryRead(out var first));
        Assert.Equal(0x99UL, IoPageFaultEvent.Read(first!.Payload).DeviceId);

        Assert.True(_fd.Destroy(vdev.Id).IsOk);
        Assert.True(_fd.VdeviceAlloc(viommu.Id, _dev.Id, 0x88).IsOk);
        Assert.False(_dev.Translate(0x1000, 1, Access.Read).IsOk);
        Assert.True(queue.TryRead(out var second));
        Assert.Equal(0x88UL, IoPageFaultEvent.Read(second!.Payload).DeviceId);
        Assert.Equal(first.Sequence + 1, second.Sequence);
        Assert.False(second.LostEvents);

        for (var i = 0; i < 3; i++)
        {
            _dev.Translate(0x1000, 1, Access.Read); // depth 2: the third is lost
        }

        Assert.True(queue.TryRead(out _));
        Assert.True(queue.TryRead(out _));
        _dev.Translate(0x1000, 1, Access.Read);
        Assert.True(queue.TryRead(out var afterLoss));
        Assert.True(afterLoss!.LostEvents);
    }

    [Fact]
    public void LifetimesFollowTheKernel()
    {
        var viommu = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        var vdev = _fd.VdeviceAlloc(viommu.Id, _dev.Id, 0x8).Value;
        var n0 = _fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(1)).Value;
        var n1 = _fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(2)).Value;
        Assert.True(_fd.Attach(_dev.Id, null, n0.Id).IsOk);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(n0.Id).Error);
        Assert.True(_fd.Replace(_dev.Id, null, n1.Id).IsOk);
        Assert.Equal(((HwptNested)n1).Domain.DomainTag, _host.Iommu.ReadDte(0x0100).DomainId);
        Assert.True(_fd.Destroy(n0.Id).IsOk);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(n1.Id).Error);
        Assert.Equal(Errno.EBUSY, _fd.Destroy(viommu.Id).Error);
        Assert.True(_fd.Replace(_dev.Id, null, _parent.Id).IsOk);
        Assert.Equal(_parent.DomainTag, _host.Iommu.ReadDte(0x0100).DomainId);
        Assert.False(_host.Iommu.ReadDte(0x0100).Gv);
        Assert.True(_fd.Destroy(n1.Id).IsOk);
        Assert.True(_fd.Destroy(vdev.Id).IsOk);
        Assert.True(_fd.Destroy(viommu.Id).IsOk);
        Assert.True(_fd.Detach(_dev.Id, null).IsOk);
        Assert.Equal(AmdIommu.BlockedDte, _host.Iommu.ReadDte(0x0100));
        Assert.True(_fd.Destroy(_parent.Id).IsOk);
        Assert.True(_fd.Destroy(_ioas.Id).IsOk);
    }

    [Fact]
    public void AFreedHostDomainIdIsReusedWithoutStaleTranslations()
    {
        var viommu = _fd.ViommuAlloc(_dev.Id, _parent.Id, AmdUapi.ViommuTypeAmd).Value;
        var n = (HwptNested)_fd.HwptAlloc(_dev.Id, viommu.Id, HwptAllocFlags.None, AmdUapi.HwptDataAmdGuest, ValidGuestDte(1)).Value;
        var tag = n.Domain.DomainTag;
        _host.Iommu.Iotlb.Insert(tag, 0, 0x1000, new HwSpecGen.Core.Caches.TlbEntry(0x5000, 12, Access.Read));
        Assert.True(_fd.Destroy(n.Id).IsOk);
        Assert.False(_host.Iommu.Iotlb.Contains(tag, 0, 0x1000));
    }

    internal static byte[] ValidGuestDte(ulong guestDomainId, ulong gcr3 = 0x10_0000) =>
        GuestDeviceTableEntry.Create()
            .WithV(true)
            .WithTv(true)
            .WithIr(true)
            .WithIw(true)
            .WithGv(true)
            .WithGIov(true)
            .WithGcr3Root(gcr3)
            .WithDomainId(guestDomainId)
            .ToBytes();
}
