using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>The result of compiling all spec files together.</summary>
/// <param name="Outputs">One output per file that compiled.</param>
/// <param name="Registry">Every emitted format, set and table.</param>
/// <param name="Diagnostics">All diagnostics, parse and semantic.</param>
public sealed record CompileResult(EquatableArray<FileOutput> Outputs, EquatableArray<RegistryEntry> Registry, EquatableArray<DiagnosticInfo> Diagnostics);
