using System;
using System.Buffers.Binary;

namespace HwSpecGen.Fuzz.Tests.Support;

/// <summary>Bytes and little-endian words, written here independently of the generated code.</summary>
internal static class Bytes
{
    /// <summary>Words from the start of <paramref name="bytes"/>; missing bytes read as zero.</summary>
    public static void ReadWords(ReadOnlySpan<byte> bytes, Span<ulong> words)
    {
        Span<byte> chunk = stackalloc byte[8];
        for (var i = 0; i < words.Length; i++)
        {
            chunk.Clear();
            if (i * 8 < bytes.Length)
            {
                bytes.Slice(i * 8, Math.Min(8, bytes.Length - i * 8)).CopyTo(chunk);
            }

            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(chunk);
        }
    }

    /// <summary>Words as <c>words.Length</c> × 8 bytes, truncated to the destination's length.</summary>
    public static void WriteWords(ReadOnlySpan<ulong> words, Span<byte> destination)
    {
        Span<byte> chunk = stackalloc byte[8];
        for (var i = 0; i < words.Length && i * 8 < destination.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(chunk, words[i]);
            chunk.Slice(0, Math.Min(8, destination.Length - i * 8)).CopyTo(destination.Slice(i * 8));
        }
    }

    public static ulong[] Words(ReadOnlySpan<byte> bytes, int count)
    {
        var words = new ulong[count];
        ReadWords(bytes, words);
        return words;
    }

    public static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
