using System.Collections.Generic;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>A parsed scenario file, or the errors that stopped it.</summary>
/// <param name="File">The scenario (null when there are errors).</param>
/// <param name="Diagnostics">The errors, in file order.</param>
public sealed record ScenarioParseResult(ScenarioFile? File, IReadOnlyList<ScenarioDiagnostic> Diagnostics);
