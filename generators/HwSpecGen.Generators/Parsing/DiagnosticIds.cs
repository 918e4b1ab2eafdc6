namespace HwSpecGen.Generators.Parsing;

/// <summary>The HSG diagnostic ids (see docs/spec-language.md).</summary>
public static class DiagnosticIds
{
    /// <summary>YAML syntax error.</summary>
    public const string YamlSyntax = "HSG0001";

    /// <summary>Required key missing.</summary>
    public const string MissingKey = "HSG0002";

    /// <summary>Unknown key.</summary>
    public const string UnknownKey = "HSG0003";

    /// <summary>Wrong type or out of range.</summary>
    public const string BadValue = "HSG0004";

    /// <summary>Malformed bit range.</summary>
    public const string BadRange = "HSG0005";

    /// <summary>Bit past the format's size.</summary>
    public const string PastEnd = "HSG0006";

    /// <summary>Bits claimed twice.</summary>
    public const string Overlap = "HSG0007";

    /// <summary>Bits not claimed.</summary>
    public const string Gap = "HSG0008";

    /// <summary>Duplicate name.</summary>
    public const string Duplicate = "HSG0009";

    /// <summary>Opcode used twice.</summary>
    public const string DuplicateOpcode = "HSG0010";

    /// <summary>Unknown reference.</summary>
    public const string UnknownReference = "HSG0011";

    /// <summary>Cycle in extends.</summary>
    public const string Cycle = "HSG0012";

    /// <summary>Value does not fit.</summary>
    public const string DoesNotFit = "HSG0013";

    /// <summary>Bad rule expression.</summary>
    public const string BadExpression = "HSG0014";

    /// <summary>Set member mismatch.</summary>
    public const string SetMismatch = "HSG0015";

    /// <summary>Invalid format width.</summary>
    public const string BadWidth = "HSG0016";

    /// <summary>Field value wider than 64 bits.</summary>
    public const string TooWide = "HSG0021";

    /// <summary>Internal error.</summary>
    public const string Internal = "HSG0099";
}
