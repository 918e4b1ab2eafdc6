using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Translation;
using HwSpecGen.Tests.Shared;

namespace HwSpecGen.Core.Tests.Caches;

/// <summary>
/// TranslationCache against a reference model (a dictionary and linear scans, the obvious semantics): random mixes of
/// inserts, lookups and every kind of invalidation, over tags, PASIDs (including NoPasid), all four page sizes and
/// addresses up to the top of the 64-bit space.
/// </summary>
public sealed class TranslationCacheTests
{
    private static readonly int[] Shifts = [12, 21, 30, 39];
    private static readonly ulong[] Spaces = [0, 1, 7, 0xFFFFF, ulong.MaxValue];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void BehavesLikeTheReferenceModel(int seed)
    {
        var random = new Random(seed);
        var cache = new TranslationCache();
        var model = new Dictionary<TlbKey, TlbEntry>();
        for (var step = 0; step < 20_000; step++)
        {
            var tag = (ulong)random.Next(1, 4);
            var space = Spaces[random.Next(Spaces.Length)];
            var address = RandomAddress(random);
            switch (random.Next(20))
            {
                case < 9:
                    {
                        var shift = Shifts[random.Next(random.Next(2) == 0 ? 1 : 4)];
                        var entry = new TlbEntry((ulong)random.NextInt64() & ~((1UL << shift) - 1) & ((1UL << 52) - 1), shift, (Access)random.Next(16));
                        cache.Insert(tag, space, address, entry);
                        model[new TlbKey(tag, space, address & ~((1UL << shift) - 1), shift)] = entry;
                        break;
                    }

                case < 13:
                    {
                        var expected = Lookup(model, tag, space, address);
                        Assert.Equal(expected.HasValue, cache.Contains(tag, space, address));
                        Assert.Equal(expected.HasValue, cache.TryLookup(tag, space, address, out var got));
                        Assert.Equal(expected ?? default, got);
                        break;
                    }

                case < 16:
                    {
                        var (start, last) = RandomRange(random, address);
                        Assert.Equal(Remove(model, k => k.Tag == tag && k.Space == space && Overlaps(k, start, last)), cache.InvalidateRange(tag, space, start, last));
                        break;
                    }

                case 16:
                    {
                        var (start, last) = RandomRange(random, address);
                        Assert.Equal(Remove(model, k => k.Tag == tag && Overlaps(k, start, last)), cache.InvalidateRangeAllSpaces(tag, start, last));
                        break;
                    }

                case 17:
                    Assert.Equal(Remove(model, k => k.Tag == tag && k.Space == space), cache.InvalidateSpace(tag, space));
                    break;
                case 18:
                    Assert.Equal(Remove(model, k => k.Tag == tag), cache.InvalidateTag(tag));
                    break;
                default:
                    if (random.Next(20) == 0)
                    {
                        Assert.Equal(Remove(model, _ => true), cache.InvalidateAll());
                    }

                    break;
            }

            Assert.Equal(model.Count, cache.Count);
        }

        Assert.Equal(model.OrderBy(kv => kv.Key.ToString()), cache.Entries.OrderBy(kv => kv.Key.ToString()));
    }

