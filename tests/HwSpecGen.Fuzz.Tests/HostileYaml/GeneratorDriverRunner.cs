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

namespace HwSpecGen.Fuzz.Tests.HostileYaml;

/// <summary>Runs the real <see cref="HwSpecGenerator"/> in a <see cref="CSharpGeneratorDriver"/> over in-memory spec files.</summary>
internal static class GeneratorDriverRunner
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var n && (n.StartsWith("System.", StringComparison.Ordinal) || n is "System.dll" or "netstandard.dll" or "mscorlib.dll"));
        return platform.Append(typeof(Runtime.FormatLayout).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    });

    /// <summary>The generator's diagnostics (including CS8785 if it threw) and the errors of compiling what it generated.</summary>
    public static (ImmutableArray<Diagnostic> GeneratorDiagnostics, ImmutableArray<Diagnostic> CompileErrors, int GeneratedFiles) Run(params (string Path, string Text)[] files)
    {
        var compilation = CSharpCompilation.Create(
            "FuzzedSpecs",
            [],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new HwSpecGenerator().AsSourceGenerator()],
            files.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text)),
            new CSharpParseOptions(LanguageVersion.Latest),
            new NamespaceOptions("Fuzzed.Hardware"));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var generated = driver.GetRunResult().Results.Sum(r => r.GeneratedSources.Length);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return (diagnostics, errors, generated);
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class NamespaceOptions(string rootNamespace) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options = new(rootNamespace);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options(string rootNamespace) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                var known = key == "build_property.HwSpecGenNamespace";
                value = known ? rootNamespace : string.Empty;
                return known;
            }
        }
    }
}
