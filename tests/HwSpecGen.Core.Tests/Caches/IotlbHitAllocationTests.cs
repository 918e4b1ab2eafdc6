using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Tests.Shared;
using static HwSpecGen.Core.Tests.Caches.HitPathWorlds;

namespace HwSpecGen.Core.Tests.Caches;

/// <summary>
/// The hit path of each vendor's hardware translation (configuration lookup, then an IOTLB hit) allocates nothing:
/// measured with GC.GetAllocatedBytesForCurrentThread around many hits (benchmarks/ times it; this only counts bytes).
/// </summary>
public sealed class IotlbHitAllocationTests
{
    [Theory]
    [InlineData("amd-vi")]
    [InlineData("intel-vtd")]
    [InlineData("arm-smmuv3")]
    public void HitsAllocateNothing(string vendor)
    {
        var (iommu, device) = Create(vendor);
        for (var i = 0UL; i < Pages; i++)
        {
            var first = iommu.Translate(device, null, Iova + (i << 12), Access.Read);
            Assert.True(first.IsOk, first.ToString());
        }

        var hits = 0;
        var least = AllocationMeter.LeastAllocated(() => hits = Hits(iommu, device, 100_000));
        Assert.Equal(100_000, hits);
        Assert.Equal(0, least);
    }

    /// <summary>
    /// The hit path is kept apart from the walk (its own small frame); when it misses, the full path must not probe the
    /// IOTLB again: one translation is one IOTLB lookup, counted once, whether it hits or misses.
    /// </summary>
    [Theory]
    [InlineData("amd-vi")]
    [InlineData("intel-vtd")]
    [InlineData("arm-smmuv3")]
    public void EachTranslationIsOneIotlbLookup(string vendor)
    {
        var (iommu, device) = Create(vendor);
        var warm = iommu.Translate(device, null, Iova, Access.Read); // fills the configuration caches
        Assert.True(warm.IsOk, warm.ToString());
        iommu.Iotlb.InvalidateAll();
        for (var i = 0UL; i < Pages; i++)
        {
            var (hits, misses) = (iommu.Iotlb.Hits, iommu.Iotlb.Misses);
            var miss = iommu.Translate(device, null, Iova + (i << 12), Access.Read);
            Assert.Equal(TranslationSource.Walk, miss.Source);
            Assert.Equal((hits, misses + 1), (iommu.Iotlb.Hits, iommu.Iotlb.Misses));
            var hit = iommu.Translate(device, null, Iova + (i << 12) + 8, Access.Read);
            Assert.Equal(TranslationSource.Iotlb, hit.Source);
            Assert.Equal(miss.Hpa + 8, hit.Hpa);
            Assert.Equal((hits + 1, misses + 1), (iommu.Iotlb.Hits, iommu.Iotlb.Misses));
        }
    }

    private static int Hits(PhysicalIommu iommu, Device device, int n)
    {
        var hits = 0;
        for (var i = 0; i < n; i++)
        {
            var r = iommu.Translate(device, null, Iova + ((ulong)(i % Pages) << 12) + 0x10, Access.Read);
            hits += r.Source == TranslationSource.Iotlb ? 1 : 0;
        }

        return hits;
    }
}
