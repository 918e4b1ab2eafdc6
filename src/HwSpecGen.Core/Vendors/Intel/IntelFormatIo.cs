using System;
using System.Buffers.Binary;
using HwSpecGen.Core.Memory;
using HwSpecGen.Runtime;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>Reads and writes generated hardware formats as bytes in host or guest memory (no allocation).</summary>
internal static class IntelFormatIo
{
    private const int MaxBytes = 64;

    /// <summary>Reads a format at a host physical address; false when the memory is not backed.</summary>
    public static bool TryRead<T>(PhysicalMemory memory, ulong address, out T value)
        where T : struct, IHardwareFormat<T>
    {
        Span<byte> b = stackalloc byte[MaxBytes];
        var bytes = b[..T.ByteSize];
        if (!memory.TryRead(address, bytes))
        {
            value = default;
            return false;
        }

        value = FromBytes<T>(bytes);
        return true;
    }

    /// <summary>Writes a format at a host physical address; false when the memory is not backed.</summary>
    public static bool TryWrite<T>(PhysicalMemory memory, ulong address, T value)
        where T : struct, IHardwareFormat<T>
    {
        Span<byte> b = stackalloc byte[MaxBytes];
        var bytes = b[..T.ByteSize];
        value.WriteTo(bytes);
        return memory.TryWrite(address, bytes);
    }

    /// <summary>Reads a format at a guest physical address; false outside guest RAM.</summary>
    public static bool TryRead<T>(GuestMemory memory, ulong gpa, out T value)
        where T : struct, IHardwareFormat<T>
    {
        Span<byte> b = stackalloc byte[MaxBytes];
        var bytes = b[..T.ByteSize];
        if (!memory.TryRead(gpa, bytes))
        {
            value = default;
            return false;
        }

        value = FromBytes<T>(bytes);
        return true;
    }

    /// <summary>Writes a format at a guest physical address; false outside guest RAM.</summary>
    public static bool TryWrite<T>(GuestMemory memory, ulong gpa, T value)
        where T : struct, IHardwareFormat<T>
    {
        Span<byte> b = stackalloc byte[MaxBytes];
        var bytes = b[..T.ByteSize];
        value.WriteTo(bytes);
        return memory.TryWrite(gpa, bytes);
    }

    /// <summary>The format from bytes in memory order, without constant checks (the raw entry as hardware sees it).</summary>
    public static T FromBytes<T>(ReadOnlySpan<byte> bytes)
        where T : struct, IHardwareFormat<T>
    {
        Span<ulong> words = stackalloc ulong[MaxBytes / 8];
        var n = T.ByteSize / 8;
        if (n == 0)
        {
            words[0] = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
            n = 1;
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                words[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]);
            }
        }

        return T.FromWords(words[..n]);
    }

    /// <summary>A 64-bit format from its raw word.</summary>
    public static T FromWord<T>(ulong word)
        where T : struct, IHardwareFormat<T>
    {
        Span<ulong> w = stackalloc ulong[1];
        w[0] = word;
        return T.FromWords(w);
    }
}
