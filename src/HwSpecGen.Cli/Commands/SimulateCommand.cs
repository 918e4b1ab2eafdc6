using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using HwSpecGen.Core.Scenarios;
using HwSpecGen.Core.Scenarios.Files;

namespace HwSpecGen.Cli.Commands;

/// <summary>
/// <c>hwspec simulate [FILE|DIR]…</c>: runs the built-in scenario of each vendor, or the given scenario files (docs/scenarios.md),
/// and prints a report; exit 1 if an expectation fails, 2 if a scenario file is wrong (each error as file(line,col)).
/// </summary>
public static class SimulateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var vendor = new Option<string?>("--vendor") { Description = "Only this vendor's scenario (amd-vi, intel-vtd, arm-smmuv3)" };
        var trace = new Option<bool>("--trace") { Description = "Print every decoded command and walk step" };
        var files = new Argument<string[]>("scenarios") { Description = "Scenario files (scenarios/*.yaml) or directories of them; none: the built-in scenario of each vendor", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("simulate", "Run nested-translation scenarios (the built-in one per vendor, or scenario files) and report every expectation") { files, vendor, trace };
        cmd.SetAction(r =>
        {
            var v = r.GetValue(vendor);
            var paths = r.GetValue(files) ?? [];
            if (paths.Length > 0)
            {
                return RunFiles(paths, v, r.GetValue(trace), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error);
            }

            var runs = ScenarioCatalog.Defaults.Where(d => v is null || d.Vendor == v).ToList();
            if (runs.Count == 0)
            {
                throw new UsageException(v is null ? "no built-in scenarios are registered" : $"no scenario for vendor '{v}'; vendors: {string.Join(", ", ScenarioCatalog.Defaults.Select(d => d.Vendor))}");
            }

            var output = r.InvocationConfiguration.Output;
            var failed = 0;
            var total = 0;
            for (var i = 0; i < runs.Count; i++)
            {
                output.WriteLine($"[{i + 1}/{runs.Count}] running {runs[i].Vendor} …");
                var report = runs[i].Run(r.GetValue(trace));
                Print(report, output);
                total += report.Steps.Count;
                failed += report.Steps.Count(s => !s.Passed);
            }

            output.WriteLine($"simulation: {runs.Count} scenario(s), {total - failed} expectation(s) passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>Parses every file first (exit 2 with every error if any is wrong), then runs them in order.</summary>
    public static int RunFiles(IReadOnlyList<string> paths, string? vendor, bool trace, TextWriter output, TextWriter error)
    {
        var parsed = new List<ScenarioFile>();
        var errors = 0;
        foreach (var path in Expand(paths))
        {
            var result = ScenarioFileParser.Parse(path, File.ReadAllText(path));
            foreach (var d in result.Diagnostics)
            {
                error.WriteLine(d.ToString());
                errors++;
            }

            if (result.File is { } f && (vendor is null || f.Vendor == vendor))
            {
                parsed.Add(f);
            }
        }

        if (errors > 0)
        {
            error.WriteLine($"hwspec: {errors} error(s) in scenario files; nothing was run");
            return 2;
        }

        if (parsed.Count == 0)
        {
            throw new UsageException(vendor is null ? "no scenario files to run" : $"no scenario file for vendor '{vendor}'");
        }

        var failed = 0;
        var total = 0;
        for (var i = 0; i < parsed.Count; i++)
        {
            output.WriteLine($"[{i + 1}/{parsed.Count}] running {parsed[i].Path} ({parsed[i].Vendor}) …");
            var report = ScenarioFileRunner.Run(parsed[i], trace);
            Print(report, output);
            total += report.Steps.Count;
            failed += report.Steps.Count(s => !s.Passed);
        }

        output.WriteLine($"simulation: {parsed.Count} scenario(s), {total - failed} expectation(s) passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Prints one report.</summary>
    public static void Print(ScenarioReport report, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"== {report.Name} ({report.Vendor}) — {(report.Passed ? "PASS" : "FAIL")}");
        string? phase = null;
        ScenarioStep? previous = null;
        foreach (var s in report.Steps)
        {
            if (s.Phase != phase)
            {
                phase = s.Phase;
                previous = null;
                output.WriteLine($"-- {phase}");
            }

            output.WriteLine($"   {(s.Passed ? "pass" : "FAIL")}  {s.Expectation}");
            if (previous is null || previous.Action != s.Action || previous.Decoded != s.Decoded)
            {
                output.WriteLine($"         did: {s.Action}");
                if (!string.IsNullOrEmpty(s.Decoded))
                {
                    output.WriteLine($"         decoded: {s.Decoded}");
                }
            }

            previous = s;
        }

        if (report.Trace.Count > 0)
        {
            output.WriteLine("-- trace");
            foreach (var line in report.Trace)
            {
                output.WriteLine("   " + line);
            }
        }

        output.WriteLine();
    }

    private static IEnumerable<string> Expand(IReadOnlyList<string> paths)
    {
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                var inDir = Directory.EnumerateFiles(p).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal).ToList();
                if (inDir.Count == 0)
                {
                    throw new UsageException($"{p} holds no *.yaml scenario files");
                }

                foreach (var f in inDir)
                {
                    yield return f;
                }
            }
            else if (File.Exists(p))
            {
                yield return p;
            }
            else
            {
                throw new UsageException($"no such scenario file or directory: {p}");
            }
        }
    }
}
