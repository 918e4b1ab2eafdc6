namespace HwSpecGen.Generators.Model;

/// <summary>Table geometry as written.</summary>
/// <param name="Name">PascalCase name.</param>
/// <param name="Entry">Entry format name.</param>
/// <param name="Id">Name of the indexing ID.</param>
/// <param name="Index">Bits of the ID that form the index.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where confirmed.</param>
/// <param name="Span">Place in the file.</param>
/// <param name="EntrySpan">Place of the entry reference.</param>
public sealed record TableSpec(string Name, string Entry, string Id, BitRange Index, string? Doc, string? Source, SourceSpan Span, SourceSpan EntrySpan);
