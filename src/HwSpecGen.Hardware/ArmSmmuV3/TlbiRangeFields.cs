namespace HwSpecGen.Hardware.ArmSmmuV3;

/// <summary>
/// The address and range fields of one address-based TLBI command (TLBI_NH_VA, TLBI_NH_VAA, TLBI_EL2_VA,
/// TLBI_EL2_VAA, TLBI_S2_IPA): bits 16:12 NUM, 24:20 SCALE, 73:72 TTL, 75:74 TG and the address.
/// </summary>
/// <param name="Address">The start address Linux stores in <c>cmd-&gt;tlbi.addr</c> (the command keeps bits 63:12).</param>
/// <param name="Tg">The translation granule; <see cref="TlbiGranule.None"/> for a non-range command.</param>
/// <param name="Num">The number of <c>2^Scale</c>-page blocks minus one.</param>
/// <param name="Scale">log2 of the block size in pages.</param>
/// <param name="Ttl">The level hint (0 = none).</param>
public readonly record struct TlbiRangeFields(ulong Address, TlbiGranule Tg, ulong Num, ulong Scale, ulong Ttl);
