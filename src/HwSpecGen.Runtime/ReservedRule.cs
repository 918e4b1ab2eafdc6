namespace HwSpecGen.Runtime;

/// <summary>What hardware does with reserved bits.</summary>
public enum ReservedRule
{
    /// <summary>Must be zero: a set bit is a violation.</summary>
    MustBeZero,

    /// <summary>Ignored by hardware.</summary>
    Ignored,
}
