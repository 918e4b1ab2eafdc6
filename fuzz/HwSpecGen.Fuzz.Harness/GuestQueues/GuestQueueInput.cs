using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace HwSpecGen.Fuzz.Harness.GuestQueues;

/// <summary>
/// The input of a guest-queue target: a 4-byte header — <see cref="Flags"/>, <see cref="Option"/> and a 16-bit
/// little-endian <see cref="Parameter"/> — then raw queue entries (a short last entry is padded with zeros). What each
/// flag means is the target's (see its summary); every target reads bits 0–1 as the doorbell mode.
/// </summary>
public readonly ref struct GuestQueueInput
{
    /// <summary>Header bytes.</summary>
    public const int HeaderBytes = 4;

    /// <summary>Doorbell mode 0: one doorbell with the producer index after the last entry.</summary>
    public const int DoorbellOnce = 0;

    /// <summary>Doorbell mode 1: one doorbell per entry.</summary>
    public const int DoorbellPerEntry = 1;

    /// <summary>Doorbell mode 2: the producer register gets a raw value derived from <see cref="Parameter"/>.</summary>
    public const int DoorbellRaw = 2;

    /// <summary>Doorbell mode 3: vendor-specific hostile pointer (beyond the queue, or the consumer pointer moved).</summary>
    public const int DoorbellHostile = 3;

    private readonly ReadOnlySpan<byte> _entries;

    /// <summary>Splits <paramref name="data"/>; a header shorter than 4 bytes reads as zeros.</summary>
    /// <param name="data">The input.</param>
    public GuestQueueInput(ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        header.Clear();
        data[..Math.Min(HeaderBytes, data.Length)].CopyTo(header);
        Flags = header[0];
        Option = header[1];
        Parameter = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
        _entries = data.Length > HeaderBytes ? data[HeaderBytes..] : default;
    }

    /// <summary>Header byte 0.</summary>
    public byte Flags { get; }

    /// <summary>Header byte 1.</summary>
    public byte Option { get; }

    /// <summary>Header bytes 2–3.</summary>
    public ushort Parameter { get; }

    /// <summary>Bits 0–1 of <see cref="Flags"/>.</summary>
    public int Doorbell => Flags & 3;

    /// <summary>Whether bit <paramref name="bit"/> of <see cref="Flags"/> is set.</summary>
    /// <param name="bit">2–7.</param>
    /// <returns>The bit.</returns>
    public bool Flag(int bit) => (Flags & (1 << bit)) != 0;

    /// <summary>The number of <paramref name="entryBytes"/>-byte entries (the last one zero-padded), at most <paramref name="max"/>.</summary>
    /// <param name="entryBytes">Entry size.</param>
    /// <param name="max">Cap.</param>
    /// <returns>The count.</returns>
    public int EntryCount(int entryBytes, int max) => Math.Min(max, (_entries.Length + entryBytes - 1) / entryBytes);

    /// <summary>Copies entry <paramref name="index"/> into <paramref name="destination"/> (zero-padded).</summary>
    /// <param name="index">Entry index.</param>
    /// <param name="destination">Receives the entry; its length is the entry size.</param>
    public void CopyEntry(int index, Span<byte> destination)
    {
        destination.Clear();
        var start = index * destination.Length;
        if (start < _entries.Length)
        {
            _entries.Slice(start, Math.Min(destination.Length, _entries.Length - start)).CopyTo(destination);
        }
    }

    /// <summary>Builds an input: the header then the entries.</summary>
    /// <param name="flags">Header byte 0.</param>
    /// <param name="option">Header byte 1.</param>
    /// <param name="parameter">Header bytes 2–3.</param>
    /// <param name="entries">Raw entries.</param>
    /// <returns>The input bytes.</returns>
    public static byte[] Build(byte flags, byte option, ushort parameter, IEnumerable<byte[]> entries)
    {
        var bytes = new List<byte> { flags, option, (byte)parameter, (byte)(parameter >> 8) };
        foreach (var e in entries)
        {
            bytes.AddRange(e);
        }

        return bytes.ToArray();
    }
}
