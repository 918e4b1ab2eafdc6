using HwSpecGen.Generators.Model;

namespace HwSpecGen.Generators.Resolution;

/// <summary>One reserved range with its position.</summary>
internal sealed record MergedReserved(BitRange Range, ReservedRule Rule, string? Doc, SourceSpan Span);
