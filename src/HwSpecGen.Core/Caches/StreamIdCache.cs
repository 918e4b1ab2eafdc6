using System;
using System.Collections.Generic;

namespace HwSpecGen.Core.Caches;

/// <summary>
/// A configuration cache indexed by a StreamID of up to 32 bits (Arm SMMUv3 SIDSIZE): StreamIDs below 2^16 — what PCIe
/// requester IDs give — sit in 256 pages of 256 slots (a page allocated on the first entry of its bus), so a lookup is
/// two array reads and a null check; wider StreamIDs go to a hash map. Entries are objects, so a cached entry can carry
/// what hangs off it (an STE's cached CDs) and be updated in place.
/// </summary>
/// <typeparam name="T">The cached entry.</typeparam>
public sealed class StreamIdCache<T>
    where T : class
{
    private const uint DirectLimit = 0xFFFF;
    private readonly T?[]?[] _pages = new T?[]?[256];
    private readonly Dictionary<uint, T> _wide = new();

    /// <summary>Number of cached entries.</summary>
    public int Count { get; private set; }

    /// <summary>Every cached entry with its StreamID, in StreamID order for the paged part (allocates; for diagnostics and range drops).</summary>
    public IEnumerable<KeyValuePair<uint, T>> Entries
    {
        get
        {
            for (var p = 0; p < _pages.Length; p++)
            {
                if (_pages[p] is not { } page)
                {
                    continue;
                }

                for (var s = 0; s < page.Length; s++)
                {
                    if (page[s] is { } entry)
                    {
                        yield return new KeyValuePair<uint, T>((uint)((p << 8) | s), entry);
                    }
                }
            }

            foreach (var pair in _wide)
            {
                yield return pair;
            }
        }
    }

    /// <summary>The entry of <paramref name="sid"/>, or null when none is cached.</summary>
    /// <param name="sid">The StreamID.</param>
    /// <returns>The entry or null.</returns>
    public T? Find(uint sid)
    {
        if (sid <= DirectLimit)
        {
            return _pages[sid >> 8] is { } page ? page[sid & 0xFF] : null;
        }

        return _wide.TryGetValue(sid, out var wide) ? wide : null;
    }

    /// <summary>Caches <paramref name="entry"/> for <paramref name="sid"/>, replacing any.</summary>
    /// <param name="sid">The StreamID.</param>
    /// <param name="entry">The entry.</param>
    public void Set(uint sid, T entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (sid <= DirectLimit)
        {
            var page = _pages[sid >> 8] ??= new T?[256];
            if (page[sid & 0xFF] is null)
            {
                Count++;
            }

            page[sid & 0xFF] = entry;
            return;
        }

        if (_wide.TryAdd(sid, entry))
        {
            Count++;
        }
        else
        {
            _wide[sid] = entry;
        }
    }

    /// <summary>Drops the entry of <paramref name="sid"/>.</summary>
    /// <param name="sid">The StreamID.</param>
    /// <returns>True when one was cached.</returns>
    public bool Remove(uint sid)
    {
        if (sid <= DirectLimit)
        {
            if (_pages[sid >> 8] is not { } page || page[sid & 0xFF] is null)
            {
                return false;
            }

            page[sid & 0xFF] = null;
            Count--;
            return true;
        }

        if (_wide.Remove(sid))
        {
            Count--;
            return true;
        }

        return false;
    }

    /// <summary>Drops the entries of StreamIDs <paramref name="first"/> to <paramref name="last"/> inclusive (CFGI_STE_RANGE, CFGI_ALL): visits only the allocated pages the range overlaps.</summary>
    /// <param name="first">First StreamID.</param>
    /// <param name="last">Last StreamID.</param>
    /// <returns>The number of entries dropped.</returns>
    public int RemoveRange(ulong first, ulong last)
    {
        if (first > last)
        {
            return 0;
        }

        var removed = 0;
        if (first <= DirectLimit)
        {
            var end = Math.Min(last, DirectLimit);
            for (var p = (int)(first >> 8); p <= (int)(end >> 8); p++)
            {
                if (_pages[p] is not { } page)
                {
                    continue;
                }

                var lo = Math.Max(first, (ulong)p << 8);
                var hi = Math.Min(end, ((ulong)p << 8) | 0xFF);
                for (var sid = lo; sid <= hi; sid++)
                {
                    if (page[sid & 0xFF] is not null)
                    {
                        page[sid & 0xFF] = null;
                        removed++;
                    }
                }
            }
        }

        if (last > DirectLimit && _wide.Count > 0)
        {
            foreach (var sid in _wide.Keys)
            {
                if (sid >= first && sid <= last)
                {
                    _wide.Remove(sid);
                    removed++;
                }
            }
        }

        Count -= removed;
        return removed;
    }
}
