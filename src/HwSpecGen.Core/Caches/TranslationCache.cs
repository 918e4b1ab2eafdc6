using System;
using System.Collections.Generic;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Caches;

/// <summary>
/// An IOTLB or ATC: translations tagged as the hardware tags them. Lookups are hash probes (one per page size, no
/// allocation); invalidations by tag, by address space, or by range, where a range costs in proportion to the entries it
/// removes (an ordered index per address space), not to the size of the range.
/// </summary>
public sealed class TranslationCache
{
    private static readonly int[] Shifts = [12, 21, 30, 39];
    private readonly Dictionary<TlbKey, TlbEntry> _entries = new();
    private readonly Dictionary<(ulong Tag, ulong Space), SortedSet<(ulong Base, int Shift)>> _index = new();
    private int _shiftsInUse;

    /// <summary>Number of cached pages.</summary>
    public int Count => _entries.Count;

    /// <summary>Hits since creation.</summary>
    public long Hits { get; private set; }

    /// <summary>Misses since creation.</summary>
    public long Misses { get; private set; }

    /// <summary>Looks up the page holding <paramref name="address"/>.</summary>
    public bool TryLookup(ulong tag, ulong space, ulong address, out TlbEntry entry)
    {
        var mask = _shiftsInUse;
        for (var i = 0; i < Shifts.Length; i++)
        {
            if ((mask & (1 << i)) == 0)
            {
                continue;
            }

            var shift = Shifts[i];
            if (_entries.TryGetValue(new TlbKey(tag, space, address & ~((1UL << shift) - 1), shift), out entry))
            {
                Hits++;
                return true;
            }
        }

        Misses++;
        entry = default;
        return false;
    }

    /// <summary>Caches the translation of the page holding <paramref name="address"/>.</summary>
    public void Insert(ulong tag, ulong space, ulong address, TlbEntry entry)
    {
        var i = Array.IndexOf(Shifts, entry.PageShift);
        if (i < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), $"page shift {entry.PageShift} is not cached");
        }

        var key = new TlbKey(tag, space, address & ~((1UL << entry.PageShift) - 1), entry.PageShift);
        _entries[key] = entry;
        _shiftsInUse |= 1 << i;
        if (!_index.TryGetValue((tag, space), out var set))
        {
            _index[(tag, space)] = set = new SortedSet<(ulong, int)>();
        }

        set.Add((key.Base, key.PageShift));
    }

    /// <summary>Drops everything.</summary>
    public int InvalidateAll()
    {
        var n = _entries.Count;
        _entries.Clear();
        _index.Clear();
        return n;
    }

    /// <summary>Drops every entry with domain tag <paramref name="tag"/>.</summary>
    public int InvalidateTag(ulong tag) => InvalidateWhere(k => k.Tag == tag, null);

    /// <summary>Drops every entry of one address space.</summary>
    public int InvalidateSpace(ulong tag, ulong space) => InvalidateWhere(k => k.Tag == tag && k.Space == space, space);

    /// <summary>Drops every entry of <paramref name="tag"/> (any space) overlapping [start, last].</summary>
    public int InvalidateRangeAllSpaces(ulong tag, ulong start, ulong last)
    {
        var removed = 0;
        var spaces = new List<ulong>();
        foreach (var key in _index.Keys)
        {
            if (key.Tag == tag)
            {
                spaces.Add(key.Space);
            }
        }

        foreach (var s in spaces)
        {
            removed += InvalidateRange(tag, s, start, last);
        }

        return removed;
    }

    /// <summary>Drops every entry of one address space overlapping [start, last] (inclusive).</summary>
    public int InvalidateRange(ulong tag, ulong space, ulong start, ulong last)
    {
        if (!_index.TryGetValue((tag, space), out var set) || last < start)
        {
            return 0;
        }

        // An entry overlaps when base <= last and base + size - 1 >= start; the largest page is 2^39.
        var from = start >= (1UL << 39) ? start - (1UL << 39) + 1 : 0;
        var doomed = new List<(ulong Base, int Shift)>();
        foreach (var item in set.GetViewBetween((from, 0), (last, int.MaxValue)))
        {
            if (item.Base + (1UL << item.Shift) - 1 >= start)
            {
                doomed.Add(item);
            }
        }

        foreach (var item in doomed)
        {
            set.Remove(item);
            _entries.Remove(new TlbKey(tag, space, item.Base, item.Shift));
        }

        if (set.Count == 0)
        {
            _index.Remove((tag, space));
        }

        return doomed.Count;
    }

    /// <summary>Every cached entry (for tests and traces).</summary>
    public IEnumerable<KeyValuePair<TlbKey, TlbEntry>> Entries => _entries;

    private int InvalidateWhere(Func<TlbKey, bool> predicate, ulong? space)
    {
        var doomed = new List<TlbKey>();
        foreach (var key in _entries.Keys)
        {
            if (predicate(key))
            {
                doomed.Add(key);
            }
        }

        foreach (var key in doomed)
        {
            _entries.Remove(key);
        }

        var idx = new List<(ulong, ulong)>();
        foreach (var key in _index.Keys)
        {
            if (predicate(new TlbKey(key.Tag, key.Space, 0, 12)) && (space is null || key.Space == space))
            {
                idx.Add(key);
            }
        }

        foreach (var k in idx)
        {
            _index.Remove(k);
        }

        return doomed.Count;
    }

    /// <summary>Whether the translation of <paramref name="address"/> would hit (no statistics).</summary>
    public bool Contains(ulong tag, ulong space, ulong address)
    {
        foreach (var shift in Shifts)
        {
            if (_entries.ContainsKey(new TlbKey(tag, space, address & ~((1UL << shift) - 1), shift)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The translation result of a cached entry for <paramref name="address"/>.</summary>
    public static TranslationResult ToResult(TlbEntry entry, ulong address, TranslationSource source) =>
        TranslationResult.Success(entry.OutputBase | (address & ((1UL << entry.PageShift) - 1)), entry.PageShift, entry.Permissions, source);
}
