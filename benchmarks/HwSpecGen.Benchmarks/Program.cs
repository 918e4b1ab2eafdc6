using System;
using System.Linq;
using BenchmarkDotNet.Running;
using HwSpecGen.Benchmarks.Codec;
using HwSpecGen.Benchmarks.Measurements;

namespace HwSpecGen.Benchmarks;

/// <summary>
/// Entry point. With no mode argument it is BenchmarkDotNet's switcher (every BenchmarkDotNet option works:
/// <c>--filter '*Ste*'</c>, <c>--list flat</c>, …). Two measurement modes that are not timing loops:
/// <c>memory</c> (bytes per IOTLB entry, 1 M cached translations) and <c>generator</c> (generator time over all
/// specs, and the incremental run reasons after editing one YAML file), <c>walks</c> (table reads of one full miss per
/// vendor); <c>profile</c> (one path in a loop for a profiler); and <c>selfcheck</c>, which runs every
/// benchmark once untimed after checking that the implementations agree. benchmarks/run.sh runs all of it.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "memory")
        {
            return MemoryMeasurement.Run(args.Skip(1).ToArray());
        }

        if (args.Length > 0 && args[0] == "generator")
        {
            return GeneratorMeasurement.Run(args.Skip(1).ToArray());
        }

        if (args.Length > 0 && args[0] == "walks")
        {
            return WalkMeasurement.Run(args.Skip(1).ToArray());
        }

        if (args.Length > 0 && args[0] == "profile")
        {
            return ProfileLoop.Run(args.Skip(1).ToArray());
        }

        if (args.Length > 0 && args[0] == "selfcheck")
        {
            return SelfCheck.Run(args.Skip(1).ToArray());
        }

        var config = BenchConfig.Create();
        if (!NativeBaseline.IsAvailable)
        {
            Console.WriteLine($"[HwSpecGen] C baseline library not found ({NativeBaseline.LoadError}); the *_C benchmarks are skipped. Build it with benchmarks/native/build.sh (needs g++ or cc).");
            config = BenchConfig.WithoutNative(config);
        }
        else
        {
            Console.WriteLine($"[HwSpecGen] C baseline: {NativeBaseline.LibraryPath}");
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
