using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HwSpecGen.Generators.Tests;

/// <summary>The generator is incremental: each tracked step's run reason is what the edit warrants, and no Roslyn object leaks into a model.</summary>
public sealed class IncrementalityTests
{
    private const string A = """
        vendor: va
        formats:
          - name: Alpha
            bits: 64
            source: test
            fields:
              - { name: Id, bits: "15:0" }
            reserved:
              - { bits: "63:16" }
        """;

    private const string B = """
        vendor: vb
        formats:
          - name: Beta
            bits: 32
            source: test
            fields:
              - { name: Flag, bits: 0 }
            reserved:
              - { bits: "31:1", rule: ignored }
        """;

    private static readonly string[] Steps = [TrackingNames.Parse, TrackingNames.Compile, TrackingNames.Outputs, TrackingNames.Diagnostics, TrackingNames.Registry];

    [Fact]
    public void SecondRunWithTheSameInputsIsCachedEverywhere()
    {
        var (driver, compilation) = Start();
        driver = driver.RunGenerators(compilation);
        var result = driver.GetRunResult().Results[0];
        AssertAll(result, s => s is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void AnUnrelatedCSharpEditLeavesEveryStepCached()
    {
        var (driver, compilation) = Start();
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Unrelated { }")));
        AssertAll(driver.GetRunResult().Results[0], s => s == IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void EditingOneOfTwoYamlFilesReEmitsOnlyThatFile()
    {
        var (driver, compilation) = Start();
        driver = driver.ReplaceAdditionalText(Files[0], new GeneratorHarness.InMemoryText("/specs/va/a.yaml", A.Replace("\"15:0\"", "\"16:0\"").Replace("\"63:16\"", "\"63:17\"")));
        driver = driver.RunGenerators(compilation);
        var result = driver.GetRunResult().Results[0];
        var parse = Reasons(result, TrackingNames.Parse);
        Assert.Contains(IncrementalStepRunReason.Modified, parse);
        Assert.Contains(IncrementalStepRunReason.Cached, parse);
        var outputs = Reasons(result, TrackingNames.Outputs);
        Assert.Equal([IncrementalStepRunReason.Modified, IncrementalStepRunReason.Unchanged], outputs);
        Assert.All(Reasons(result, TrackingNames.Registry), r => Assert.True(r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, r.ToString()));
        var alpha = result.GeneratedSources.Single(s => s.HintName == "va.a.g.cs").SourceText.ToString();
        Assert.Contains("0x1FFFFUL", alpha, StringComparison.Ordinal);
    }

    [Fact]
    public void MovingAnErrorReReportsDiagnosticsWithoutReEmittingCode()
    {
        var broken = A.Replace("      - { name: Id, bits: \"15:0\" }", "      - { name: Id, bits: \"15:0\" }\n      - { name: Bad, bits: \"99:98\" }");
        var files = new[] { new GeneratorHarness.InMemoryText("/specs/va/a.yaml", broken), new GeneratorHarness.InMemoryText("/specs/vb/b.yaml", B) };
        var compilation = GeneratorHarness.NewCompilation();
        var driver = GeneratorHarness.NewDriver(files).RunGenerators(compilation);
        Assert.Contains(driver.GetRunResult().Diagnostics, d => d.Id == "HSG0006");
        driver = driver.ReplaceAdditionalText(files[0], new GeneratorHarness.InMemoryText("/specs/va/a.yaml", "# a comment line moves everything down\n" + broken));
        driver = driver.RunGenerators(compilation);
        var result = driver.GetRunResult().Results[0];
        Assert.Equal([IncrementalStepRunReason.Modified], Reasons(result, TrackingNames.Diagnostics));
        Assert.All(Reasons(result, TrackingNames.Outputs), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        var moved = result.Diagnostics.Single(d => d.Id == "HSG0006");
        Assert.Equal(8, moved.Location.GetLineSpan().StartLinePosition.Line); // 0-based: line 9 after the added comment
    }

    [Fact]
    public void NoCompilationSymbolOrSyntaxNodeIsReachableFromAnyStep()
    {
        var (driver, _) = Start();
        var result = driver.GetRunResult().Results[0];
        foreach (var step in result.TrackedSteps.SelectMany(s => s.Value))
        {
            foreach (var (value, _) in step.Outputs)
            {
                AssertNoRoslynObjects(value, new HashSet<object>(ReferenceEqualityComparer.Instance), step.Name ?? "?");
            }
        }
    }

    private static GeneratorHarness.InMemoryText[] Files { get; } =
    [
        new("/specs/va/a.yaml", A),
        new("/specs/vb/b.yaml", B),
    ];

    private static (GeneratorDriver Driver, Compilation Compilation) Start()
    {
        var compilation = GeneratorHarness.NewCompilation("class Existing { }");
        var driver = GeneratorHarness.NewDriver(Files).RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);
        return (driver, compilation);
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var runs) ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToList() : throw new InvalidOperationException($"step {step} was not tracked");

    private static void AssertAll(GeneratorRunResult result, Func<IncrementalStepRunReason, bool> ok)
    {
        foreach (var name in Steps)
        {
            Assert.All(Reasons(result, name), r => Assert.True(ok(r), $"{name}: {r}"));
        }
    }

    private static void AssertNoRoslynObjects(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is Compilation or ISymbol or SyntaxNode or SyntaxTree or Location or SemanticModel, $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertNoRoslynObjects(item, seen, path + "[]");
            }
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), seen, path + "." + field.Name);
        }
    }
}