    [Fact]
    public void LookupCountsHitsAndMissesAndPrefersTheSmallestPage()
    {
        var cache = new TranslationCache();
        cache.Insert(1, 0, 0x4020_0000, new TlbEntry(0x8000_0000, 21, Access.Read));
        cache.Insert(1, 0, 0x4020_3000, new TlbEntry(0x9000_3000, 12, Access.ReadWrite));
        Assert.True(cache.TryLookup(1, 0, 0x4020_3123, out var small));
        Assert.Equal(new TlbEntry(0x9000_3000, 12, Access.ReadWrite), small);
        Assert.True(cache.TryLookup(1, 0, 0x4021_0000, out var large));
        Assert.Equal(21, large.PageShift);
        Assert.False(cache.TryLookup(1, 1, 0x4021_0000, out _));
        Assert.Equal((2, 1), (cache.Hits, cache.Misses));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Insert(1, 0, 0, new TlbEntry(0, 16, Access.Read)));
    }

    [Fact]
    public void ARangeFindsLargePagesThatStartBeforeIt()
    {
        var cache = new TranslationCache();
        cache.Insert(5, 3, 0x80_0000_0000, new TlbEntry(0, 39, Access.Read)); // 512 GiB page at 512 GiB
        for (var i = 0UL; i < 100; i++)
        {
            cache.Insert(5, 3, 0x1000 * i, new TlbEntry(0x1000 * i, 12, Access.Read));
        }

        Assert.Equal(1, cache.InvalidateRange(5, 3, 0xFF_FFFF_F000, 0xFF_FFFF_FFFF)); // the last 4 KiB of the big page
        Assert.Equal(100, cache.Count);
        Assert.Equal(100, cache.InvalidateRange(5, 3, 0, ulong.MaxValue));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void IotlbHitsAllocateNothing()
    {
        var cache = new TranslationCache();
        for (var i = 0UL; i < 4096; i++)
        {
            cache.Insert(1, 0, 0x4000_0000 + (i << 12), new TlbEntry(0x10_0000_0000 + (i << 12), 12, Access.ReadWrite));
        }

        cache.Insert(1, 0, 0x8000_0000, new TlbEntry(0x20_0000_0000, 21, Access.ReadWrite));
        var hits = 0;
        var allocated = AllocationMeter.LeastAllocated(() => hits = Hits(cache, 200_000));
        Assert.Equal(200_000, hits);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void PageInvalidationAndRefillAllocateNothingInSteadyState()
    {
        var cache = new TranslationCache();
        for (var i = 0UL; i < 4096; i++)
        {
            cache.Insert(1, 0, i << 12, new TlbEntry(i << 12, 12, Access.ReadWrite));
        }

        var removed = 0;
        var allocated = AllocationMeter.LeastAllocated(() => removed = Cycle(cache, 4096));
        Assert.Equal(4096, removed);
        Assert.Equal(0, allocated);
        Assert.Equal(4096, cache.Count);

        static int Cycle(TranslationCache cache, int pages)
        {
            var removed = 0;
            for (var i = 0UL; i < (ulong)pages; i++)
            {
                removed += cache.InvalidateRange(1, 0, i << 12, (i << 12) + 0xFFF);
                cache.Insert(1, 0, i << 12, new TlbEntry(i << 12, 12, Access.ReadWrite));
            }

            return removed;
        }
    }

    private static int Hits(TranslationCache cache, int n)
    {
        var hits = 0;
        for (var i = 0; i < n; i++)
        {
            var iova = 0x4000_0000UL + ((ulong)(i & 4095) << 12) + 0x123;
            if (cache.TryLookup(1, 0, (i & 7) == 7 ? 0x8000_0000UL + (ulong)i : iova, out _))
            {
                hits++;
            }
        }

        return hits;
    }

    private static ulong RandomAddress(Random random) => random.Next(4) switch
    {
        0 => (ulong)random.Next(1 << 20) << 12, // dense low 4 GiB
        1 => 0x7F00_0000_0000UL + ((ulong)random.Next(64) << 21) + ((ulong)random.Next(4) << 12),
        2 => ulong.MaxValue - ((ulong)random.Next(1 << 16) << 12), // the top of the address space
        _ => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63),
    };

    private static (ulong Start, ulong Last) RandomRange(Random random, ulong around)
    {
        switch (random.Next(5))
        {
            case 0:
                return (around & ~0xFFFUL, (around & ~0xFFFUL) + 0xFFF);
            case 1:
                {
                    var start = around & ~0xFFFUL;
                    var length = (ulong)random.Next(1, 64) << 12;
                    return (start, start > ulong.MaxValue - length ? ulong.MaxValue : start + length - 1);
                }

            case 2:
                {
                    var shift = random.Next(12, 64);
                    var start = around & ~((1UL << shift) - 1);
                    return (start, start + ((1UL << shift) - 1));
                }

            case 3:
                return (0, ulong.MaxValue);
            default:
                {
                    var a = RandomAddress(random);
                    return a < around ? (a, around) : (around, a);
                }
        }
    }

    private static bool Overlaps(TlbKey k, ulong start, ulong last) => k.Base <= last && k.Base + ((1UL << k.PageShift) - 1) >= start;

    private static TlbEntry? Lookup(Dictionary<TlbKey, TlbEntry> model, ulong tag, ulong space, ulong address)
    {
        foreach (var shift in Shifts)
        {
            if (model.TryGetValue(new TlbKey(tag, space, address & ~((1UL << shift) - 1), shift), out var e))
            {
                return e;
            }
        }

        return null;
    }

    private static int Remove(Dictionary<TlbKey, TlbEntry> model, Func<TlbKey, bool> doomed)
    {
        var keys = model.Keys.Where(doomed).ToList();
        foreach (var k in keys)
        {
            model.Remove(k);
        }

        return keys.Count;
    }
}
