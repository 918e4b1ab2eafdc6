namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>VT-d register offsets from the remapping unit's MMIO base (Linux <c>DMAR_*_REG</c>, QEMU <c>DMAR_*_REG</c>).</summary>
public static class VtdRegister
{
    /// <summary>VER_REG.</summary>
    public const int Version = 0x00;

    /// <summary>CAP_REG.</summary>
    public const int Capability = 0x08;

    /// <summary>ECAP_REG.</summary>
    public const int ExtendedCapability = 0x10;

    /// <summary>GCMD_REG.</summary>
    public const int GlobalCommand = 0x18;

    /// <summary>GSTS_REG.</summary>
    public const int GlobalStatus = 0x1C;

    /// <summary>RTADDR_REG.</summary>
    public const int RootTableAddress = 0x20;

    /// <summary>FSTS_REG.</summary>
    public const int FaultStatus = 0x34;

    /// <summary>FECTL_REG.</summary>
    public const int FaultEventControl = 0x38;

    /// <summary>IQH_REG.</summary>
    public const int InvalidationQueueHead = 0x80;

    /// <summary>IQT_REG.</summary>
    public const int InvalidationQueueTail = 0x88;

    /// <summary>IQA_REG.</summary>
    public const int InvalidationQueueAddress = 0x90;

    /// <summary>ICS_REG.</summary>
    public const int InvalidationCompletionStatus = 0x9C;

    /// <summary>IECTL_REG.</summary>
    public const int InvalidationEventControl = 0xA0;

    /// <summary>IQERCD_REG (<c>DMAR_IQER_REG</c>).</summary>
    public const int InvalidationQueueErrorRecord = 0xB0;

    /// <summary>First fault-recording register (CAP.FRO × 16 with FRO = 0x22, as QEMU).</summary>
    public const int FaultRecord = 0x220;
}
