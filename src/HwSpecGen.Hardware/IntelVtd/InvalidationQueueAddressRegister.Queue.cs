namespace HwSpecGen.Hardware.IntelVtd;

/// <summary>Queue-geometry helpers for IQA_REG.</summary>
public readonly partial struct InvalidationQueueAddressRegister
{
    /// <summary>Size of one descriptor in bytes: 16 with DW = 0, 32 with DW = 1.</summary>
    public int DescriptorBytes => Dw == DescriptorWidth.Bits256 ? 32 : 16;

    /// <summary>Size of the queue in bytes: 4 KiB * 2^QS.</summary>
    public ulong QueueBytes => 4096UL << (int)Qs;

    /// <summary>
    /// Number of descriptors the queue holds: 2^(QS + 8 - DW), as QEMU <c>vtd_handle_gcmd_qie</c> computes
    /// it (DW counted as 0 or 1).
    /// </summary>
    public ulong DescriptorCount => QueueBytes / (ulong)DescriptorBytes;
}
