using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>A command set after resolution.</summary>
/// <param name="Name">Name.</param>
/// <param name="Bits">Member size.</param>
/// <param name="Discriminator">Discriminator segments, least significant first.</param>
/// <param name="Unknown">Architected error for unknown opcodes.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where confirmed.</param>
/// <param name="Members">Members sorted by opcode.</param>
public sealed record ResolvedSet(string Name, int Bits, EquatableArray<BitRange> Discriminator, string? Unknown, string? Doc, string? Source, EquatableArray<ResolvedSetMember> Members);
