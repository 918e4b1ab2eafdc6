namespace HwSpecGen.Generators.Model;

/// <summary>How a field's raw bits are interpreted.</summary>
public enum FieldKind
{
    /// <summary>Unsigned number.</summary>
    Unsigned,

    /// <summary>One bit, a boolean.</summary>
    Flag,

    /// <summary>A named value from an enum.</summary>
    Enum,

    /// <summary>An address with implied low zero bits.</summary>
    Address,

    /// <summary>Two's-complement signed number.</summary>
    Signed,
}
