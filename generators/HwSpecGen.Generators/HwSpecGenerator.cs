using System;
using System.IO;
using HwSpecGen.Generators.Emit;
using HwSpecGen.Generators.Model;
using HwSpecGen.Generators.Parsing;
using HwSpecGen.Generators.Resolution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace HwSpecGen.Generators;

/// <summary>
/// Reads hardware-format specs (YAML AdditionalFiles) and emits bitfield structs, command-set dispatchers,
/// table geometry and a registry. Parse per file → compile all together → one output per file; diagnostics
/// travel apart from the code so that moving an error does not re-emit code.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class HwSpecGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.AdditionalTextsProvider
            .Where(static t => SpecFiles.IsSpec(t.Path))
            .Select(static (t, ct) => SpecParser.Parse(t.Path, t.GetText(ct)?.ToString()))
            .WithTrackingName(TrackingNames.Parse);

        var rootNamespace = context.AnalyzerConfigOptionsProvider
            .Select(static (o, _) =>
                o.GlobalOptions.TryGetValue("build_property.HwSpecGenNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns) ? ns.Trim()
                : o.GlobalOptions.TryGetValue("build_property.RootNamespace", out var root) && !string.IsNullOrWhiteSpace(root) ? root.Trim()
                : SpecFiles.DefaultNamespace)
            .WithTrackingName(TrackingNames.RootNamespace);

        var compiled = parsed.Collect()
            .Combine(rootNamespace)
            .Select(static (x, _) => SpecCompiler.Compile(x.Left, x.Right))
            .WithTrackingName(TrackingNames.Compile);

        var outputs = compiled.SelectMany(static (c, _) => c.Outputs).WithTrackingName(TrackingNames.Outputs);
        var diagnostics = compiled.Select(static (c, _) => c.Diagnostics).WithTrackingName(TrackingNames.Diagnostics);
        var registry = compiled.Select(static (c, _) => c.Registry).Combine(rootNamespace).WithTrackingName(TrackingNames.Registry);

        context.RegisterSourceOutput(outputs, static (spc, output) => spc.AddSource(output.HintName, SourceText.From(FileEmitter.Emit(output), System.Text.Encoding.UTF8)));
        context.RegisterSourceOutput(diagnostics, static (spc, list) =>
        {
            foreach (var d in list)
            {
                spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.For(d.Id), ToLocation(d.Span), d.Message));
            }
        });
        context.RegisterSourceOutput(registry, static (spc, x) => spc.AddSource("FormatRegistry.g.cs", SourceText.From(FileEmitter.EmitRegistry(x.Right, x.Left), System.Text.Encoding.UTF8)));
    }

    private static Location ToLocation(SourceSpan? span) =>
        span is null
            ? Location.None
            : Location.Create(span.Path, new TextSpan(span.Start, Math.Max(0, span.End - span.Start)), new LinePositionSpan(new LinePosition(span.Line, span.Column), new LinePosition(span.EndLine, span.EndColumn)));
}
