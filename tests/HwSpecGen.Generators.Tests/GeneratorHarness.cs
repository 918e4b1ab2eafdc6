using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace HwSpecGen.Generators.Tests;

/// <summary>Runs <see cref="HwSpecGenerator"/> in a <see cref="CSharpGeneratorDriver"/> over in-memory YAML files.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var list = tpa.Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        list.Add(MetadataReference.CreateFromFile(typeof(HwSpecGen.Runtime.FormatLayout).Assembly.Location));
        return list.ToImmutableArray();
    });

    public static CSharpCompilation NewCompilation(params string[] sources) => CSharpCompilation.Create(
        "GeneratorTest",
        sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest))),
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver NewDriver(IEnumerable<AdditionalText> files, string rootNamespace = "HwSpecGen.Hardware") =>
        CSharpGeneratorDriver.Create(
            new[] { new HwSpecGenerator().AsSourceGenerator() },
            files,
            new CSharpParseOptions(LanguageVersion.Latest),
            new Options(rootNamespace),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static (GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(params (string Path, string Text)[] files)
    {
        var driver = NewDriver(files.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text)));
        driver = driver.RunGeneratorsAndUpdateCompilation(NewCompilation(), out var output, out var diagnostics);
        return (driver.GetRunResult(), output, diagnostics);
    }

    public sealed class InMemoryText : AdditionalText
    {
        private readonly SourceText _text;

        public InMemoryText(string path, string text)
        {
            Path = path;
            _text = SourceText.From(text);
        }

        public override string Path { get; }

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        private readonly NamespaceOptions _global;

        public Options(string ns) => _global = new NamespaceOptions(ns);

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;

        private sealed class NamespaceOptions : AnalyzerConfigOptions
        {
            private readonly string _ns;

            public NamespaceOptions(string ns) => _ns = ns;

            public override bool TryGetValue(string key, out string value)
            {
                value = key == "build_property.HwSpecGenNamespace" ? _ns : string.Empty;
                return key == "build_property.HwSpecGenNamespace";
            }
        }
    }
}
