using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace HwSpecGen.Generators;

/// <summary>Roslyn descriptors for the HSG ids, made on demand.</summary>
internal static class DiagnosticDescriptors
{
    private static readonly ConcurrentDictionary<string, DiagnosticDescriptor> Cache = new();

    public static DiagnosticDescriptor For(string id) => Cache.GetOrAdd(id, i => new DiagnosticDescriptor(
        i,
        "HwSpecGen spec error",
        "{0}",
        "HwSpecGen",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: "docs/spec-language.md#diagnostics"));
}
