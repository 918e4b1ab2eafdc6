using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using HwSpecGen.Benchmarks.Generator;
using HwSpecGen.Generators;
using HwSpecGen.Generators.Model;
using Microsoft.CodeAnalysis;
using static HwSpecGen.Benchmarks.Generator.SpecGeneratorHost;

namespace HwSpecGen.Benchmarks.Measurements;

/// <summary>
/// <c>generator</c> mode: what the source generator adds to a clean build of all specs, and which outputs an edit
/// re-emits, read from the driver's own timing (<c>GetTimingInfo</c>) and incremental step tracking. Writes
/// generator.csv and generator-incremental.md into <c>--out</c>.
/// </summary>
public static class GeneratorMeasurement
{
    public static int Run(string[] args)
    {
        var outDir = args.Length >= 2 && args[0] == "--out" ? args[1] : ".";
        Directory.CreateDirectory(outDir);
        var specs = LoadSpecs();
        var compilation = NewCompilation();
        var csv = new StringBuilder("Metric,Value,Unit\n");
        void Metric(string name, double value, string unit)
        {
            Console.WriteLine($"{name,-62} {value,12:N2} {unit}");
            csv.Append(CultureInfo.InvariantCulture, $"\"{name}\",{value:F3},{unit}\n");
        }

        Console.WriteLine($"{specs.Length} spec files under {Path.Combine(RepoRoot, "specs")}");

        // 1. first run in a fresh process (includes loading and JIT-compiling the generator, YamlDotNet and Scriban),
        //    as a build whose compiler server has not run the generator yet
        var sw = Stopwatch.StartNew();
        var cold = NewDriver(specs).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        sw.Stop();
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            Console.Error.WriteLine("generator errors: " + string.Join("; ", diagnostics.Take(5)));
            return 1;
        }

        var generated = cold.GetRunResult().GeneratedTrees;
        Metric("spec files", specs.Length, "files");
        Metric("generated files", generated.Length, "files");
        Metric("generated source", generated.Sum(t => t.Length) / 1024.0, "KiB");
        Metric("generated lines", generated.Sum(t => t.GetText().Lines.Count), "lines");
        Metric("generator, first run in the process (driver timing)", cold.GetTimingInfo().ElapsedTime.TotalMilliseconds, "ms");
        Metric("generator, first run in the process (wall clock)", sw.Elapsed.TotalMilliseconds, "ms");

        // 2. steady state: fresh drivers, the generator already JIT-compiled (a warm compiler server)
        var warm = new List<double>();
        for (var i = 0; i < 15; i++)
        {
            warm.Add(NewDriver(specs).RunGenerators(compilation).GetTimingInfo().ElapsedTime.TotalMilliseconds);
        }

        Metric("generator, full run, warm (median of 15, driver timing)", Median(warm), "ms");

