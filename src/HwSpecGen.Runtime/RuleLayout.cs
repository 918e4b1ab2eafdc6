namespace HwSpecGen.Runtime;

/// <summary>A cross-field rule hardware checks.</summary>
/// <param name="Name">Rule name.</param>
/// <param name="When">Guard expression, or null.</param>
/// <param name="Require">Expression that must hold.</param>
/// <param name="Error">Architected error raised when violated.</param>
/// <param name="Doc">Documentation.</param>
public sealed record RuleLayout(string Name, string? When, string Require, string? Error, string? Doc);
