namespace HwSpecGen.Runtime;

/// <summary>A named value of a spec enum.</summary>
/// <param name="Name">Member name.</param>
/// <param name="Value">Numeric value.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where the value is confirmed (spec section, Linux/QEMU symbol), when the YAML names one for it.</param>
public sealed record EnumMember(string Name, ulong Value, string? Doc, string? Source = null);
