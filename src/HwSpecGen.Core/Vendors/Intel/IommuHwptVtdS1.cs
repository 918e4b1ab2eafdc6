using System;
using System.Buffers.Binary;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// <c>struct iommu_hwpt_vtd_s1</c> (24 bytes): the guest's stage-1 configuration a VMM passes to
/// <c>IOMMU_HWPT_ALLOC</c> with <c>IOMMU_HWPT_DATA_VTD_S1</c>. A C struct of whole integers, not a hardware format.
/// </summary>
/// <param name="Flags"><c>IOMMU_VTD_S1_SRE</c> / <c>EAFE</c> / <c>WPE</c>.</param>
/// <param name="PgtblAddr">GPA of the first-stage root table (becomes the PASID entry's FSPTPTR).</param>
/// <param name="AddrWidth">48 (4-level) or 57 (5-level).</param>
/// <param name="Reserved"><c>__reserved</c>.</param>
public readonly record struct IommuHwptVtdS1(ulong Flags, ulong PgtblAddr, uint AddrWidth, uint Reserved = 0)
{
    /// <summary>sizeof(struct iommu_hwpt_vtd_s1).</summary>
    public const int Size = 24;

    /// <summary>The struct's bytes (little-endian, natural alignment).</summary>
    public byte[] ToBytes()
    {
        var b = new byte[Size];
        WriteTo(b);
        return b;
    }

    /// <summary>Writes the struct at the start of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], PgtblAddr);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], AddrWidth);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], Reserved);
    }

    /// <summary>Reads the struct from exactly <see cref="Size"/> bytes.</summary>
    public static IommuHwptVtdS1 Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(source),
        BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
        BinaryPrimitives.ReadUInt32LittleEndian(source[16..]),
        BinaryPrimitives.ReadUInt32LittleEndian(source[20..]));
}
