using System;
using BenchmarkDotNet.Attributes;
using HwSpecGen.Core.Caches;

namespace HwSpecGen.Benchmarks.Invalidation;

/// <summary>
/// Page invalidations (one 4 KiB page each, as INVALIDATE_IOMMU_PAGES with S=0, a PASID-based IOTLB invalidate with
/// AM=0, or a CMD_TLBI_NH_VA without range) against an IOTLB holding 1 M translations. <c>Present</c> removes a cached
/// page (a quarter of the cache, in random order, refilled before every iteration); <c>NotCached</c> invalidates pages
/// the cache does not hold (the common case for a guest that invalidates after every unmap); <c>PresentSequential</c>
/// removes a quarter of each space's pages in address order.
/// Goal: at least 10 M page-invalidation commands per second on one core (≤ 100 ns each).
/// </summary>
[InvocationCount(1)]
public class PageInvalidationBenchmarks
{
    /// <summary>Pages invalidated per invocation.</summary>
    public const int Batch = CacheFixture.Entries / 4;

    private TranslationCache _cache = new();
    private long[] _order = [];
    private ulong[] _tags = [];
    private ulong[] _spaces = [];
    private ulong[] _iovas = [];

    [GlobalSetup]
    public void Setup()
    {
        _cache = CacheFixture.Filled();
        _order = CacheFixture.Shuffled(7).AsSpan(0, Batch).ToArray();
        _tags = new ulong[Batch];
        _spaces = new ulong[Batch];
        _iovas = new ulong[Batch];
        for (var k = 0; k < Batch; k++)
        {
            var s = (int)(_order[k] >> 32);
            _tags[k] = CacheFixture.Tag(s);
            _spaces[k] = CacheFixture.Space(s);
            _iovas[k] = CacheFixture.Iova((int)(uint)_order[k]);
        }
    }

    [IterationSetup(Targets = [nameof(Present), nameof(PresentSequential)])]
    public void Refill()
    {
        for (var s = 0; s < CacheFixture.Spaces; s++)
        {
            for (var i = 0; i < CacheFixture.PagesPerSpace; i++)
            {
                _cache.Insert(CacheFixture.Tag(s), CacheFixture.Space(s), CacheFixture.Iova(i), CacheFixture.Entry(s, i));
            }
        }

        if (_cache.Count != CacheFixture.Entries)
        {
            throw new InvalidOperationException($"cache holds {_cache.Count} entries");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    [BenchmarkCategory("IOTLB page invalidation, 1M cached")]
    public int Present()
    {
        var removed = 0;
        for (var k = 0; k < Batch; k++)
        {
            removed += _cache.InvalidateRange(_tags[k], _spaces[k], _iovas[k], _iovas[k] + 0xFFF);
        }

        return removed == Batch ? removed : throw new InvalidOperationException($"removed {removed}");
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("IOTLB page invalidation, 1M cached")]
    public int PresentSequential()
    {
        // the same pages, in address order within each space (a guest unmapping a buffer page by page)
        var removed = 0;
        for (var s = 0; s < CacheFixture.Spaces; s++)
        {
            var tag = CacheFixture.Tag(s);
            var space = CacheFixture.Space(s);
            for (var i = 0; i < CacheFixture.PagesPerSpace / 4; i++)
            {
                var iova = CacheFixture.Iova(i);
                removed += _cache.InvalidateRange(tag, space, iova, iova + 0xFFF);
            }
        }

        return removed == Batch ? removed : throw new InvalidOperationException($"removed {removed}");
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("IOTLB page invalidation, 1M cached")]
    public int NotCached()
    {
        var removed = 0;
        for (var k = 0; k < Batch; k++)
        {
            // same spaces, pages 4 GiB above the cached run
            removed += _cache.InvalidateRange(_tags[k], _spaces[k], _iovas[k] + 0x1_0000_0000, _iovas[k] + 0x1_0000_0FFF);
        }

        return removed == 0 ? removed : throw new InvalidOperationException($"removed {removed}");
    }
}
