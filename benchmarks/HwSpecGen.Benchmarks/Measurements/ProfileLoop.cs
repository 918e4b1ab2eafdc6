using System;
using System.Diagnostics;
using HwSpecGen.Benchmarks.Translation;

namespace HwSpecGen.Benchmarks.Measurements;

/// <summary>
/// <c>profile VENDOR hit|miss|queue [SECONDS [CACHED]]</c>: runs one translation or queue path in a loop for a profiler
/// (<c>dotnet-trace collect --profile dotnet-sampled-thread-time -- dotnet HwSpecGen.Benchmarks.dll profile arm-smmuv3 hit</c>)
/// with CACHED other translations in the IOTLB (default 0), and prints the mean time per operation — a rough figure; the measured ones come from BenchmarkDotNet.
/// </summary>
public static class ProfileLoop
{
    /// <summary>Runs the mode.</summary>
    /// <param name="args">Vendor, path, optional seconds (default 10), optional cached entries (default 0).</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args)
    {
        if (args.Length < 2 || args[1] is not ("hit" or "miss" or "queue"))
        {
            Console.Error.WriteLine("usage: profile amd-vi|intel-vtd|arm-smmuv3 hit|miss|queue [seconds [cached-entries]]");
            return 2;
        }

        var fixture = VendorFixture.Create(args[0]);
        var seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10;
        fixture.FillIotlb(args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 0);
        var iovas = fixture.Iovas;
        long operations = 0;
        ulong acc = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 4096; i++)
            {
                switch (args[1])
                {
                    case "hit":
                        acc += fixture.Translate(iovas[i & 63] + 0x10).Hpa;
                        operations++;
                        break;
                    case "miss":
                        fixture.Iommu.Iotlb.InvalidateAll();
                        acc += fixture.Translate(iovas[i & (VendorFixture.Pages - 1)] + 0x10).Hpa;
                        operations++;
                        break;
                    default:
                        if (!fixture.Queue.Advance(QueueInvalidationBenchmarks.Batch))
                        {
                            throw new InvalidOperationException("the queue stopped");
                        }

                        operations += QueueInvalidationBenchmarks.Batch;
                        break;
                }
            }
        }

        Console.WriteLine($"{args[0]} {args[1]}: {operations} operations, {clock.Elapsed.TotalNanoseconds / operations:F1} ns each (checksum {acc & 0xFFFF:X})");
        return 0;
    }
}
