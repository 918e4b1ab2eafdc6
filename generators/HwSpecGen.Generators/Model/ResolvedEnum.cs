using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>An enum after resolution.</summary>
/// <param name="Name">Name.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where confirmed.</param>
/// <param name="Strict">Whether unnamed values are violations.</param>
/// <param name="Values">Members.</param>
public sealed record ResolvedEnum(string Name, string? Doc, string? Source, bool Strict, EquatableArray<ResolvedEnumValue> Values);
