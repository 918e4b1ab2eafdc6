using System;
using System.Collections.Generic;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Core.Vendors.Intel;

namespace HwSpecGen.Core.Scenarios;

/// <summary>The built-in default scenarios, one per vendor, that <c>hwspec simulate</c> runs with no argument.</summary>
public static class ScenarioCatalog
{
    /// <summary>Vendor key → runner (argument: trace).</summary>
    public static IReadOnlyList<(string Vendor, Func<bool, ScenarioReport> Run)> Defaults { get; } = new List<(string, Func<bool, ScenarioReport>)>
    {
        ("intel-vtd", IntelDefaultScenario.Run),
        ("amd-vi", AmdDefaultScenario.Run),
        ("arm-smmuv3", ArmDefaultScenario.Run),
    };
}
