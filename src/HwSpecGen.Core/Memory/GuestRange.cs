namespace HwSpecGen.Core.Memory;

/// <summary>A range of guest RAM: [Gpa, +Length) lives at host physical [Hpa, +Length).</summary>
/// <param name="Gpa">Guest physical start.</param>
/// <param name="Hpa">Host physical start.</param>
/// <param name="Length">Bytes.</param>
public sealed record GuestRange(ulong Gpa, ulong Hpa, ulong Length);
