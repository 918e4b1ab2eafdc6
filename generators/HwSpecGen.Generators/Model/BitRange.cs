using System;

namespace HwSpecGen.Generators.Model;

/// <summary>An inclusive absolute bit range <c>hi:lo</c>.</summary>
/// <param name="Hi">The most significant bit.</param>
/// <param name="Lo">The least significant bit.</param>
public sealed record BitRange(int Hi, int Lo)
{
    /// <summary>Number of bits.</summary>
    public int Width => Hi - Lo + 1;

    /// <summary>Formats as <c>hi:lo</c> or <c>n</c>.</summary>
    public override string ToString() => Hi == Lo ? Hi.ToString(System.Globalization.CultureInfo.InvariantCulture) : FormattableString.Invariant($"{Hi}:{Lo}");
}
