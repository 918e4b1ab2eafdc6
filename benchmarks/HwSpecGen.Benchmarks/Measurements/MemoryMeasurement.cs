using System;
using System.Globalization;
using System.IO;
using System.Text;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Benchmarks.Measurements;

/// <summary>
/// <c>memory</c> mode: bytes per IOTLB entry. Fills a fresh <see cref="TranslationCache"/> with N translations and
/// reports the bytes the cache retains (GC.GetTotalMemory after a full collection, before and after) and the bytes
/// allocated while filling (GC.GetAllocatedBytesForCurrentThread, including arrays outgrown on the way). Writes
/// memory.csv into the directory given with <c>--out</c> (default: the current directory).
/// </summary>
public static class MemoryMeasurement
{
    public static int Run(string[] args)
    {
        var outDir = args.Length >= 2 && args[0] == "--out" ? args[1] : ".";
        Directory.CreateDirectory(outDir);
        var csv = new StringBuilder("Layout,Entries,RetainedBytes,RetainedBytesPerEntry,AllocatedBytes,AllocatedBytesPerEntry\n");
        Console.WriteLine($"{"layout",-34} {"entries",10} {"retained",14} {"B/entry",9} {"allocated",14} {"B/entry",9}");
        foreach (var (layout, count) in new[]
        {
            ("4 KiB pages, 1 space", 1_000),
            ("4 KiB pages, 1 space", 65_536),
            ("4 KiB pages, 1 space", 1_000_000),
            ("4 KiB pages, 16 spaces", 1 << 20),
            ("4 KiB pages, scattered (1 per 2 MiB)", 1_000_000),
            ("2 MiB pages, 1 space", 1_000_000),
        })
        {
            var (retained, allocated) = Measure(layout, count);
            Console.WriteLine($"{layout,-34} {count,10} {retained,14:N0} {(double)retained / count,9:F1} {allocated,14:N0} {(double)allocated / count,9:F1}");
            csv.Append(CultureInfo.InvariantCulture, $"\"{layout}\",{count},{retained},{(double)retained / count:F1},{allocated},{(double)allocated / count:F1}\n");
        }

        var path = Path.Combine(outDir, "memory.csv");
        File.WriteAllText(path, csv.ToString());
        Console.WriteLine($"written {path}");
        return 0;
    }

    private static (long Retained, long Allocated) Measure(string layout, int count)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var cache = new TranslationCache();
        var spaces = layout.Contains("16 spaces", StringComparison.Ordinal) ? 16 : 1;
        var perSpace = count / spaces;
        for (var s = 0; s < spaces; s++)
        {
            for (var i = 0; i < perSpace; i++)
            {
                var (iova, shift) = layout switch
                {
                    _ when layout.StartsWith("2 MiB", StringComparison.Ordinal) => ((ulong)i << 21, 21),
                    _ when layout.Contains("scattered", StringComparison.Ordinal) => ((ulong)i << 21, 12),
                    _ => (0x4000_0000UL + ((ulong)i << 12), 12),
                };
                cache.Insert(1 + (ulong)(s / 4), (ulong)(s % 4), iova, new TlbEntry(0x10_0000_0000UL + iova, shift, Access.ReadWrite));
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var after = GC.GetTotalMemory(forceFullCollection: true);
        if (cache.Count != perSpace * spaces)
        {
            throw new InvalidOperationException("fill failed");
        }

        GC.KeepAlive(cache);
        return (after - before, allocated);
    }
}
