using System;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Benchmarks.Invalidation;

/// <summary>
/// A TranslationCache holding <see cref="Entries"/> 4 KiB translations: <see cref="Spaces"/> address spaces (4 domain
/// tags × 4 PASIDs), each with a contiguous run of <see cref="PagesPerSpace"/> pages starting at <see cref="BulkBase"/>.
/// </summary>
public static class CacheFixture
{
    /// <summary>Cached translations (1 M).</summary>
    public const int Entries = 1 << 20;

    /// <summary>Address spaces (tag, PASID) the entries are spread over.</summary>
    public const int Spaces = 16;

    /// <summary>Pages per address space.</summary>
    public const int PagesPerSpace = Entries / Spaces;

    /// <summary>Where each space's run of pages starts (IOVA).</summary>
    public const ulong BulkBase = 0x4000_0000;

    /// <summary>Domain tag of space <paramref name="s"/>.</summary>
    public static ulong Tag(int s) => 1 + (ulong)(s / 4);

    /// <summary>PASID of space <paramref name="s"/>.</summary>
    public static ulong Space(int s) => (ulong)(s % 4);

    /// <summary>IOVA of page <paramref name="i"/> of a space.</summary>
    public static ulong Iova(int i) => BulkBase + ((ulong)i << 12);

    /// <summary>The entry cached for page <paramref name="i"/> of space <paramref name="s"/>.</summary>
    public static TlbEntry Entry(int s, int i) => new(0x10_0000_0000UL + ((ulong)s << 32) + ((ulong)i << 12), 12, Access.ReadWrite);

    /// <summary>A cache with every entry inserted.</summary>
    public static TranslationCache Filled()
    {
        var cache = new TranslationCache();
        for (var s = 0; s < Spaces; s++)
        {
            for (var i = 0; i < PagesPerSpace; i++)
            {
                cache.Insert(Tag(s), Space(s), Iova(i), Entry(s, i));
            }
        }

        return cache;
    }

    /// <summary>A random order of every (space, page) pair, as (space &lt;&lt; 32 | page).</summary>
    public static long[] Shuffled(int seed)
    {
        var all = new long[Entries];
        for (var k = 0; k < Entries; k++)
        {
            all[k] = ((long)(k / PagesPerSpace) << 32) | (uint)(k % PagesPerSpace);
        }

        new Random(seed).Shuffle(all);
        return all;
    }
}
