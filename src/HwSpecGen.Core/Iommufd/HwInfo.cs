namespace HwSpecGen.Core.Iommufd;

/// <summary>The answer of <c>IOMMU_GET_HW_INFO</c>.</summary>
/// <param name="Type"><c>out_data_type</c>.</param>
/// <param name="KernelDataLength">Bytes the kernel has (written back to <c>data_len</c>).</param>
/// <param name="MaxPasidLog2"><c>out_max_pasid_log2</c>.</param>
/// <param name="Capabilities"><c>out_capabilities</c>.</param>
public sealed record HwInfo(uint Type, uint KernelDataLength, byte MaxPasidLog2, ulong Capabilities);
