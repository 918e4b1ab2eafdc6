namespace HwSpecGen.Generators.Model;

/// <summary>A cross-field check as written.</summary>
/// <param name="Name">Rule name.</param>
/// <param name="When">Optional guard expression.</param>
/// <param name="Require">Expression that must hold.</param>
/// <param name="Error">The architected error a violation raises.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where it was confirmed.</param>
/// <param name="Span">Place of the rule.</param>
/// <param name="WhenSpan">Place of the guard.</param>
/// <param name="RequireSpan">Place of the requirement.</param>
public sealed record RuleSpec(string Name, string? When, string Require, string? Error, string? Doc, string? Source, SourceSpan Span, SourceSpan? WhenSpan, SourceSpan RequireSpan);
