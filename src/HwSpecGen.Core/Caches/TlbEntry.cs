using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Caches;

/// <summary>A cached translation of one page.</summary>
/// <param name="OutputBase">Output (host physical) page base.</param>
/// <param name="PageShift">log2 of the page size.</param>
/// <param name="Permissions">Allowed accesses.</param>
public readonly record struct TlbEntry(ulong OutputBase, int PageShift, Access Permissions);
