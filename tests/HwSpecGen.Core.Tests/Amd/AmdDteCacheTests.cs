using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Tests.Amd;

/// <summary>
/// The DTE cache keeps the DTE decoded and checked when it was fetched: a rewritten DTE — even an illegal one, or one
/// with another DomainID — is not looked at until INVALIDATE_DEVTAB_ENTRY / INVALIDATE_IOMMU_ALL.
/// </summary>
public sealed class AmdDteCacheTests
{
    [Fact]
    public void AnIllegalDteWrittenWithoutInvalidationIsNotCheckedUntilInvalidateDevtabEntry()
    {
        var bed = AmdTestBed.Create(ats: false);
        var dev = bed.Dev(0x0008);
        var expected = dev.Translate(AmdTestBed.Iova, null, Access.Read).Hpa;
        var good = bed.Iommu.ReadDte(0x0100);
        var bad = DeviceTableEntry.FromWords([good.GetWord(0) | (1UL << 63), good.GetWord(1), good.GetWord(2), good.GetWord(3)]);
        bed.Host.Memory.TryWrite(bed.Iommu.DteAddress(0x0100), bad.ToBytes());

        // (1) stale: the cached, already-validated DTE is used
        bed.Iommu.Iotlb.InvalidateAll();
        Assert.Equal(expected, dev.Translate(AmdTestBed.Iova, null, Access.Read).Hpa);

        // (2) INVALIDATE_DEVTAB_ENTRY: fetched and checked again
        Assert.True(bed.Iommu.Submit(InvalidateDevtabEntry.Create().WithDeviceId(0x0100).ToBytes()));
        Assert.Equal(AmdIommu.IllegalDevTableEntryCode, dev.Translate(AmdTestBed.Iova, null, Access.Read).Fault!.Code);

        // restored; INVALIDATE_IOMMU_ALL drops the (illegal) cached copy too
        bed.Host.Memory.TryWrite(bed.Iommu.DteAddress(0x0100), good.ToBytes());
        Assert.Equal(AmdIommu.IllegalDevTableEntryCode, dev.Translate(AmdTestBed.Iova, null, Access.Read).Fault!.Code);
        Assert.True(bed.Iommu.Submit(InvalidateIommuAll.Create().ToBytes()));
        Assert.Equal(expected, dev.Translate(AmdTestBed.Iova, null, Access.Read).Hpa);
    }

    [Fact]
    public void ANewDomainIdTagsTheIotlbProbeOnlyAfterInvalidateDevtabEntry()
    {
        var bed = AmdTestBed.Create(ats: false);
        var dev = bed.Dev(0x0008);
        dev.Translate(AmdTestBed.Iova, null, Access.Read);
        var dte = bed.Iommu.ReadDte(0x0100);
        var other = dte.DomainId + 0x100;
        bed.Host.Memory.TryWrite(bed.Iommu.DteAddress(0x0100), dte.WithDomainId(other).ToBytes());

        Assert.Equal(TranslationSource.Iotlb, dev.Translate(AmdTestBed.Iova, null, Access.Read).Source);

        Assert.True(bed.Iommu.Submit(InvalidateDevtabEntry.Create().WithDeviceId(0x0100).ToBytes()));
        Assert.Equal(TranslationSource.Walk, dev.Translate(AmdTestBed.Iova, null, Access.Read).Source);
        Assert.True(bed.Iommu.Iotlb.Contains(other, 0, AmdTestBed.Iova));
    }
}
