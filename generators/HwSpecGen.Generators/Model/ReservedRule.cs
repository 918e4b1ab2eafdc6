namespace HwSpecGen.Generators.Model;

/// <summary>What hardware does with a reserved bit.</summary>
public enum ReservedRule
{
    /// <summary>Must be zero; a set bit is a violation.</summary>
    MustBeZero,

    /// <summary>Ignored by hardware.</summary>
    Ignored,
}
