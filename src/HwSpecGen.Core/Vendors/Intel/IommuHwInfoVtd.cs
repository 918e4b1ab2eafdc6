using System;
using System.Buffers.Binary;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary><c>struct iommu_hw_info_vtd</c> (24 bytes): what <c>IOMMU_GET_HW_INFO</c> returns for VT-d.</summary>
/// <param name="Flags"><c>IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17</c>.</param>
/// <param name="Cap">The raw capability register.</param>
/// <param name="Ecap">The raw extended capability register.</param>
public readonly record struct IommuHwInfoVtd(uint Flags, CapabilityRegister Cap, ExtendedCapabilityRegister Ecap)
{
    /// <summary>sizeof(struct iommu_hw_info_vtd).</summary>
    public const int Size = 24;

    /// <summary>The struct's bytes: flags, __reserved, cap_reg, ecap_reg.</summary>
    public byte[] ToBytes()
    {
        var b = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(b, Flags);
        Cap.WriteTo(b.AsSpan(8));
        Ecap.WriteTo(b.AsSpan(16));
        return b;
    }

    /// <summary>Reads the struct (as a VMM does from the buffer it passed).</summary>
    public static IommuHwInfoVtd Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(source),
        CapabilityRegister.Read(source.Slice(8, 8)),
        ExtendedCapabilityRegister.Read(source.Slice(16, 8)));
}
