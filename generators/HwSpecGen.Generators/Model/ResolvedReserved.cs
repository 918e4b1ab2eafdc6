namespace HwSpecGen.Generators.Model;

/// <summary>One reserved range after resolution.</summary>
/// <param name="Range">The bits.</param>
/// <param name="Rule">Must-be-zero or ignored.</param>
/// <param name="Doc">Documentation.</param>
public sealed record ResolvedReserved(BitRange Range, ReservedRule Rule, string? Doc);
