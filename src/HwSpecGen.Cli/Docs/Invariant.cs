using System.Globalization;

namespace HwSpecGen.Cli.Docs;

/// <summary>Culture-invariant number formatting for generated documents.</summary>
public static class Invariant
{
    /// <summary>Decimal text of <paramref name="value"/>.</summary>
    public static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Text of <paramref name="value"/> with at most two decimals (SVG coordinates).</summary>
    public static string Num(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary><c>0x…</c> upper-case hex of <paramref name="value"/>.</summary>
    public static string Hex(ulong value) => "0x" + value.ToString("X", CultureInfo.InvariantCulture);
}
