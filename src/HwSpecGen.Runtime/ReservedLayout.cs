namespace HwSpecGen.Runtime;

/// <summary>A reserved range of a format.</summary>
/// <param name="Segment">The bits.</param>
/// <param name="Rule">Must-be-zero or ignored.</param>
/// <param name="Doc">Documentation.</param>
public sealed record ReservedLayout(BitSegment Segment, ReservedRule Rule, string? Doc);
