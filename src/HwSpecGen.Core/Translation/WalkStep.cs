namespace HwSpecGen.Core.Translation;

/// <summary>One read of a table entry during a walk, for traces.</summary>
/// <param name="Stage">Stage being walked.</param>
/// <param name="Level">Level of the table.</param>
/// <param name="Address">Physical address the entry was read from.</param>
/// <param name="Format">The generated format that decoded it (vendor/Name).</param>
/// <param name="Decoded">The entry as the generated struct prints it.</param>
public sealed record WalkStep(TranslationStage Stage, int Level, ulong Address, string Format, string Decoded);
