using System;
using System.Buffers.Binary;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>Little-endian 64-bit words from bytes, independent of the generated code.</summary>
public static class Words
{
    /// <summary>Reads <paramref name="words"/>.Length words from the start of <paramref name="bytes"/>; bytes past the end read as zero.</summary>
    /// <param name="bytes">The bytes in memory order.</param>
    /// <param name="words">Receives the words.</param>
    public static void Read(ReadOnlySpan<byte> bytes, Span<ulong> words)
    {
        Span<byte> chunk = stackalloc byte[8];
        for (var i = 0; i < words.Length; i++)
        {
            chunk.Clear();
            var start = i * 8;
            if (start < bytes.Length)
            {
                bytes.Slice(start, Math.Min(8, bytes.Length - start)).CopyTo(chunk);
            }

            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(chunk);
        }
    }

    /// <summary>The bytes of <paramref name="words"/> in memory order, truncated to <paramref name="sizeBytes"/> (32-bit formats).</summary>
    /// <param name="words">The words.</param>
    /// <param name="sizeBytes">The format's size in bytes.</param>
    /// <returns>A new array.</returns>
    public static byte[] ToBytes(ReadOnlySpan<ulong> words, int sizeBytes)
    {
        var all = new byte[words.Length * 8];
        for (var i = 0; i < words.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(all.AsSpan(i * 8), words[i]);
        }

        return all.AsSpan(0, sizeBytes).ToArray();
    }
}
