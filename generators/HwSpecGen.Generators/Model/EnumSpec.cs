using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>An enum as written.</summary>
/// <param name="Name">PascalCase name.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where confirmed.</param>
/// <param name="Strict">Whether unnamed values are violations.</param>
/// <param name="Values">Named values.</param>
/// <param name="Span">Place in the file.</param>
public sealed record EnumSpec(string Name, string? Doc, string? Source, bool Strict, EquatableArray<EnumValueSpec> Values, SourceSpan Span);
