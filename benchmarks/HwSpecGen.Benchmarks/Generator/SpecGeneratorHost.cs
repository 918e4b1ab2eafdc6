using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using HwSpecGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HwSpecGen.Benchmarks.Generator;

/// <summary>
/// Runs <see cref="HwSpecGenerator"/> in a <see cref="CSharpGeneratorDriver"/> over every spec under specs/ (what the
/// build of src/HwSpecGen.Hardware gives it as AdditionalFiles), with step tracking on.
/// </summary>
public static class SpecGeneratorHost
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var list = tpa.Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        list.Add(MetadataReference.CreateFromFile(typeof(HwSpecGen.Runtime.FormatLayout).Assembly.Location));
        return [.. list];
    });

    /// <summary>The repository root (the directory holding HwSpecGen.sln and specs/).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>Every spec file, as the build passes them (specs/**/*.yaml except specs/schema).</summary>
    public static ImmutableArray<SpecText> LoadSpecs() =>
        [.. Directory.EnumerateFiles(Path.Combine(RepoRoot, "specs"), "*.yaml", SearchOption.AllDirectories)
            .Where(p => !p.Replace('\\', '/').Contains("/specs/schema/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => new SpecText(p, File.ReadAllText(p)))];

    /// <summary>An empty compilation with the runtime referenced, as the generator sees it in src/HwSpecGen.Hardware.</summary>
    public static CSharpCompilation NewCompilation(params SyntaxTree[] trees) => CSharpCompilation.Create(
        "HwSpecGen.Hardware",
        trees,
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release));

    /// <summary>A fresh driver over <paramref name="specs"/>.</summary>
    public static GeneratorDriver NewDriver(ImmutableArray<SpecText> specs) =>
        CSharpGeneratorDriver.Create(
            [new HwSpecGenerator().AsSourceGenerator()],
            specs.CastArray<AdditionalText>(),
            new CSharpParseOptions(LanguageVersion.Latest),
            new NamespaceOptions("HwSpecGen.Hardware"),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>
    /// An edit to <paramref name="spec"/> that changes generated code (a doc comment of its first format), alternating
    /// between two texts by <paramref name="variant"/>.
    /// </summary>
    public static SpecText Edited(SpecText spec, int variant)
    {
        if (variant % 2 == 0)
        {
            return new SpecText(spec.Path, spec.Text);
        }

        const string Marker = "\n    doc: ";
        var at = spec.Text.IndexOf(Marker, spec.Text.IndexOf("\nformats:", StringComparison.Ordinal), StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException("no format doc in " + spec.Path);
        }

        var insert = at + Marker.Length;
        if (spec.Text[insert] is '>' or '|')
        {
            // a folded or literal block: edit its first line
            insert = spec.Text.IndexOf('\n', insert) + 1;
            while (spec.Text[insert] == ' ')
            {
                insert++;
            }
        }
        else if (spec.Text[insert] is '"' or '\'')
        {
            insert++;
        }

        return new SpecText(spec.Path, spec.Text.Insert(insert, "(edited) "));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HwSpecGen.sln")) && Directory.Exists(Path.Combine(dir.FullName, "specs")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (HwSpecGen.sln) above " + AppContext.BaseDirectory);
    }

    /// <summary>A spec file's text as an AdditionalText.</summary>
    public sealed class SpecText : AdditionalText
    {
        private readonly SourceText _source;

        public SpecText(string path, string text)
        {
            Path = path;
            Text = text;
            _source = SourceText.From(text);
        }

        public override string Path { get; }

        public string Text { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _source;
    }

    private sealed class NamespaceOptions : AnalyzerConfigOptionsProvider
    {
        private readonly FixedOptions _global;

        public NamespaceOptions(string ns) => _global = new FixedOptions(ns);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;

        private sealed class FixedOptions : AnalyzerConfigOptions
        {
            private readonly string _ns;

            public FixedOptions(string ns) => _ns = ns;

            public override bool TryGetValue(string key, out string value)
            {
                value = key == "build_property.HwSpecGenNamespace" ? _ns : string.Empty;
                return key == "build_property.HwSpecGenNamespace";
            }
        }
    }
}
