using System;
using System.Buffers.Binary;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// <c>struct iommu_hwpt_vtd_s1_invalidate</c> (24 bytes): one entry of <c>IOMMU_HWPT_INVALIDATE</c> on a VT-d nested
/// HWPT. <c>addr = 0, npages = U64_MAX</c> means everything.
/// </summary>
/// <param name="Addr">4 KiB aligned start.</param>
/// <param name="Npages">Number of 4 KiB pages.</param>
/// <param name="Flags"><c>IOMMU_VTD_INV_FLAGS_LEAF</c>.</param>
/// <param name="Reserved"><c>__reserved</c>.</param>
public readonly record struct IommuHwptVtdS1Invalidate(ulong Addr, ulong Npages, uint Flags = 0, uint Reserved = 0)
{
    /// <summary>sizeof(struct iommu_hwpt_vtd_s1_invalidate).</summary>
    public const int Size = 24;

    /// <summary>The entry that invalidates everything (<c>addr 0, npages U64_MAX</c>).</summary>
    public static IommuHwptVtdS1Invalidate All => new(0, ulong.MaxValue);

    /// <summary>The entry's bytes.</summary>
    public byte[] ToBytes()
    {
        var b = new byte[Size];
        WriteTo(b);
        return b;
    }

    /// <summary>Writes the entry at the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Addr);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Npages);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], Reserved);
    }

    /// <summary>Reads an entry from exactly <see cref="Size"/> bytes.</summary>
    public static IommuHwptVtdS1Invalidate Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(source),
        BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(source[16..]),
        BinaryPrimitives.ReadUInt32LittleEndian(source[20..]));

    /// <summary>Encodes an array of entries for <c>data_uptr</c>.</summary>
    public static byte[] ToArray(params IommuHwptVtdS1Invalidate[] entries)
    {
        var b = new byte[entries.Length * Size];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i].WriteTo(b.AsSpan(i * Size));
        }

        return b;
    }
}
