namespace HwSpecGen.Generators.Model;

/// <summary>A set member: format and discriminator value.</summary>
/// <param name="Format">Format name.</param>
/// <param name="Opcode">Discriminator value.</param>
public sealed record ResolvedSetMember(string Format, ulong Opcode);
