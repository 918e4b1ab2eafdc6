namespace HwSpecGen.Core.Caches;

/// <summary>How a cached translation is tagged: <see cref="Tag"/> is the vendor's domain tag (VT-d DID, AMD DomainID, SMMU VMID),
/// <see cref="Space"/> the address-space tag inside it (PASID, or SMMU ASID), <see cref="Base"/> the page's input base address.</summary>
/// <param name="Tag">Domain tag.</param>
/// <param name="Space">Address-space tag.</param>
/// <param name="Base">Input page base (aligned to the page size).</param>
/// <param name="PageShift">log2 of the page size.</param>
public readonly record struct TlbKey(ulong Tag, ulong Space, ulong Base, int PageShift);
