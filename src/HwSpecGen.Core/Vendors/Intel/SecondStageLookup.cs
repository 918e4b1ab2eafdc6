using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>The result of walking a second-stage table for one address.</summary>
/// <param name="Status">How the walk ended.</param>
/// <param name="Level">The level where it ended (4 = SS-PML4 … 1 = SS-PTE).</param>
/// <param name="Hpa">The host physical address of the requested byte (when mapped).</param>
/// <param name="PageShift">log2 of the leaf's page size (when mapped).</param>
/// <param name="Permissions">What the leaf allows (when mapped).</param>
internal readonly record struct SecondStageLookup(SecondStageStatus Status, int Level, ulong Hpa, int PageShift, Access Permissions);
