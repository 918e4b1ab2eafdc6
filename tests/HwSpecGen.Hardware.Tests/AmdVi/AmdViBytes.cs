using System;
using System.Buffers.Binary;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>
/// Byte helpers that mirror how the two independent sources see a descriptor: Linux builds commands as
/// four little-endian 32-bit words <c>u32 data[4]</c> and reads events as <c>u32 event[4]</c>; QEMU reads
/// commands and DTEs as little-endian 64-bit words and picks fields with <c>extract64</c>.
/// </summary>
internal static class AmdViBytes
{
    /// <summary>Bytes of a descriptor given as 32-bit words (Linux <c>data[k]</c>).</summary>
    public static byte[] FromDwords(params uint[] dwords)
    {
        var bytes = new byte[dwords.Length * 4];
        for (var i = 0; i < dwords.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), dwords[i]);
        }

        return bytes;
    }

    /// <summary>Bytes of a descriptor given as 64-bit words (QEMU <c>cmd[k]</c>, Linux <c>dte->data[k]</c>).</summary>
    public static byte[] FromQwords(params ulong[] qwords)
    {
        var bytes = new byte[qwords.Length * 8];
        for (var i = 0; i < qwords.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), qwords[i]);
        }

        return bytes;
    }

    /// <summary>64-bit word <paramref name="index"/> of <paramref name="bytes"/> (QEMU <c>cmd[index]</c>).</summary>
    public static ulong Qword(byte[] bytes, int index) => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(index * 8));

    /// <summary>32-bit word <paramref name="index"/> of <paramref name="bytes"/> (Linux <c>data[index]</c>).</summary>
    public static uint Dword(byte[] bytes, int index) => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(index * 4));

    /// <summary>QEMU's <c>extract64(value, start, length)</c>.</summary>
    public static ulong Extract64(ulong value, int start, int length) =>
        (value >> start) & (length == 64 ? ulong.MaxValue : (1UL << length) - 1);

    /// <summary>Linux's <c>GENMASK_ULL(high, low)</c>.</summary>
    public static ulong GenMask(int high, int low) => (ulong.MaxValue >> (63 - high)) & ~((1UL << low) - 1);
}
