namespace HwSpecGen.Core.Translation;

/// <summary>Vendor-neutral class of a translation fault; the vendor record carries the architected code.</summary>
public enum FaultKind
{
    /// <summary>No entry (not present / invalid descriptor).</summary>
    NotPresent,

    /// <summary>Entry present but the access is not permitted.</summary>
    Permission,

    /// <summary>Address beyond the configured input or output size.</summary>
    AddressSize,

    /// <summary>Access flag clear (SMMUv3 F_ACCESS).</summary>
    AccessFlag,

    /// <summary>A table or entry could not be read (memory not backed): external abort.</summary>
    ExternalAbort,

    /// <summary>A configuration entry is malformed (reserved bits, illegal combination).</summary>
    BadConfig,

    /// <summary>The device or PASID has no translation configured, or translation is blocked.</summary>
    Blocked,
}
