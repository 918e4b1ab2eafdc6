namespace HwSpecGen.Runtime;

/// <summary>Geometry of an in-memory table: which bits of an ID select an entry of which format.</summary>
/// <param name="Vendor">Vendor key.</param>
/// <param name="Name">Table name.</param>
/// <param name="Entry">Entry format name.</param>
/// <param name="EntryBytes">Entry size in bytes.</param>
/// <param name="Id">Name of the indexing ID.</param>
/// <param name="Index">Bits of the ID forming the index.</param>
/// <param name="Doc">Documentation.</param>
public sealed record TableLayout(string Vendor, string Name, string Entry, int EntryBytes, string Id, BitSegment Index, string? Doc);
