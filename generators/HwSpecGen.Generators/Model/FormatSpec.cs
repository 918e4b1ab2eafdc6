using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>A format as written (before <c>extends</c> is resolved).</summary>
/// <param name="Name">PascalCase name.</param>
/// <param name="Bits">Size in bits, when written.</param>
/// <param name="Set">Command set it belongs to.</param>
/// <param name="Extends">Base format, when a variant.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where it was confirmed.</param>
/// <param name="Fields">Fields.</param>
/// <param name="Reserved">Reserved ranges.</param>
/// <param name="Rules">Cross-field rules.</param>
/// <param name="Remove">Names removed from the base.</param>
/// <param name="Span">Place of the format's name.</param>
/// <param name="BitsSpan">Place of its size.</param>
/// <param name="SetSpan">Place of its set.</param>
/// <param name="ExtendsSpan">Place of its base.</param>
public sealed record FormatSpec(
    string Name,
    int? Bits,
    string? Set,
    string? Extends,
    string? Doc,
    string? Source,
    EquatableArray<FieldSpec> Fields,
    EquatableArray<ReservedSpec> Reserved,
    EquatableArray<RuleSpec> Rules,
    EquatableArray<string> Remove,
    SourceSpan Span,
    SourceSpan? BitsSpan,
    SourceSpan? SetSpan,
    SourceSpan? ExtendsSpan);
