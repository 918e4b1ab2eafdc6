using System.Linq;
using HwSpecGen.Core.Vendors.Intel;

namespace HwSpecGen.Core.Tests.Intel;

/// <summary>The built-in VT-d simulation that <c>hwspec simulate</c> runs.</summary>
public sealed class DefaultScenarioTests
{
    [Fact]
    public void DefaultScenarioPassesEveryStep()
    {
        var report = IntelDefaultScenario.Run(trace: false);
        var failed = report.Steps.Where(s => !s.Passed).Select(s => $"[{s.Phase}] {s.Expectation}: {s.Action} → {s.Decoded}").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
        Assert.True(report.Steps.Count >= 20);
        Assert.True(report.Passed);
        Assert.Empty(report.Trace);
    }

    [Fact]
    public void TracedRunRecordsDecodedCommandsAndWalkSteps()
    {
        var report = IntelDefaultScenario.Run(trace: true);
        Assert.True(report.Passed);
        Assert.Contains(report.Trace, l => l.Contains("PasidIotlbInvalidate256", System.StringComparison.Ordinal) && l.Contains("IOMMU_HWPT_INVALIDATE", System.StringComparison.Ordinal));
        Assert.Contains(report.Trace, l => l.Contains("DeviceTlbInvalidate256", System.StringComparison.Ordinal) && l.Contains("without forwarding", System.StringComparison.Ordinal));
        Assert.Contains(report.Trace, l => l.Contains("host QI", System.StringComparison.Ordinal) && l.Contains("ATC", System.StringComparison.Ordinal));
        Assert.Contains(report.Trace, l => l.Contains("walk Stage1", System.StringComparison.Ordinal) && l.Contains("FirstStagePte", System.StringComparison.Ordinal));
        Assert.Contains(report.Trace, l => l.Contains("IQE", System.StringComparison.Ordinal));
    }
}
