using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace HwSpecGen.Core.Memory;

/// <summary>
/// A VM's guest-physical memory as the VMM and the guest CPU see it: RAM ranges backed by host memory. The guest builds
/// its own I/O page tables, queues and context tables here; the VMM maps the same ranges into the IOAS (GPA = IOVA).
/// </summary>
public sealed class GuestMemory
{
    private readonly List<GuestRange> _ranges = new();

    /// <summary>Creates the guest memory of a VM whose RAM comes from <paramref name="host"/>.</summary>
    public GuestMemory(PhysicalMemory host, PageAllocator hostAllocator)
    {
        Host = host;
        HostAllocator = hostAllocator;
    }

    /// <summary>Host physical memory.</summary>
    public PhysicalMemory Host { get; }

    /// <summary>Where guest RAM is taken from.</summary>
    public PageAllocator HostAllocator { get; }

    /// <summary>RAM ranges.</summary>
    public IReadOnlyList<GuestRange> Ranges => _ranges;

    /// <summary>Adds RAM at [gpa, +length) backed by freshly allocated, naturally aligned host memory (alignment up to 1 GiB so huge pages are possible).</summary>
    public GuestRange AddRam(ulong gpa, ulong length)
    {
        if (((gpa | length) & (PhysicalMemory.PageSize - 1)) != 0 || length == 0)
        {
            throw new ArgumentException("guest RAM is whole pages");
        }

        var align = 1UL << Math.Min(30, System.Numerics.BitOperations.TrailingZeroCount(gpa == 0 ? 1UL << 30 : gpa));
        var hpa = HostAllocator.Allocate(length, Math.Max(PhysicalMemory.PageSize, align));
        var r = new GuestRange(gpa, hpa, length);
        _ranges.Add(r);
        return r;
    }

    /// <summary>GPA → HPA through the RAM map.</summary>
    public bool TryTranslate(ulong gpa, out ulong hpa)
    {
        foreach (var r in _ranges)
        {
            if (gpa >= r.Gpa && gpa - r.Gpa < r.Length)
            {
                hpa = r.Hpa + (gpa - r.Gpa);
                return true;
            }
        }

        hpa = 0;
        return false;
    }

    /// <summary>Reads guest memory; false when any byte is outside guest RAM.</summary>
    public bool TryRead(ulong gpa, Span<byte> destination)
    {
        var done = 0;
        while (done < destination.Length)
        {
            var a = gpa + (ulong)done;
            if (!TryTranslate(a, out var hpa))
            {
                return false;
            }

            var n = (int)Math.Min((ulong)(destination.Length - done), PhysicalMemory.PageSize - (a % PhysicalMemory.PageSize));
            if (!Host.TryRead(hpa, destination.Slice(done, n)))
            {
                return false;
            }

            done += n;
        }

        return true;
    }

    /// <summary>Writes guest memory; false when any byte is outside guest RAM (nothing is written then).</summary>
    public bool TryWrite(ulong gpa, ReadOnlySpan<byte> source)
    {
        if (gpa + (ulong)source.Length < gpa)
        {
            return false; // wraps past the top of the address space (a guest-supplied address must never reach HPA 0)
        }

        for (var a = gpa & ~(ulong)(PhysicalMemory.PageSize - 1); a < gpa + (ulong)source.Length; a += PhysicalMemory.PageSize)
        {
            if (!TryTranslate(Math.Max(a, gpa), out _))
            {
                return false;
            }
        }

        var done = 0;
        while (done < source.Length)
        {
            var a = gpa + (ulong)done;
            TryTranslate(a, out var hpa);
            var n = (int)Math.Min((ulong)(source.Length - done), PhysicalMemory.PageSize - (a % PhysicalMemory.PageSize));
            Host.TryWrite(hpa, source.Slice(done, n));
            done += n;
        }

        return true;
    }

    /// <summary>Reads a little-endian 64-bit word.</summary>
    public bool TryReadUInt64(ulong gpa, out ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        var ok = TryRead(gpa, b);
        value = ok ? BinaryPrimitives.ReadUInt64LittleEndian(b) : 0;
        return ok;
    }

    /// <summary>Writes a little-endian 64-bit word.</summary>
    public bool TryWriteUInt64(ulong gpa, ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        return TryWrite(gpa, b);
    }
}
