namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>What the VMM's emulated VT-d advertises to its guest.</summary>
public sealed record IntelVirtualIommuOptions
{
    /// <summary>Number of guest-visible fault-recording registers (CAP.NFR + 1; QEMU has 1).</summary>
    public int FaultRecordCount { get; init; } = 4;

    /// <summary>
    /// Process types 6, 7 and 8 in a 128-bit queue instead of raising IQE (never true for QEMU; exists so tests can show
    /// the width check is what rejects them).
    /// </summary>
    public bool AllowPasidDescriptorsIn128BitQueue { get; init; }
}
