using System;
using System.Runtime.CompilerServices;

namespace HwSpecGen.Core.Caches;

/// <summary>
/// A configuration cache indexed by a 16-bit requester ID (PCI bus/device/function, AMD DeviceID): a table of 256
/// bus pages of 256 slots, a page allocated on the first entry of its bus. A lookup is two array reads — what a
/// hardware configuration cache indexed by requester ID costs — where a hash map would cost a hash and a probe.
/// </summary>
/// <typeparam name="T">The cached entry.</typeparam>
public sealed class DeviceIdCache<T>
    where T : struct
{
    private readonly Page?[] _pages = new Page?[256];

    /// <summary>Number of cached entries.</summary>
    public int Count { get; private set; }

    /// <summary>A reference to the entry of <paramref name="id"/>, or a null reference when none is cached.</summary>
    /// <param name="id">The requester ID (16 bits).</param>
    /// <returns>The entry, or <see cref="Unsafe.NullRef{T}"/>.</returns>
    public ref T Find(uint id)
    {
        if (id <= 0xFFFF && _pages[id >> 8] is { } page && page.Present[id & 0xFF])
        {
            return ref page.Entries[id & 0xFF];
        }

        return ref Unsafe.NullRef<T>();
    }

    /// <summary>Whether an entry of <paramref name="id"/> is cached.</summary>
    /// <param name="id">The requester ID.</param>
    /// <returns>True when cached.</returns>
    public bool Contains(uint id) => !Unsafe.IsNullRef(ref Find(id));

    /// <summary>Caches <paramref name="entry"/> for <paramref name="id"/> (replacing any) and returns a reference to it.</summary>
    /// <param name="id">The requester ID (16 bits).</param>
    /// <param name="entry">The entry.</param>
    /// <returns>The cached entry.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> has more than 16 bits.</exception>
    public ref T Set(uint id, T entry)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(id, 0xFFFFu);
        var page = _pages[id >> 8] ??= new Page();
        if (!page.Present[id & 0xFF])
        {
            page.Present[id & 0xFF] = true;
            Count++;
        }

        page.Entries[id & 0xFF] = entry;
        return ref page.Entries[id & 0xFF];
    }

    /// <summary>Drops the entry of <paramref name="id"/>.</summary>
    /// <param name="id">The requester ID.</param>
    /// <returns>True when one was cached.</returns>
    public bool Remove(uint id)
    {
        if (id > 0xFFFF || _pages[id >> 8] is not { } page || !page.Present[id & 0xFF])
        {
            return false;
        }

        page.Present[id & 0xFF] = false;
        page.Entries[id & 0xFF] = default;
        Count--;
        return true;
    }

    /// <summary>Drops every entry.</summary>
    public void Clear()
    {
        Array.Clear(_pages);
        Count = 0;
    }

    private sealed class Page
    {
        public readonly T[] Entries = new T[256];
        public readonly bool[] Present = new bool[256];
    }
}
