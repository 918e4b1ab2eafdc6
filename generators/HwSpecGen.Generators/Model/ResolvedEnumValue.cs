namespace HwSpecGen.Generators.Model;

/// <summary>An enum member after resolution.</summary>
/// <param name="Name">Name.</param>
/// <param name="Value">Value.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where this value is confirmed, when the YAML names it.</param>
public sealed record ResolvedEnumValue(string Name, ulong Value, string? Doc, string? Source = null);
