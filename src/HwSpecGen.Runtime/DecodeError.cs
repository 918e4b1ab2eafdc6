namespace HwSpecGen.Runtime;

/// <summary>Why bytes could not be decoded as a format.</summary>
public enum DecodeError
{
    /// <summary>Decoded.</summary>
    None = 0,

    /// <summary>Fewer bytes than the format's size.</summary>
    TooShort,

    /// <summary>A constant field (opcode, type code) holds another value.</summary>
    ConstantMismatch,

    /// <summary>A command set's discriminator names no known member.</summary>
    UnknownOpcode,
}
