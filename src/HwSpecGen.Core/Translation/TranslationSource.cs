namespace HwSpecGen.Core.Translation;

/// <summary>Where a successful translation came from.</summary>
public enum TranslationSource
{
    /// <summary>A full walk of the tables in memory.</summary>
    Walk,

    /// <summary>An IOTLB hit in the IOMMU.</summary>
    Iotlb,

    /// <summary>An ATC hit in the device (ATS).</summary>
    Atc,
}