        // 3. compiling what it generated: emit of the generated code alone (what the C# compiler adds for it)
        var emits = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            using var ms = new MemoryStream();
            sw.Restart();
            var emitted = output.Emit(ms);
            sw.Stop();
            if (!emitted.Success)
            {
                Console.Error.WriteLine("generated code does not compile alone: " + emitted.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error));
                return 1;
            }

            emits.Add(sw.Elapsed.TotalMilliseconds);
        }

        Metric("C# compile+emit of the generated code, first", emits[0], "ms");
        Metric("C# compile+emit of the generated code, warm (median of 4)", Median(emits.Skip(1).ToList()), "ms");

        // 4. incrementality: edit one file's format doc (changes its code), then only a comment (changes no code)
        var target = specs.Single(s => s.Path.Replace('\\', '/').EndsWith("specs/amd-vi/commands.yaml", StringComparison.Ordinal));
        var report = new StringBuilder();
        report.Append("# Generator incrementality\n\n");
        report.Append(CultureInfo.InvariantCulture, $"{specs.Length} spec files; driver with `trackIncrementalGeneratorSteps: true`. Reasons per tracked step after each edit, and the generated files whose text changed.\n");
        var driver = NewDriver(specs).RunGenerators(compilation);
        var before = Sources(driver);
        var edited = Edited(target, 1);
        var codeEdit = driver.ReplaceAdditionalText(target, edited).RunGenerators(compilation);
        Metric("generator, incremental run after a code-changing edit of 1 file", codeEdit.GetTimingInfo().ElapsedTime.TotalMilliseconds, "ms");
        var (ok1, text1) = Describe("Edit: a format's doc in specs/amd-vi/commands.yaml (changes that file's generated code)", codeEdit, before, expectReEmitted: "amd-vi.commands.g.cs");
        report.Append(text1);

        var commented = new SpecText(target.Path, "# a comment that changes no generated code\n" + target.Text);
        var commentEdit = driver.ReplaceAdditionalText(target, commented).RunGenerators(compilation);
        Metric("generator, incremental run after a comment-only edit of 1 file", commentEdit.GetTimingInfo().ElapsedTime.TotalMilliseconds, "ms");
        var (ok2, text2) = Describe("Edit: a comment line added to specs/amd-vi/commands.yaml (no code change)", commentEdit, before, expectReEmitted: null);
        report.Append(text2);

        var unchanged = driver.RunGenerators(compilation);
        Metric("generator, re-run with nothing changed", unchanged.GetTimingInfo().ElapsedTime.TotalMilliseconds, "ms");

        File.WriteAllText(Path.Combine(outDir, "generator.csv"), csv.ToString());
        File.WriteAllText(Path.Combine(outDir, "generator-incremental.md"), report.ToString());
        Console.WriteLine(report);
        Console.WriteLine($"written {Path.Combine(outDir, "generator.csv")}, {Path.Combine(outDir, "generator-incremental.md")}");
        return ok1 && ok2 ? 0 : 1;
    }

    private static (bool Ok, string Text) Describe(string title, GeneratorDriver driver, Dictionary<string, string> before, string? expectReEmitted)
    {
        var result = driver.GetRunResult().Results[0];
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"\n## {title}\n\n| step | outputs by run reason |\n|---|---|\n");
        foreach (var step in new[] { TrackingNames.Parse, TrackingNames.Compile, TrackingNames.Outputs, TrackingNames.Diagnostics, TrackingNames.Registry })
        {
            var outputs = result.TrackedSteps.TryGetValue(step, out var runs) ? runs.SelectMany(r => r.Outputs).ToList() : [];
            var counts = string.Join(", ", outputs.GroupBy(o => o.Reason).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
            sb.Append(CultureInfo.InvariantCulture, $"| {step} | {counts} |\n");
        }

        var outputSteps = result.TrackedSteps[TrackingNames.Outputs].SelectMany(r => r.Outputs).ToList();
        var reEmitted = outputSteps.Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New)
            .Select(o => ((FileOutput)o.Value).HintName).ToList();
        var parsedAgain = result.TrackedSteps[TrackingNames.Parse].SelectMany(r => r.Outputs)
            .Where(o => o.Reason is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New)
            .Select(o => Path.GetFileName(Path.GetDirectoryName(((ParseResult)o.Value).Path)) + "/" + Path.GetFileName(((ParseResult)o.Value).Path)).ToList();
        var after = Sources(driver);
        var changed = after.Where(kv => !before.TryGetValue(kv.Key, out var old) || old != kv.Value).Select(kv => kv.Key).ToList();
        sb.Append(CultureInfo.InvariantCulture, $"\nParsed again: {List(parsedAgain)}. Outputs re-emitted (Modified): {List(reEmitted)}. Generated files whose text changed: {List(changed)}.\n");
        var ok = expectReEmitted is null
            ? reEmitted.Count == 0 && changed.Count == 0
            : reEmitted.SequenceEqual([expectReEmitted]) && changed.SequenceEqual([expectReEmitted]);
        sb.Append(ok ? "\nAs expected.\n" : "\n**Not as expected.**\n");
        return (ok, sb.ToString());
    }

    private static string List(List<string> items) => items.Count == 0 ? "none" : string.Join(", ", items.Select(i => $"`{i}`"));

    private static Dictionary<string, string> Sources(GeneratorDriver driver) =>
        driver.GetRunResult().Results[0].GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
