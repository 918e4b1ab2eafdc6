namespace HwSpecGen.Cli.Input;

/// <summary>One entry read from a queue, table or debugfs dump, ready to decode.</summary>
/// <param name="Label">Where it was: <c>[5] @0x50</c>, a PCI address, …</param>
/// <param name="Format">Format or command-set name to decode it as (<c>vendor/Name</c>), or null to show the raw words only.</param>
/// <param name="Bytes">The entry's bytes in memory order.</param>
/// <param name="Annotation">What the dump says about it (head, tail, pending, descriptor status), or null.</param>
public sealed record DumpEntry(string Label, string? Format, byte[] Bytes, string? Annotation)
{
    /// <summary>Whether every byte is zero (an unused slot).</summary>
    public bool IsZero => System.Array.TrueForAll(Bytes, b => b == 0);
}
