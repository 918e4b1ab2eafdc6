namespace HwSpecGen.Generators.Model;

/// <summary>A rule after resolution, with its C# condition.</summary>
/// <param name="Name">Name.</param>
/// <param name="When">Guard text.</param>
/// <param name="Require">Requirement text.</param>
/// <param name="Error">Architected error.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="ViolatedCSharp">A C# boolean expression over the struct's properties that is true when the rule is violated.</param>
public sealed record ResolvedRule(string Name, string? When, string Require, string? Error, string? Doc, string ViolatedCSharp);
