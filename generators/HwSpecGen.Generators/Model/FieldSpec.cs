using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>A field as written in a spec file.</summary>
/// <param name="Name">PascalCase name.</param>
/// <param name="Segments">Bit ranges, least significant first.</param>
/// <param name="Kind">Interpretation; null when not written (inferred from the width).</param>
/// <param name="Enum">Enum name for enum fields.</param>
/// <param name="Shift">Implied low zero bits for addresses.</param>
/// <param name="Const">Required value, if constant.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where the bits were confirmed.</param>
/// <param name="Span">The field's place in the file.</param>
/// <param name="BitsSpan">The place of its bits/segments value.</param>
public sealed record FieldSpec(
    string Name,
    EquatableArray<BitRange> Segments,
    FieldKind? Kind,
    string? Enum,
    int Shift,
    ulong? Const,
    string? Doc,
    string? Source,
    SourceSpan Span,
    SourceSpan BitsSpan);
