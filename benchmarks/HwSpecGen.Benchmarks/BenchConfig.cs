using System;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace HwSpecGen.Benchmarks;

/// <summary>
/// One configuration for every benchmark: BenchmarkDotNet's short run (1 launch, 3 warm-up, 3 measured iterations),
/// in process (no generated project to build; <c>HWSPECGEN_BENCH_OUT_OF_PROCESS=1</c> for BenchmarkDotNet's default
/// out-of-process toolchain),
/// the memory diagnoser (allocated bytes per operation), ratios per category against the category's baseline, and the
/// CSV + GitHub-markdown exporters that benchmarks/chart.py reads.
/// </summary>
public static class BenchConfig
{
    public static IConfig Create()
    {
        // BenchmarkDotNet's default toolchain builds a generated project (the whole solution again: minutes on a busy
        // 2-core machine) and runs each benchmark in its own process; in process is the default here.
        var outOfProcess = Environment.GetEnvironmentVariable("HWSPECGEN_BENCH_OUT_OF_PROCESS") == "1";
        var job = Job.ShortRun.WithId("ShortRun");
        if (!outOfProcess)
        {
            job = job.WithToolchain(InProcessEmitToolchain.Instance);
        }

        if (Environment.GetEnvironmentVariable("HWSPECGEN_BENCH_ITERATIONS") is { } n && int.TryParse(n, out var iterations) && iterations > 0)
        {
            job = job.WithIterationCount(iterations);
        }

        return ManualConfig.CreateMinimumViable()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(CategoriesColumn.Default, BaselineRatioColumn.RatioMean, StatisticColumn.Median)
            .AddExporter(CsvExporter.Default, MarkdownExporter.GitHub)
            .AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory)
            .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value).WithMaxParameterColumnWidth(40))
            .WithBuildTimeout(TimeSpan.FromMinutes(20))
            .WithOptions(ConfigOptions.DisableLogFile);
    }

    /// <summary>The configuration without the benchmarks that call the C library (their names end in <c>_C</c>).</summary>
    public static IConfig WithoutNative(IConfig config) =>
        ManualConfig.Create(config).AddFilter(new SimpleFilter(b => !b.Descriptor.WorkloadMethod.Name.EndsWith("_C", StringComparison.Ordinal)));
}
