using System;
using System.Collections.Generic;

namespace HwSpecGen.Core.Scenarios;

/// <summary>The built-in default scenarios, one per vendor, that <c>hwspec simulate</c> runs with no argument.</summary>
public static class ScenarioCatalog
{
    /// <summary>Vendor key → runner (argument: trace).</summary>
    public static IReadOnlyList<(string Vendor, Func<bool, ScenarioReport> Run)> Defaults { get; } = new List<(string, Func<bool, ScenarioReport>)>
    {
    };
}
