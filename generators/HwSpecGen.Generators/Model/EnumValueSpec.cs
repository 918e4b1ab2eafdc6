namespace HwSpecGen.Generators.Model;

/// <summary>A named value of an enum.</summary>
/// <param name="Name">Member name.</param>
/// <param name="Value">Numeric value.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where this value is confirmed, when the YAML names it.</param>
/// <param name="Span">Place in the file.</param>
public sealed record EnumValueSpec(string Name, ulong Value, string? Doc, string? Source, SourceSpan Span);
