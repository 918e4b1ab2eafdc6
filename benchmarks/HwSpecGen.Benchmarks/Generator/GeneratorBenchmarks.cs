using System;
using System.Collections.Immutable;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static HwSpecGen.Benchmarks.Generator.SpecGeneratorHost;

namespace HwSpecGen.Benchmarks.Generator;

/// <summary>
/// The source generator over every spec (what a clean build of src/HwSpecGen.Hardware runs), against an incremental
/// run after editing one YAML file (only that file's output is re-emitted), and a re-run with nothing changed.
/// </summary>
public class GeneratorBenchmarks
{
    private ImmutableArray<SpecText> _specs;
    private CSharpCompilation _compilation = NewCompilation();
    private GeneratorDriver _warm = null!;
    private SpecText _original = null!;
    private SpecText _current = null!;
    private int _edit;

    [GlobalSetup]
    public void Setup()
    {
        _specs = LoadSpecs();
        _compilation = NewCompilation(CSharpSyntaxTree.ParseText("namespace HwSpecGen.Hardware { internal static class Placeholder { } }"));
        _original = _current = _specs.Single(s => s.Path.Replace('\\', '/').EndsWith("specs/amd-vi/commands.yaml", StringComparison.Ordinal));
        _warm = NewDriver(_specs).RunGenerators(_compilation);
        var result = _warm.GetRunResult();
        if (result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException("the specs do not compile: " + result.Diagnostics.First());
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Generator, all specs")]
    public int FullRun() => NewDriver(_specs).RunGenerators(_compilation).GetRunResult().GeneratedTrees.Length;

    [Benchmark]
    [BenchmarkCategory("Generator, all specs")]
    public int EditOneYamlFile()
    {
        // alternately the edited and the original text: every run sees a changed file
        var next = Edited(_original, ++_edit);
        _warm = _warm.ReplaceAdditionalText(_current, next).RunGenerators(_compilation);
        _current = next;
        return _warm.GetRunResult().GeneratedTrees.Length;
    }

    [Benchmark]
    [BenchmarkCategory("Generator, all specs")]
    public int NothingChanged()
    {
        _warm = _warm.RunGenerators(_compilation);
        return _warm.GetRunResult().GeneratedTrees.Length;
    }
}
