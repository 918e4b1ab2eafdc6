namespace HwSpecGen.Runtime;

/// <summary>One member of a command set.</summary>
/// <param name="Opcode">Its discriminator value.</param>
/// <param name="Format">Its format.</param>
public sealed record CommandSetMember(ulong Opcode, FormatDescriptor Format);
