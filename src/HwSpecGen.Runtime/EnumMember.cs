namespace HwSpecGen.Runtime;

/// <summary>A named value of a spec enum.</summary>
/// <param name="Name">Member name.</param>
/// <param name="Value">Numeric value.</param>
/// <param name="Doc">Documentation.</param>
public sealed record EnumMember(string Name, ulong Value, string? Doc);
