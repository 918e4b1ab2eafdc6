namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>How a simulated SMMUv3 instance is built: table formats and sizes its ID registers advertise.</summary>
public sealed record SmmuV3Options
{
    /// <summary>Use a 2-level stream table (STRTAB_BASE_CFG.FMT = 1, SPLIT = 8) as Linux does with IDR0.ST_LEVEL; otherwise linear.</summary>
    public bool TwoLevelStreamTable { get; init; } = true;

    /// <summary>StreamID width (SMMU_IDR1.SIDSIZE).</summary>
    public int SidBits { get; init; } = 16;

    /// <summary>SubstreamID width (SMMU_IDR1.SSIDSIZE).</summary>
    public int SsidBits { get; init; } = 20;

    /// <summary>log2 of the host Command queue's entries (CMDQ_BASE.LOG2SIZE).</summary>
    public int CommandQueueLog2Size { get; init; } = 8;

    /// <summary>log2 of the host Event queue's entries (EVENTQ_BASE.LOG2SIZE).</summary>
    public int EventQueueLog2Size { get; init; } = 7;

    /// <summary>Range invalidation (SMMU_IDR3.RIL).</summary>
    public bool RangeInvalidation { get; init; } = true;

    /// <summary>Cache STEs and CDs (configuration cache) until CFGI_* invalidates them.</summary>
    public bool ConfigCache { get; init; } = true;
}
