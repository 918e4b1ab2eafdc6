using System.Linq;
using HwSpecGen.Core.Vendors.Amd;

namespace HwSpecGen.Core.Tests.Amd;

/// <summary>The built-in scenario <c>hwspec simulate</c> runs for amd-vi.</summary>
public sealed class AmdDefaultScenarioTests
{
    [Fact]
    public void EveryStepOfTheDefaultScenarioPasses()
    {
        var report = AmdDefaultScenario.Run(trace: false);
        var failed = report.Steps.Where(s => !s.Passed).Select(s => $"{s.Phase}: {s.Expectation} ({s.Action})").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
        Assert.True(report.Passed);
        Assert.Equal("amd-vi", report.Vendor);
        Assert.Empty(report.Trace);
    }

    [Fact]
    public void TracingRecordsWalkStepsGuestCommandsAndHostCommands()
    {
        var report = AmdDefaultScenario.Run(trace: true);
        Assert.True(report.Passed);
        Assert.Contains(report.Trace, l => l.Contains("amd-vi/GuestPageTableEntry", System.StringComparison.Ordinal));
        Assert.Contains(report.Trace, l => l.Contains("amd-vi/Gcr3Entry", System.StringComparison.Ordinal));
        Assert.Contains(report.Trace, l => l.Contains("Forwarded", System.StringComparison.Ordinal) && l.Contains("hDomID", System.StringComparison.Ordinal));
        Assert.Contains(report.Trace, l => l.Contains("Rejected", System.StringComparison.Ordinal) && l.Contains("ILLEGAL_COMMAND_ERROR", System.StringComparison.Ordinal));
        Assert.Contains(report.Trace, l => l.Contains("host command", System.StringComparison.Ordinal));
    }
}
