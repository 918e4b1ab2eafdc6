using System;
using BenchmarkDotNet.Attributes;
using HwSpecGen.Core.Caches;

namespace HwSpecGen.Benchmarks.Invalidation;

/// <summary>
/// The IOTLB itself (<see cref="TranslationCache.TryLookup"/>) holding 1 M translations: hits on a hot set of 64 pages
/// (what a device streaming through a buffer sees), hits in random order over all 1 M (a cache miss of the host CPU each),
/// and lookups that miss. The vendor translation benchmarks add each vendor's configuration lookup in front of this.
/// Goal: hit ≤ 20 ns, 0 bytes allocated.
/// </summary>
public class CacheLookupBenchmarks
{
    private const int Batch = 4096;
    private TranslationCache _cache = new();
    private ulong[] _tags = [];
    private ulong[] _spaces = [];
    private ulong[] _iovas = [];

    [GlobalSetup]
    public void Setup()
    {
        _cache = CacheFixture.Filled();
        var order = CacheFixture.Shuffled(11);
        _tags = new ulong[Batch];
        _spaces = new ulong[Batch];
        _iovas = new ulong[Batch];
        for (var k = 0; k < Batch; k++)
        {
            var s = (int)(order[k] >> 32);
            _tags[k] = CacheFixture.Tag(s);
            _spaces[k] = CacheFixture.Space(s);
            _iovas[k] = CacheFixture.Iova((int)(uint)order[k]) + 0x123;
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    [BenchmarkCategory("IOTLB lookup, 1M cached")]
    public int HitHot64()
    {
        var hits = 0;
        for (var k = 0; k < Batch; k++)
        {
            hits += _cache.TryLookup(CacheFixture.Tag(0), CacheFixture.Space(0), CacheFixture.Iova(k & 63) + 0x10, out _) ? 1 : 0;
        }

        return hits == Batch ? hits : throw new InvalidOperationException("miss");
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("IOTLB lookup, 1M cached")]
    public int HitRandom()
    {
        var hits = 0;
        for (var k = 0; k < Batch; k++)
        {
            hits += _cache.TryLookup(_tags[k], _spaces[k], _iovas[k], out _) ? 1 : 0;
        }

        return hits == Batch ? hits : throw new InvalidOperationException("miss");
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    [BenchmarkCategory("IOTLB lookup, 1M cached")]
    public int Miss()
    {
        var hits = 0;
        for (var k = 0; k < Batch; k++)
        {
            hits += _cache.TryLookup(_tags[k], _spaces[k], _iovas[k] + 0x1_0000_0000, out _) ? 1 : 0;
        }

        return hits == 0 ? hits : throw new InvalidOperationException("hit");
    }
}
