using System;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>Turns 64-bit words into the little-endian bytes a descriptor or entry has in memory.</summary>
internal static class VtdBytes
{
    public static byte[] Bytes(params ulong[] words)
    {
        var bytes = new byte[words.Length * 8];
        for (var i = 0; i < words.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), words[i]);
        }

        return bytes;
    }
}
