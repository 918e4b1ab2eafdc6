using System.Collections.Immutable;

namespace HwSpecGen.Cli.Input;

/// <summary>A group of dump entries with a heading: one queue or table of one IOMMU, or one file.</summary>
/// <param name="Title">Heading, e.g. <c>Invalidation queue on IOMMU dmar0</c>.</param>
/// <param name="Notes">Lines about the whole block (base address, head and tail, skipped lines).</param>
/// <param name="Entries">Entries in dump order.</param>
public sealed record DumpBlock(string Title, ImmutableArray<string> Notes, ImmutableArray<DumpEntry> Entries);
