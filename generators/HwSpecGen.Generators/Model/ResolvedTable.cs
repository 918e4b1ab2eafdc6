namespace HwSpecGen.Generators.Model;

/// <summary>A table's geometry after resolution.</summary>
/// <param name="Name">Name.</param>
/// <param name="Entry">Entry format.</param>
/// <param name="EntryBytes">Entry size.</param>
/// <param name="Id">Indexing ID.</param>
/// <param name="Index">Bits of the ID.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where confirmed.</param>
public sealed record ResolvedTable(string Name, string Entry, int EntryBytes, string Id, BitRange Index, string? Doc, string? Source);
