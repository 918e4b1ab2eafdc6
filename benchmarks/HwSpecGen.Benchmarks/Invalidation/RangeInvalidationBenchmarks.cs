using System;
using BenchmarkDotNet.Attributes;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Benchmarks.Invalidation;

/// <summary>
/// Range invalidation in an IOTLB holding 1 M translations, 64 Ki of them in the very address space being invalidated
/// (below the range). Each operation invalidates one range and caches the removed pages again, so every operation sees
/// the same cache. The claim measured: the cost follows the entries removed (10 → 100 → 1000), not the size of the
/// range (10 entries spread over 1 GiB, 1 TiB or 126 TiB cost about the same). 10 entries packed in 40 KiB are
/// cheaper still: a range covering at most 16 pages is probed page by page instead of walked.
/// </summary>
public class RangeInvalidationBenchmarks
{
    private const ulong Window = 0x100_0000_0000; // 1 TiB: the range starts here, above the space's 64 Ki cached pages
    private const int Space = 0; // CacheFixture space 0

    private TranslationCache _cache = new();
    private ulong _tag;
    private ulong _space;

    [GlobalSetup]
    public void Setup()
    {
        _cache = CacheFixture.Filled();
        _tag = CacheFixture.Tag(Space);
        _space = CacheFixture.Space(Space);
    }

    [Benchmark]
    [BenchmarkCategory("Range invalidation, 1M cached")]
    public int Entries10_Span40KiB() => Cycle(10, 0x1000);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Range invalidation, 1M cached")]
    public int Entries10_Span1GiB() => Cycle(10, 0x4000_0000 / 10);

    [Benchmark]
    [BenchmarkCategory("Range invalidation, 1M cached")]
    public int Entries10_Span1TiB() => Cycle(10, Window / 10);

    [Benchmark]
    [BenchmarkCategory("Range invalidation, 1M cached")]
    public int Entries10_Span126TiB() => Cycle(10, Window * 14);

    [Benchmark]
    [BenchmarkCategory("Range invalidation, 1M cached")]
    public int Entries1_Span4KiB() => Cycle(1, 0x1000);

    [Benchmark]
    [BenchmarkCategory("Range invalidation, 1M cached")]
    public int Entries100_Span1TiB() => Cycle(100, Window / 100);

    [Benchmark]
    [BenchmarkCategory("Range invalidation, 1M cached")]
    public int Entries1000_Span1TiB() => Cycle(1000, Window / 1000);

    [Benchmark]
    [BenchmarkCategory("Range invalidation, 1M cached")]
    public int Entries0_Span1TiB() => _cache.InvalidateRange(_tag, _space, Window, (2 * Window) - 1);

    /// <summary>Caches <paramref name="count"/> pages <paramref name="stride"/> apart from 1 TiB, then invalidates exactly the span holding them.</summary>
    private int Cycle(int count, ulong stride)
    {
        stride &= ~0xFFFUL;
        for (var i = 0; i < count; i++)
        {
            var iova = Window + ((ulong)i * stride);
            _cache.Insert(_tag, _space, iova, new TlbEntry(0x7_0000_0000UL + ((ulong)i << 12), 12, Access.ReadWrite));
        }

        var last = Window + ((ulong)(count - 1) * stride) + 0xFFF;
        var removed = _cache.InvalidateRange(_tag, _space, Window, last);
        return removed == count ? removed : throw new InvalidOperationException($"removed {removed}, expected {count}");
    }
}
