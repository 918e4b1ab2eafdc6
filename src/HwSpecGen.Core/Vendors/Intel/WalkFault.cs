using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>Why a VT-d walk stopped: the architected reason, the stage it is attributed to, where.</summary>
/// <param name="Reason">The fault reason (FRCD.FR).</param>
/// <param name="Stage">Who hears about it: configuration and stage 2 → the host, stage 1 → the guest.</param>
/// <param name="Kind">Vendor-neutral class.</param>
/// <param name="Level">Table level (0 = configuration).</param>
/// <param name="Address">The address that failed (a GPA for stage-2 faults during a nested walk).</param>
internal readonly record struct WalkFault(FaultReason Reason, TranslationStage Stage, FaultKind Kind, int Level, ulong Address);
