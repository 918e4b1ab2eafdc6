using System.Collections.Generic;
using System.Linq;

namespace HwSpecGen.Core.Scenarios;

/// <summary>The outcome of a scenario run: its steps and, with tracing on, every decoded command and walk step.</summary>
/// <param name="Name">Scenario name.</param>
/// <param name="Vendor">Vendor key.</param>
/// <param name="Steps">Checked expectations, in order.</param>
/// <param name="Trace">Trace lines (empty unless tracing).</param>
public sealed record ScenarioReport(string Name, string Vendor, IReadOnlyList<ScenarioStep> Steps, IReadOnlyList<string> Trace)
{
    /// <summary>True when every expectation held.</summary>
    public bool Passed => Steps.Count > 0 && Steps.All(s => s.Passed);
}
