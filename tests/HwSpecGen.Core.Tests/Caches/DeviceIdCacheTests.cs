using System;
using System.Runtime.CompilerServices;
using HwSpecGen.Core.Caches;

namespace HwSpecGen.Core.Tests.Caches;

/// <summary>The requester-ID-indexed configuration cache behind the AMD DTE cache.</summary>
public sealed class DeviceIdCacheTests
{
    [Fact]
    public void EntriesAreFoundByTheirIdOnly()
    {
        var cache = new DeviceIdCache<long>();
        Assert.True(Unsafe.IsNullRef(ref cache.Find(0x0100)));
        cache.Set(0x0100, 7);
        cache.Set(0xFFFF, 9);
        cache.Set(0x0000, 0); // a default value is still an entry
        Assert.Equal(3, cache.Count);
        Assert.Equal(7, cache.Find(0x0100));
        Assert.Equal(9, cache.Find(0xFFFF));
        Assert.True(cache.Contains(0x0000));
        Assert.False(cache.Contains(0x0101)); // same bus page, another slot
        Assert.False(cache.Contains(0x0200)); // another bus
        Assert.False(cache.Contains(0x1_0100)); // not a 16-bit ID
    }

    [Fact]
    public void SetReplacesAndReturnsTheCachedSlot()
    {
        var cache = new DeviceIdCache<long>();
        cache.Set(0x42, 1);
        ref var slot = ref cache.Set(0x42, 2);
        Assert.Equal(1, cache.Count);
        slot = 3;
        Assert.Equal(3, cache.Find(0x42));
        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Set(0x1_0000, 1));
    }

    [Fact]
    public void RemoveAndClearDropEntries()
    {
        var cache = new DeviceIdCache<long>();
        cache.Set(0x10, 1);
        cache.Set(0x11, 2);
        Assert.True(cache.Remove(0x10));
        Assert.False(cache.Remove(0x10));
        Assert.False(cache.Remove(0x7_0000));
        Assert.Equal(1, cache.Count);
        Assert.False(cache.Contains(0x10));
        Assert.Equal(2, cache.Find(0x11));
        cache.Clear();
        Assert.Equal(0, cache.Count);
        Assert.False(cache.Contains(0x11));
    }
}
