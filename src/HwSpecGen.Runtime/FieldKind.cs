namespace HwSpecGen.Runtime;

/// <summary>How a field's raw bits are interpreted.</summary>
public enum FieldKind
{
    /// <summary>Unsigned number.</summary>
    Unsigned,

    /// <summary>One bit, a boolean.</summary>
    Flag,

    /// <summary>A named value of an enum.</summary>
    Enum,

    /// <summary>An address whose low <see cref="FieldLayout.Shift"/> bits are implied zero.</summary>
    Address,

    /// <summary>Two's-complement signed number.</summary>
    Signed,
}
