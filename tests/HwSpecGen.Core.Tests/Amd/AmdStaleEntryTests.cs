using System.Collections.Generic;
using System.Linq;
using CsCheck;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;

namespace HwSpecGen.Core.Tests.Amd;

/// <summary>Cached translations stay stale until the right invalidation completes — and never after.</summary>
public sealed class AmdStaleEntryTests
{
    [Fact]
    public void TheIotlbServesAStalePteUntilTheGuestsInvalidationCompletes()
    {
        var bed = AmdTestBed.Create(ats: false);
        var dev = bed.Dev(0x0008);
        var old = dev.Translate(AmdTestBed.Iova, null, Access.Read);
        var moved = bed.Vm.DmaAllocator.Allocate(0x1000);
        bed.Table.Remap(AmdTestBed.Iova, moved);

        var stale = dev.Translate(AmdTestBed.Iova, null, Access.Read);
        Assert.Equal(TranslationSource.Iotlb, stale.Source);
        Assert.Equal(old.Hpa, stale.Hpa);

        // Queued but not yet doorbelled: still stale.
        bed.Vm.Queue(Hardware.AmdVi.InvalidateIommuPages.FromRange(AmdTestBed.Iova, AmdTestBed.Iova + 0xFFF, bed.DomainId, gn: true, pasid: 0));
        Assert.Equal(old.Hpa, dev.Translate(AmdTestBed.Iova, null, Access.Read).Hpa);
        Assert.True(bed.Vm.Sync());
        var fresh = dev.Translate(AmdTestBed.Iova, null, Access.Read);
        Assert.Equal(TranslationSource.Walk, fresh.Source);
        Assert.Equal(bed.Vm.Ram.Hpa + moved, fresh.Hpa);
    }

    [Fact]
    public void TheAtcStaysStaleUntilTheForwardedIotlbInvalidation()
    {
        var bed = AmdTestBed.Create(ats: true);
        var dev = bed.Dev(0x0010);
        var old = dev.Translate(AmdTestBed.Iova, null, Access.Read);
        bed.Table.Unmap(AmdTestBed.Iova);

        // Flushing the IOMMU's IOTLB does not reach the device: AMD forwards ATC invalidations, it does not synthesize them.
        Assert.True(bed.Guest(AmdTestBed.Pages(bed.DomainId, AmdTestBed.Iova, AmdTestBed.Iova + 0xFFF)));
        Assert.False(bed.Iommu.Iotlb.Contains(bed.HostDomain, 0, AmdTestBed.Iova));
        var stale = dev.Translate(AmdTestBed.Iova, null, Access.Read);
        Assert.Equal(TranslationSource.Atc, stale.Source);
        Assert.Equal(old.Hpa, stale.Hpa);

        Assert.True(bed.Guest(AmdTestBed.Iotlb(0x0010, AmdTestBed.Iova, AmdTestBed.Iova + 0xFFF)));
        Assert.False(dev.Translate(AmdTestBed.Iova, null, Access.Read).IsOk);
    }

    [Fact]
    public void AnAtcInvalidationForOneDeviceLeavesTheOtherDevicesAtc()
    {
        var bed = AmdTestBed.Create(ats: true);
        var a = bed.Dev(0x0008);
        var b = bed.Dev(0x0010);
        a.Translate(AmdTestBed.Iova, null, Access.Read);
        b.Translate(AmdTestBed.Iova, null, Access.Read);
        Assert.True(bed.Guest(AmdTestBed.Iotlb(0x0010, 0, ulong.MaxValue)));
        Assert.True(a.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova));
        Assert.False(b.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova));
    }

    [Fact]
    public void AStage2UnmapFlushesEveryTranslationThatUsedIt()
    {
        var bed = AmdTestBed.Create(ats: true);
        var vm = bed.Vm;
        var hpa = bed.Host.RamAllocator.Allocate(0x10000);
        Assert.True(vm.Context.IoasMap(vm.Ioas.Id, 0x1000_0000, hpa, 0x10000, Access.ReadWrite).IsOk);
        bed.Table.Map(0x2000_0000, 0x1000_0000, 0x10000);
        var dev = bed.Dev(0x0008);
        Assert.Equal(hpa + 0x3000, dev.Translate(0x2000_3000, null, Access.Read).Hpa);
        Assert.True(dev.Atc.Contains(0, Device.NoPasid, 0x2000_3000));

        Assert.True(vm.Context.IoasUnmap(vm.Ioas.Id, 0x1000_0000, 0x10000).IsOk);
        Assert.False(bed.Iommu.Iotlb.Contains(bed.HostDomain, 0, 0x2000_3000));
        Assert.False(dev.Atc.Contains(0, Device.NoPasid, 0x2000_3000));
        var r = dev.Translate(0x2000_3000, null, Access.Read);
        Assert.Equal(TranslationStage.Stage2, r.Fault!.Stage);
        Assert.Equal(0x1000_3000UL, r.Fault.FaultAddress);
    }

    /// <summary>
    /// Random guest edits of its page table (remap, unmap), random DMA in between (which may legitimately see stale entries),
    /// then the guest's invalidation of what it touched and a COMPLETION_WAIT: from then on every DMA sees exactly the guest's
    /// current tables.
    /// </summary>
    [Fact]
    public void DmaAfterACompletedWaitNeverSeesAStaleEntry()
    {
        var bed = AmdTestBed.Create(ats: true);
        var pages = Enumerable.Range(0, 4).Select(i => AmdTestBed.Iova + ((ulong)i * 0x1000)).ToArray();
        var targets = Enumerable.Range(0, 4).Select(_ => bed.Vm.DmaAllocator.Allocate(0x1000)).ToArray();
        var expected = pages.ToDictionary(p => p, p => (ulong?)(bed.Buffer + (p - AmdTestBed.Iova)));
        var devices = new[] { bed.Dev(0x0008), bed.Dev(0x0010) };
        var op = Gen.Select(Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 1]);

        op.Array[1, 12].Sample(ops =>
        {
            var touched = new HashSet<ulong>();
            foreach (var (kind, page, target, device) in ops)
            {
                var iova = pages[page];
                switch (kind)
                {
                    case 0:
                        if (!bed.Table.Remap(iova, targets[target]))
                        {
                            bed.Table.Map(iova, targets[target], 0x1000);
                        }

                        expected[iova] = targets[target];
                        touched.Add(iova);
                        break;
                    case 1:
                        bed.Table.Unmap(iova);
                        expected[iova] = null;
                        touched.Add(iova);
                        break;
                    default:
                        devices[device].Translate(iova, null, Access.Read); // may be stale: nothing invalidated yet
                        break;
                }
            }

            Assert.True(bed.Guest(touched.SelectMany(iova => new[]
            {
                AmdTestBed.Pages(bed.DomainId, iova, iova + 0xFFF),
                AmdTestBed.Iotlb(0x0008, iova, iova + 0xFFF),
                AmdTestBed.Iotlb(0x0010, iova, iova + 0xFFF),
            }).ToArray()));

            foreach (var dev in devices)
            {
                foreach (var iova in pages)
                {
                    var r = dev.Translate(iova, null, Access.Read);
                    if (expected[iova] is { } gpa)
                    {
                        Assert.True(r.IsOk, $"0x{iova:X} should map GPA 0x{gpa:X}: {r}");
                        Assert.Equal(bed.Vm.Ram.Hpa + gpa, r.Hpa);
                    }
                    else
                    {
                        Assert.False(r.IsOk, $"0x{iova:X} is unmapped but translated: {r}");
                    }
                }
            }
        }, iter: 150, threads: 1);
    }
}
