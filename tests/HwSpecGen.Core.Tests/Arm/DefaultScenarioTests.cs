using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Vendors.Arm;
using Xunit.Abstractions;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>The built-in simulation <c>hwspec simulate</c> runs for arm-smmuv3.</summary>
public sealed class DefaultScenarioTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryPhaseOfTheDefaultSimulationPasses()
    {
        var report = ArmDefaultScenario.Run(trace: true);
        foreach (var step in report.Steps)
        {
            output.WriteLine($"{(step.Passed ? "PASS" : "FAIL")} [{step.Phase}] {step.Expectation} -- {step.Action} {step.Decoded}");
        }

        foreach (var line in report.Trace)
        {
            output.WriteLine(line);
        }

        Assert.All(report.Steps, s => Assert.True(s.Passed, $"[{s.Phase}] {s.Expectation}: {s.Action}"));
        Assert.True(report.Passed);
        Assert.NotEmpty(report.Trace);
    }

    [Fact]
    public void WithoutTracingTheReportHasNoTraceLines()
    {
        var report = ArmDefaultScenario.Run(trace: false);
        Assert.True(report.Passed);
        Assert.Empty(report.Trace);
    }
}
