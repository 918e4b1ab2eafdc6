namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>AMD IOMMU MMIO register offsets (Linux <c>MMIO_*_OFFSET</c>, QEMU <c>AMDVI_MMIO_*</c>).</summary>
public static class AmdMmio
{
    /// <summary>Device Table Base Address (<c>MMIO_DEV_TABLE_OFFSET</c>).</summary>
    public const ulong DeviceTableBase = 0x0000;

    /// <summary>Command Buffer Base Address (<c>MMIO_CMD_BUF_OFFSET</c>).</summary>
    public const ulong CommandBufferBase = 0x0008;

    /// <summary>Event Log Base Address (<c>MMIO_EVT_BUF_OFFSET</c>).</summary>
    public const ulong EventLogBase = 0x0010;

    /// <summary>Control (<c>MMIO_CONTROL_OFFSET</c>).</summary>
    public const ulong Control = 0x0018;

    /// <summary>Extended Feature Register (<c>MMIO_EXT_FEATURES</c>).</summary>
    public const ulong ExtendedFeatures = 0x0030;

    /// <summary>Extended Feature 2 Register (<c>MMIO_EXT_FEATURES2</c>).</summary>
    public const ulong ExtendedFeatures2 = 0x01A0;

    /// <summary>Command Buffer Head Pointer (<c>MMIO_CMD_HEAD_OFFSET</c>).</summary>
    public const ulong CommandHead = 0x2000;

    /// <summary>Command Buffer Tail Pointer (<c>MMIO_CMD_TAIL_OFFSET</c>): writing it is the doorbell.</summary>
    public const ulong CommandTail = 0x2008;

    /// <summary>Event Log Head Pointer (<c>MMIO_EVT_HEAD_OFFSET</c>).</summary>
    public const ulong EventHead = 0x2010;

    /// <summary>Event Log Tail Pointer (<c>MMIO_EVT_TAIL_OFFSET</c>).</summary>
    public const ulong EventTail = 0x2018;

    /// <summary>Status (<c>MMIO_STATUS_OFFSET</c>).</summary>
    public const ulong Status = 0x2020;
}
