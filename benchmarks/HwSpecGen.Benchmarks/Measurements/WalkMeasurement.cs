using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using HwSpecGen.Benchmarks.Translation;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Benchmarks.Measurements;

/// <summary>
/// <c>walks</c> mode: the table reads of one full IOTLB miss per vendor in the translation benchmarks' setup (from the
/// IOMMU's walk trace), so the miss times can be read per table access. Writes walks.csv into <c>--out</c>.
/// </summary>
public static class WalkMeasurement
{
    public static int Run(string[] args)
    {
        var outDir = args.Length >= 2 && args[0] == "--out" ? args[1] : ".";
        Directory.CreateDirectory(outDir);
        var csv = new StringBuilder("Vendor,ConfigReads,Stage1Reads,Stage2Reads,TotalReads\n");
        Console.WriteLine($"{"vendor",-12} {"config",7} {"stage 1",8} {"stage 2",8} {"total",6}");
        foreach (var vendor in VendorFixture.Vendors)
        {
            var counts = VendorFixture.Create(vendor).CountMissReads();
            var config = counts.GetValueOrDefault(TranslationStage.Config);
            var s1 = counts.GetValueOrDefault(TranslationStage.Stage1);
            var s2 = counts.GetValueOrDefault(TranslationStage.Stage2);
            var total = counts.Values.Sum();
            Console.WriteLine($"{vendor,-12} {config,7} {s1,8} {s2,8} {total,6}");
            csv.Append(CultureInfo.InvariantCulture, $"{vendor},{config},{s1},{s2},{total}\n");
        }

        var path = Path.Combine(outDir, "walks.csv");
        File.WriteAllText(path, csv.ToString());
        Console.WriteLine($"written {path}");
        return 0;
    }
}
