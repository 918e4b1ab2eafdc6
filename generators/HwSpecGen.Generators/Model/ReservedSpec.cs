using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>Reserved ranges with one rule.</summary>
/// <param name="Ranges">The ranges.</param>
/// <param name="Rule">Must-be-zero or ignored.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where it was confirmed.</param>
/// <param name="Span">Place in the file.</param>
public sealed record ReservedSpec(EquatableArray<BitRange> Ranges, ReservedRule Rule, string? Doc, string? Source, SourceSpan Span);
