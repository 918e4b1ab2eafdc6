namespace HwSpecGen.Core.Translation;

/// <summary>A failed translation: where it failed, why, and the vendor's architected name for it.</summary>
/// <param name="Stage">Which stage failed.</param>
/// <param name="Kind">Vendor-neutral class.</param>
/// <param name="Iova">The input address of the request.</param>
/// <param name="Pasid">The PASID/SSID of the request, if any.</param>
/// <param name="FaultAddress">For stage-2 faults during a stage-1 walk, the GPA/IPA that failed; otherwise the input address.</param>
/// <param name="Level">Table level where the walk stopped (0 = config).</param>
/// <param name="Code">The vendor's architected fault name, e.g. <c>F_TRANSLATION</c>, <c>SM_PTE_NOT_PRESENT</c>-style reason, <c>IO_PAGE_FAULT</c>.</param>
/// <param name="Detail">Text for people.</param>
public sealed record TranslationFault(TranslationStage Stage, FaultKind Kind, ulong Iova, uint? Pasid, ulong FaultAddress, int Level, string Code, string Detail);
