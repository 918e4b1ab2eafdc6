using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>The result of parsing one file: the model (null when unusable) and its diagnostics.</summary>
/// <param name="Path">File path.</param>
/// <param name="File">The parsed file, or null.</param>
/// <param name="Diagnostics">Problems found.</param>
public sealed record ParseResult(string Path, SpecFile? File, EquatableArray<DiagnosticInfo> Diagnostics);
