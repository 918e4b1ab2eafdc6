using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>A format after <c>extends</c> and checks: what the emitter needs, and nothing positional.</summary>
/// <param name="Name">Name.</param>
/// <param name="Bits">Size in bits.</param>
/// <param name="Set">Command set, if a member.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where confirmed.</param>
/// <param name="Fields">Fields.</param>
/// <param name="Reserved">Reserved ranges.</param>
/// <param name="Rules">Rules.</param>
/// <param name="Enums">The enums its fields use (copied so the format is self-contained).</param>
public sealed record ResolvedFormat(
    string Name,
    int Bits,
    string? Set,
    string? Doc,
    string? Source,
    EquatableArray<ResolvedField> Fields,
    EquatableArray<ResolvedReserved> Reserved,
    EquatableArray<ResolvedRule> Rules,
    EquatableArray<ResolvedEnum> Enums);
