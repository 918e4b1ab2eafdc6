using System;
using CsCheck;
using HwSpecGen.Runtime;

namespace HwSpecGen.Fuzz.Tests.Support;

/// <summary>CsCheck generators of entries for a layout: uniformly random, sparse, dense, and with the constants right.</summary>
internal static class EntryGen
{
    /// <summary>Any bytes, from empty to a little longer than the format (short inputs included).</summary>
    public static Gen<byte[]> AnyLength(int sizeBytes) => Gen.Byte.Array[0, sizeBytes + 9];

    /// <summary>Exactly <see cref="FormatLayout.SizeBytes"/> bytes (plus up to 8 trailing ones), bits random, sparse or dense; constants forced right half of the time.</summary>
    public static Gen<byte[]> Entry(FormatLayout layout) =>
        Gen.Select(Gen.Byte.Array[layout.SizeBytes * 3], Gen.Int[0, 3], Gen.Bool, Gen.Byte.Array[0, 8])
            .Select((raw, shape, fixConstants, tail) =>
            {
                var size = layout.SizeBytes;
                var bytes = new byte[size + tail.Length];
                for (var i = 0; i < size; i++)
                {
                    bytes[i] = shape switch
                    {
                        0 => raw[i],
                        1 => (byte)(raw[i] & raw[i + size] & raw[i + 2 * size]), // sparse
                        2 => (byte)(raw[i] | raw[i + size] | raw[i + 2 * size]), // dense
                        _ => 0,
                    };
                }

                tail.CopyTo(bytes, size);
                if (fixConstants || shape == 3)
                {
                    ForceConstants(layout, bytes);
                }

                return bytes;
            });

    /// <summary>Writes every constant field's value into <paramref name="bytes"/> (in memory order).</summary>
    public static void ForceConstants(FormatLayout layout, byte[] bytes)
    {
        var words = new ulong[layout.WordCount];
        Bytes.ReadWords(bytes, words);
        foreach (var f in layout.Fields)
        {
            if (f.ConstValue is { } c)
            {
                f.InsertRaw(words, c);
            }
        }

        Bytes.WriteWords(words, bytes.AsSpan(0, layout.SizeBytes));
    }
}
