using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>A command set as written.</summary>
/// <param name="Name">PascalCase name.</param>
/// <param name="Bits">Member size in bits.</param>
/// <param name="Discriminator">Discriminator segments, least significant first.</param>
/// <param name="Unknown">Architected error for an unknown opcode.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where confirmed.</param>
/// <param name="Span">Place in the file.</param>
public sealed record SetSpec(string Name, int Bits, EquatableArray<BitRange> Discriminator, string? Unknown, string? Doc, string? Source, SourceSpan Span);
