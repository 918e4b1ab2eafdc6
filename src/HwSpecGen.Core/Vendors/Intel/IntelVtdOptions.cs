namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>What the modelled VT-d remapping unit implements; turned into CAP_REG / ECAP_REG by <see cref="IntelVtdIommu"/>.</summary>
public sealed record IntelVtdOptions
{
    /// <summary>ECAP.NEST: nested translation (PGTT = 3). Without it <c>IOMMU_HWPT_ALLOC</c> of a nested HWPT fails with EOPNOTSUPP.</summary>
    public bool NestedTranslation { get; init; } = true;

    /// <summary>CAP.FS5LP: 5-level first-stage paging (a stage-1 <c>addr_width</c> of 57).</summary>
    public bool FirstStage5Level { get; init; }

    /// <summary>CAP.FS1GP: 1 GiB first-stage pages.</summary>
    public bool FirstStage1GPages { get; init; } = true;

    /// <summary>CAP.SLLPS bit 0: 2 MiB second-stage pages.</summary>
    public bool SecondStage2MPages { get; init; } = true;

    /// <summary>CAP.SLLPS bit 1: 1 GiB second-stage pages.</summary>
    public bool SecondStage1GPages { get; init; } = true;

    /// <summary>ECAP.SRS: supervisor requests (IOMMU_VTD_S1_SRE needs it).</summary>
    public bool SupervisorRequests { get; init; } = true;

    /// <summary>ECAP.EAFS: extended accessed flag (IOMMU_VTD_S1_EAFE needs it).</summary>
    public bool ExtendedAccessedFlag { get; init; }

    /// <summary>ECAP.DT: device-TLB (ATS) support.</summary>
    public bool DeviceTlb { get; init; } = true;

    /// <summary>Number of fault-recording registers (CAP.NFR + 1).</summary>
    public int FaultRecordCount { get; init; } = 8;

    /// <summary>Report <c>IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17</c> in GET_HW_INFO.</summary>
    public bool Errata772415Spr17 { get; init; }

    /// <summary>CAP.ND: number of domains = 2^(4 + 2·ND); 6 gives 16-bit DIDs.</summary>
    public int DomainCountField { get; init; } = 6;
}
