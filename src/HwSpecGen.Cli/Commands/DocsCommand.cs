using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using HwSpecGen.Cli.Docs;
using HwSpecGen.Hardware;

namespace HwSpecGen.Cli.Commands;

/// <summary><c>hwspec docs [--out DIR] [--vendor V] [--row-bits 32|64]</c>: datasheets with bitfield diagrams, as HTML and Markdown.</summary>
public static class DocsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "datasheets" };
        var vendor = new Option<string?>("--vendor") { Description = "Only this vendor (e.g. amd-vi)" };
        var rowBits = new Option<int>("--row-bits") { Description = "Bits per diagram row: 32 or 64", DefaultValueFactory = _ => 32 };
        var cmd = new Command("docs", "Write datasheets (standalone HTML and Markdown with SVG bitfield diagrams) for every vendor") { outDir, vendor, rowBits };
        cmd.SetAction(r =>
        {
            var bits = r.GetValue(rowBits);
            if (bits is not (32 or 64))
            {
                throw new UsageException($"--row-bits is 32 or 64, not {bits}");
            }

            var dir = r.GetValue(outDir)!;
            var sheets = Sheets(r.GetValue(vendor));
            var files = DatasheetWriter.Write(dir, sheets, bits);
            var output = r.InvocationConfiguration.Output;
            foreach (var s in sheets)
            {
                output.WriteLine($"{Path.Combine(dir, s.Vendor + ".html")}  ({s.Formats.Length} formats, {s.Sets.Length} command sets, {s.Tables.Length} tables)");
                output.WriteLine($"{Path.Combine(dir, s.Vendor + ".md")}  (diagrams in {Path.Combine(dir, s.Vendor)}/)");
            }

            output.WriteLine($"{files.Count} files written under {dir}");
            return 0;
        });
        return cmd;
    }

    /// <summary>The sheets for one vendor, or for every vendor when <paramref name="vendor"/> is null.</summary>
    public static IReadOnlyList<VendorSheet> Sheets(string? vendor)
    {
        var vendors = FormatRegistry.Formats.Select(f => f.Layout.Vendor).Distinct().ToList();
        if (vendor is not null && !vendors.Contains(vendor))
        {
            throw new UsageException($"unknown vendor '{vendor}'; vendors: {string.Join(", ", vendors)}");
        }

        return vendors.Where(v => vendor is null || v == vendor)
            .Select(v => new VendorSheet(v, FormatRegistry.Formats, FormatRegistry.Sets, FormatRegistry.Tables))
            .ToList();
    }
}
