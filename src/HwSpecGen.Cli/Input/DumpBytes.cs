using System;
using System.Buffers.Binary;
using System.Globalization;

namespace HwSpecGen.Cli.Input;

/// <summary>Helpers for dump parsers: words printed as numbers → bytes in memory order.</summary>
public static class DumpBytes
{
    /// <summary>64-bit words, least significant first, as little-endian bytes.</summary>
    public static byte[] FromQwords(params ulong[] words)
    {
        var bytes = new byte[words.Length * 8];
        for (var i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), words[i]);
        }

        return bytes;
    }

    /// <summary>32-bit words, least significant first, as little-endian bytes.</summary>
    public static byte[] FromDwords(params uint[] words)
    {
        var bytes = new byte[words.Length * 4];
        for (var i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), words[i]);
        }

        return bytes;
    }

    /// <summary>Parses hex digits (no prefix) as a 64-bit number.</summary>
    public static ulong Hex64(string text) => ulong.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>Parses hex digits (no prefix) as a 32-bit number.</summary>
    public static uint Hex32(string text) => uint.Parse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    /// <summary>Parses a decimal number.</summary>
    public static long Dec(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>Whether queue slot <paramref name="index"/> lies in [head, tail) of a ring of any size (what the hardware has yet to fetch).</summary>
    public static bool Pending(long index, long head, long tail) =>
        head <= tail ? index >= head && index < tail : index >= head || index < tail;
}
