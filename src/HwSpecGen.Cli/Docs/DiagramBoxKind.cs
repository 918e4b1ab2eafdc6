namespace HwSpecGen.Cli.Docs;

/// <summary>What a box of a bitfield diagram stands for.</summary>
public enum DiagramBoxKind
{
    /// <summary>A piece of a field.</summary>
    Field,

    /// <summary>Reserved bits that must be zero.</summary>
    MustBeZero,

    /// <summary>Reserved bits hardware ignores.</summary>
    Ignored,

    /// <summary>Bits no field or reserved range claims (the generator rejects these; drawn so a bad layout shows).</summary>
    Unclaimed,
}
