using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Runtime;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>Names of the spec rules a value violates, in spec order.</summary>
internal static class AmdViRules
{
    public static IReadOnlyList<string> Violated<T>(T value)
        where T : struct, IHardwareFormat<T>
    {
        var v = value.Validate();
        return T.Layout.Rules.Where((_, i) => v.IsRuleViolated(i)).Select(r => r.Name).ToList();
    }
}
