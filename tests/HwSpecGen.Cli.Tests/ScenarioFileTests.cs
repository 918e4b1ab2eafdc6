using System;
using System.IO;
using System.Linq;

namespace HwSpecGen.Cli.Tests;

/// <summary><c>hwspec simulate FILE|DIR</c>: the shipped scenario files pass, a wrong expectation fails with exit 1, bad files give file(line,col) and exit 2.</summary>
public sealed class ScenarioFileTests
{
    [Theory]
    [MemberData(nameof(ScenarioSchemaTests.ScenarioFiles), MemberType = typeof(ScenarioSchemaTests))]
    public void EveryShippedScenarioPasses(string file)
    {
        var (code, output, error) = CliRunner.Run("simulate", Path.Combine(RepoPaths.Scenarios, file));
        Assert.True(code == 0, output + error);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
        Assert.Contains(" 0 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheScenariosDirectoryRunsEveryFileWithProgress()
    {
        var count = Directory.EnumerateFiles(RepoPaths.Scenarios, "*.yaml").Count();
        var (code, output, error) = CliRunner.Run("simulate", RepoPaths.Scenarios);
        Assert.True(code == 0, output + error);
        Assert.Contains($"[{count}/{count}] running", output, StringComparison.Ordinal);
        Assert.Contains($"simulation: {count} scenario(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TraceAddsDecodedCommandsAndWalkSteps()
    {
        var (code, output, _) = CliRunner.Run("simulate", "--trace", Path.Combine(RepoPaths.Scenarios, "amd-vi-basic.yaml"));
        Assert.Equal(0, code);
        Assert.Contains("-- trace", output, StringComparison.Ordinal);
        Assert.Contains("walk", output, StringComparison.Ordinal);
        Assert.Contains("queues InvalidateIommuPages {", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongExpectationFailsWithExitOne()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Scenarios, "amd-vi-basic.yaml"))
            .Replace("expect: { fault: IO_PAGE_FAULT, fault-stage: 1, stale: false }", "expect: { reaches-gpa: 0x400000 }", StringComparison.Ordinal);
        using var dir = new TempDir();
        var path = dir.Write("wrong.yaml", text);
        var (code, output, _) = CliRunner.Run("simulate", path);
        Assert.Equal(1, code);
        Assert.Contains("— FAIL", output, StringComparison.Ordinal);
        Assert.Contains("   FAIL  DMA after the completed invalidation faults at stage 1, never the stale page: reaches GPA 0x400000", output, StringComparison.Ordinal);
        Assert.Contains(" 1 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheBuiltInScenariosStillRunWithNoArgument()
    {
        var (code, output, _) = CliRunner.Run("simulate");
        Assert.Equal(0, code);
        Assert.Contains("simulation: 3 scenario(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsAUsageError()
    {
        var (code, _, error) = CliRunner.Run("simulate", "no/such/scenario.yaml");
        Assert.Equal(2, code);
        Assert.Contains("no such scenario file", error, StringComparison.Ordinal);
    }
}
