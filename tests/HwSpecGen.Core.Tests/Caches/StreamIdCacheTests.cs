using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Caches;

namespace HwSpecGen.Core.Tests.Caches;

/// <summary>The StreamID-indexed configuration cache behind the SMMUv3 STE cache: paged below 2^16, a map above.</summary>
public sealed class StreamIdCacheTests
{
    [Fact]
    public void EntriesAreFoundByTheirStreamIdOnly()
    {
        var cache = new StreamIdCache<string>();
        Assert.Null(cache.Find(0x0100));
        cache.Set(0x0100, "a");
        cache.Set(0xFFFF, "b");
        cache.Set(0x1_0100, "wide"); // SIDSIZE > 16: same low 16 bits as "a"
        cache.Set(0xFFFF_FFFF, "top");
        Assert.Equal(4, cache.Count);
        Assert.Equal("a", cache.Find(0x0100));
        Assert.Equal("b", cache.Find(0xFFFF));
        Assert.Equal("wide", cache.Find(0x1_0100));
        Assert.Equal("top", cache.Find(0xFFFF_FFFF));
        Assert.Null(cache.Find(0x0101));
        Assert.Null(cache.Find(0x2_0100));
        cache.Set(0x0100, "a2");
        cache.Set(0x1_0100, "wide2");
        Assert.Equal(4, cache.Count);
        Assert.Equal("a2", cache.Find(0x0100));
        Assert.Equal("wide2", cache.Find(0x1_0100));
    }

    [Fact]
    public void RemoveDropsOneEntry()
    {
        var cache = new StreamIdCache<string>();
        cache.Set(0x10, "x");
        cache.Set(0x7_0000, "y");
        Assert.True(cache.Remove(0x10));
        Assert.False(cache.Remove(0x10));
        Assert.True(cache.Remove(0x7_0000));
        Assert.False(cache.Remove(0x7_0000));
        Assert.False(cache.Remove(0x11));
        Assert.Equal(0, cache.Count);
    }

    [Theory]
    [InlineData(0x00FEUL, 0x0201UL)] // across three bus pages
    [InlineData(0x0000UL, 0xFFFF_FFFFUL)] // CFGI_ALL
    [InlineData(0xFFF0UL, 0x1_0005UL)] // the paged part and the map
    [InlineData(0x1_0000UL, 0x1_0000UL)] // one wide StreamID
    [InlineData(0x0300UL, 0x02FFUL)] // empty (first > last)
    public void RemoveRangeDropsExactlyTheEntriesInside(ulong first, ulong last)
    {
        var cache = new StreamIdCache<string>();
        uint[] sids = [0x0000, 0x00FD, 0x00FE, 0x00FF, 0x0100, 0x0200, 0x0201, 0x0202, 0xFFF0, 0xFFFF, 0x1_0000, 0x1_0005, 0x1_0006, 0xFFFF_FFFF];
        foreach (var sid in sids)
        {
            cache.Set(sid, $"{sid:X}");
        }

        var inside = sids.Where(s => s >= first && s <= last).ToHashSet();
        Assert.Equal(inside.Count, cache.RemoveRange(first, last));
        Assert.Equal(sids.Length - inside.Count, cache.Count);
        foreach (var sid in sids)
        {
            Assert.Equal(!inside.Contains(sid), cache.Find(sid) is not null);
        }

        Assert.Equal(sids.Where(s => !inside.Contains(s)).OrderBy(s => s), cache.Entries.Select(e => e.Key).OrderBy(s => s));
        Assert.All(cache.Entries, (KeyValuePair<uint, string> e) => Assert.Equal($"{e.Key:X}", e.Value));
    }
}
