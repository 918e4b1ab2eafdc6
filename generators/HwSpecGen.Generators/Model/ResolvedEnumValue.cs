namespace HwSpecGen.Generators.Model;

/// <summary>An enum member after resolution.</summary>
/// <param name="Name">Name.</param>
/// <param name="Value">Value.</param>
/// <param name="Doc">Documentation.</param>
public sealed record ResolvedEnumValue(string Name, ulong Value, string? Doc);
