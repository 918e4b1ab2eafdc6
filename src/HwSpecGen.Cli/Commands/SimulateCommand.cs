using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using HwSpecGen.Core.Scenarios;

namespace HwSpecGen.Cli.Commands;

/// <summary><c>hwspec simulate</c>: runs the built-in scenario of each vendor and prints a report; exit 1 if an expectation fails.</summary>
public static class SimulateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var vendor = new Option<string?>("--vendor") { Description = "Only this vendor's scenario (amd-vi, intel-vtd, arm-smmuv3)" };
        var trace = new Option<bool>("--trace") { Description = "Print every decoded command and walk step" };
        var cmd = new Command("simulate", "Run the default nested-translation scenario for each vendor and report every expectation") { vendor, trace };
        cmd.SetAction(r =>
        {
            var v = r.GetValue(vendor);
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

    /// <summary>Prints one report.</summary>
    public static void Print(ScenarioReport report, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"== {report.Name} ({report.Vendor}) — {(report.Passed ? "PASS" : "FAIL")}");
        string? phase = null;
        foreach (var s in report.Steps)
        {
            if (s.Phase != phase)
            {
                phase = s.Phase;
                output.WriteLine($"-- {phase}");
            }

            output.WriteLine($"   {(s.Passed ? "pass" : "FAIL")}  {s.Expectation}");
            output.WriteLine($"         did: {s.Action}");
            if (!string.IsNullOrEmpty(s.Decoded))
            {
                output.WriteLine($"         decoded: {s.Decoded}");
            }
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
}
