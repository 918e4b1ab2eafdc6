using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>Everything one spec file contributes to the generated code: the unit of emission and caching.</summary>
/// <param name="HintName">Generated file name.</param>
/// <param name="Namespace">C# namespace.</param>
/// <param name="Vendor">Vendor key.</param>
/// <param name="SourcePath">The YAML path, for the header comment.</param>
/// <param name="Enums">Enums declared here.</param>
/// <param name="Sets">Sets declared here.</param>
/// <param name="Formats">Formats declared here.</param>
/// <param name="Tables">Tables declared here.</param>
public sealed record FileOutput(
    string HintName,
    string Namespace,
    string Vendor,
    string SourcePath,
    EquatableArray<ResolvedEnum> Enums,
    EquatableArray<ResolvedSet> Sets,
    EquatableArray<ResolvedFormat> Formats,
    EquatableArray<ResolvedTable> Tables);
