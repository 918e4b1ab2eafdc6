using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using HwSpecGen.Generators.Model;
using HwSpecGen.Generators.Parsing;
using HwSpecGen.Generators.Resolution;

namespace HwSpecGen.Fuzz.Tests.Support;

/// <summary>
/// The YAML models the generated code came from, compiled again here with <see cref="SpecCompiler"/>: the repository's
/// specs/ (copied to SpecModels/specs beside the test assembly) for HwSpecGen.Hardware, and this project's Specs/.
/// </summary>
internal sealed class SpecModels
{
    private static readonly Lazy<SpecModels> Instance = new(Load);

    private SpecModels(Dictionary<string, (ResolvedFormat Format, string Vendor)> formats, Dictionary<string, ResolvedSet> sets, Dictionary<string, List<ResolvedEnum>> enums, ImmutableArray<DiagnosticInfo> diagnostics, int files)
    {
        Enums = enums.ToDictionary(e => e.Key, e => (IReadOnlyList<ResolvedEnum>)e.Value, StringComparer.Ordinal);
        Formats = formats;
        Sets = sets;
        Diagnostics = diagnostics;
        FileCount = files;
    }

    public static SpecModels All => Instance.Value;

    /// <summary>By <c>vendor/Name</c>.</summary>
    public IReadOnlyDictionary<string, (ResolvedFormat Format, string Vendor)> Formats { get; }

    /// <summary>By <c>vendor/Name</c>.</summary>
    public IReadOnlyDictionary<string, ResolvedSet> Sets { get; }

    /// <summary>Every enum of a vendor (rules may name any of them).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ResolvedEnum>> Enums { get; }

    public ImmutableArray<DiagnosticInfo> Diagnostics { get; }

    public int FileCount { get; }

    public static string SpecsDir => Path.Combine(AppContext.BaseDirectory, "SpecModels", "specs");

    public static string TestSpecsDir => Path.Combine(AppContext.BaseDirectory, "Specs");

    public static ImmutableArray<ParseResult> Parse(string dir) =>
        Directory.EnumerateFiles(dir, "*.yaml", SearchOption.AllDirectories)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => SpecParser.Parse(p.Replace('\\', '/'), File.ReadAllText(p)))
            .ToImmutableArray();

    private static SpecModels Load()
    {
        var formats = new Dictionary<string, (ResolvedFormat, string)>(StringComparer.Ordinal);
        var sets = new Dictionary<string, ResolvedSet>(StringComparer.Ordinal);
        var enums = new Dictionary<string, List<ResolvedEnum>>(StringComparer.Ordinal);
        var diagnostics = ImmutableArray.CreateBuilder<DiagnosticInfo>();
        var files = 0;
        foreach (var (dir, ns) in new[] { (SpecsDir, "HwSpecGen.Hardware"), (TestSpecsDir, "HwSpecGen.Fuzz.Tests") })
        {
            var parsed = Parse(dir);
            files += parsed.Length;
            var compiled = SpecCompiler.Compile(parsed, ns);
            diagnostics.AddRange(compiled.Diagnostics);
            foreach (var output in compiled.Outputs)
            {
                if (!enums.TryGetValue(output.Vendor, out var list))
                {
                    enums[output.Vendor] = list = new List<ResolvedEnum>();
                }

                list.AddRange(output.Enums);
                foreach (var f in output.Formats)
                {
                    formats.Add(output.Vendor + "/" + f.Name, (f, output.Vendor));
                }

                foreach (var s in output.Sets)
                {
                    sets.Add(output.Vendor + "/" + s.Name, s);
                }
            }
        }

        return new SpecModels(formats, sets, enums, diagnostics.ToImmutable(), files);
    }
}
