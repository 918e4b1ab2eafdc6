using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace HwSpecGen.Core.Memory;

/// <summary>
/// Sparse host physical memory backed page by page. Every access is checked: touching a page that is not backed
/// returns false (the caller turns it into the vendor's fault), never an exception. A backed page reads as zero until
/// its first write gives it storage of its own, so backing a large range (guest RAM, a device table) costs no memory.
/// </summary>
public sealed class PhysicalMemory
{
    /// <summary>Page size in bytes.</summary>
    public const int PageSize = 4096;

    /// <summary>The contents of every backed page not written yet; never written itself.</summary>
    private static readonly byte[] ZeroPage = new byte[PageSize];

    /// <summary>Entries of the page-lookup cache (direct-mapped by the low PFN bits; a power of two).</summary>
    private const int CachedPages = 64;

    private readonly Dictionary<ulong, byte[]> _pages = new();

    // A small direct-mapped cache of PFN → storage in front of the map: a walk or a queue touches a handful of pages
    // over and over (table pages, a queue page and its status page), and each would otherwise be a hash lookup.
    private readonly ulong[] _cachedPfn = NewEmptyTags();
    private readonly byte[]?[] _cachedPage = new byte[]?[CachedPages];

    /// <summary>Number of backed pages.</summary>
    public int BackedPages => _pages.Count;

    /// <summary>Backs every page of [<paramref name="address"/>, +<paramref name="length"/>) with zeroed memory (pages already backed keep their bytes).</summary>
    public void Back(ulong address, ulong length)
    {
        if (length == 0)
        {
            return;
        }

        var first = address / PageSize;
        var last = (address + length - 1) / PageSize;
        for (var pfn = first; pfn <= last; pfn++)
        {
            _pages.TryAdd(pfn, ZeroPage);
        }
    }

    /// <summary>Removes the backing of every page of the range (their contents are lost).</summary>
    public void Unback(ulong address, ulong length)
    {
        if (length == 0)
        {
            return;
        }

        for (var pfn = address / PageSize; pfn <= (address + length - 1) / PageSize; pfn++)
        {
            _pages.Remove(pfn);
        }

        Array.Fill(_cachedPfn, ulong.MaxValue);
        Array.Clear(_cachedPage);
    }

    /// <summary>True when the page holding <paramref name="address"/> is backed.</summary>
    public bool IsBacked(ulong address) => _pages.ContainsKey(address / PageSize);

    /// <summary>True when the page holding <paramref name="address"/> has been written since it was backed (a page never written reads as zero).</summary>
    public bool HasContents(ulong address) => _pages.TryGetValue(address / PageSize, out var page) && !ReferenceEquals(page, ZeroPage);

    /// <summary>Reads bytes; false (and nothing read) when any page of the range is not backed.</summary>
    public bool TryRead(ulong address, Span<byte> destination)
    {
        var offset0 = (int)(address % PageSize);
        if (offset0 + destination.Length <= PageSize)
        {
            // within one page: one lookup
            var one = Page(address / PageSize);
            if (one is null)
            {
                return destination.Length == 0;
            }

            one.AsSpan(offset0, destination.Length).CopyTo(destination);
            return true;
        }

        if (!AllBacked(address, (ulong)destination.Length))
        {
            return false;
        }

        var done = 0;
        while (done < destination.Length)
        {
            var a = address + (ulong)done;
            var page = Page(a / PageSize)!;
            var offset = (int)(a % PageSize);
            var n = Math.Min(PageSize - offset, destination.Length - done);
            page.AsSpan(offset, n).CopyTo(destination.Slice(done, n));
            done += n;
        }

        return true;
    }

    /// <summary>Writes bytes; false (and nothing written) when any page of the range is not backed.</summary>
    public bool TryWrite(ulong address, ReadOnlySpan<byte> source)
    {
        var offset0 = (int)(address % PageSize);
        if (offset0 + source.Length <= PageSize && source.Length > 0)
        {
            // within one page: one lookup
            if (Page(address / PageSize) is null)
            {
                return false;
            }

            source.CopyTo(WritablePage(address / PageSize).AsSpan(offset0, source.Length));
            return true;
        }

        if (!AllBacked(address, (ulong)source.Length))
        {
            return false;
        }

        var done = 0;
        while (done < source.Length)
        {
            var a = address + (ulong)done;
            var page = WritablePage(a / PageSize);
            var offset = (int)(a % PageSize);
            var n = Math.Min(PageSize - offset, source.Length - done);
            source.Slice(done, n).CopyTo(page.AsSpan(offset, n));
            done += n;
        }

        return true;
    }

    /// <summary>Reads a little-endian 64-bit word.</summary>
    public bool TryReadUInt64(ulong address, out ulong value)
    {
        var page = Page(address / PageSize);
        var offset = (int)(address % PageSize);
        if (page is not null && offset <= PageSize - 8)
        {
            value = BinaryPrimitives.ReadUInt64LittleEndian(page.AsSpan(offset, 8));
            return true;
        }

        Span<byte> b = stackalloc byte[8];
        var ok = TryRead(address, b);
        value = ok ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
        return ok;
    }

    /// <summary>Writes a little-endian 64-bit word.</summary>
    public bool TryWriteUInt64(ulong address, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return TryWrite(address, b);
    }

    /// <summary>Reads a little-endian 32-bit word.</summary>
    public bool TryReadUInt32(ulong address, out uint value)
    {
        Span<byte> b = stackalloc byte[4];
        var ok = TryRead(address, b);
        value = ok ? BinaryPrimitives.ReadUInt32LittleEndian(b) : 0;
        return ok;
    }

    /// <summary>Writes a little-endian 32-bit word.</summary>
    public bool TryWriteUInt32(ulong address, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return TryWrite(address, b);
    }

    private bool AllBacked(ulong address, ulong length)
    {
        if (length == 0)
        {
            return true;
        }

        if (address + length < address)
        {
            return false; // wraps
        }

        for (var pfn = address / PageSize; pfn <= (address + length - 1) / PageSize; pfn++)
        {
            if (Page(pfn) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The storage of backed page <paramref name="pfn"/>, given its own on the first write.</summary>
    private byte[] WritablePage(ulong pfn)
    {
        var page = Page(pfn)!;
        if (ReferenceEquals(page, ZeroPage))
        {
            page = new byte[PageSize];
            _pages[pfn] = page;
            var slot = (int)(pfn & (CachedPages - 1));
            _cachedPfn[slot] = pfn;
            _cachedPage[slot] = page;
        }

        return page;
    }

    private static ulong[] NewEmptyTags()
    {
        var tags = new ulong[CachedPages];
        Array.Fill(tags, ulong.MaxValue); // no PFN is 2^64 - 1 (addresses are 64-bit, PFNs 52-bit)
        return tags;
    }

    private byte[]? Page(ulong pfn)
    {
        var slot = (int)(pfn & (CachedPages - 1));
        if (_cachedPfn[slot] == pfn)
        {
            return _cachedPage[slot];
        }

        if (_pages.TryGetValue(pfn, out var page))
        {
            _cachedPfn[slot] = pfn;
            _cachedPage[slot] = page;
            return page;
        }

        return null;
    }
}
