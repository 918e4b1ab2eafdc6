using System.Collections.Generic;

namespace HwSpecGen.Core.Scenarios;

/// <summary>Collects steps and trace lines while a scenario runs.</summary>
public sealed class ScenarioRecorder
{
    private readonly List<ScenarioStep> _steps = new();
    private readonly List<string> _trace = new();

    /// <summary>Creates a recorder; with <paramref name="trace"/> false, <see cref="TraceLine"/> is ignored.</summary>
    public ScenarioRecorder(bool trace) => Tracing = trace;

    /// <summary>Whether trace lines are kept.</summary>
    public bool Tracing { get; }

    /// <summary>The current phase.</summary>
    public string Phase { get; set; } = "setup";

    /// <summary>Records one expectation.</summary>
    public bool Check(bool passed, string expectation, string action, string decoded = "")
    {
        _steps.Add(new ScenarioStep(Phase, decoded, action, expectation, passed));
        return passed;
    }

    /// <summary>Adds a trace line (when tracing).</summary>
    public void TraceLine(string line)
    {
        if (Tracing)
        {
            _trace.Add(line);
        }
    }

    /// <summary>The report.</summary>
    public ScenarioReport Report(string name, string vendor) => new(name, vendor, _steps.ToArray(), _trace.ToArray());
}
