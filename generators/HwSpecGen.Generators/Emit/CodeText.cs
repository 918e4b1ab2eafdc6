using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HwSpecGen.Generators.Helpers;
using HwSpecGen.Generators.Model;

namespace HwSpecGen.Generators.Emit;

/// <summary>Small pieces of C# text the templates put together (invariant culture throughout).</summary>
internal static class CodeText
{
    public static string Hex(ulong v) => "0x" + v.ToString("X", CultureInfo.InvariantCulture) + "UL";

    public static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    public static string Str(string? s)
    {
        if (s is null)
        {
            return "null";
        }

        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>XML doc text: escaped, one line.</summary>
    public static string Xml(string? s) =>
        (s ?? string.Empty).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\r", " ").Replace("\n", " ").Trim();

    public static IReadOnlyList<Piece> Pieces(EquatableArray<BitRange> segments)
    {
        var list = new List<Piece>();
        var valueShift = 0;
        foreach (var s in segments)
        {
            var lo = s.Lo;
            while (lo <= s.Hi)
            {
                var word = lo / 64;
                var top = System.Math.Min(s.Hi, (word * 64) + 63);
                var width = top - lo + 1;
                list.Add(new Piece(word, lo % 64, width, valueShift));
                valueShift += width;
                lo = top + 1;
            }
        }

        return list;
    }

    /// <summary>C# that reads the raw value of the pieces from fields <c>_w0…</c>.</summary>
    public static string RawRead(IReadOnlyList<Piece> pieces)
    {
        var parts = pieces.Select(p =>
        {
            var w = "_w" + Int(p.Word);
            if (p.ValueShift > 0 && p.Width < 64)
            {
                // ((w >> Shift) & Mask) << ValueShift in two operations: mask in place, then one shift.
                return p.ValueShift >= p.Shift
                    ? (p.ValueShift == p.Shift ? $"({w} & {Hex(p.WordMask)})" : $"(({w} & {Hex(p.WordMask)}) << {Int(p.ValueShift - p.Shift)})")
                    : $"(({w} >> {Int(p.Shift - p.ValueShift)}) & {Hex(p.Mask << p.ValueShift)})";
            }

            var shifted = p.Shift == 0 ? w : $"({w} >> {Int(p.Shift)})";
            var masked = p.Width >= 64 ? shifted : $"({shifted} & {Hex(p.Mask)})";
            return p.ValueShift == 0 ? masked : $"({masked} << {Int(p.ValueShift)})";
        }).ToList();
        return parts.Count == 1 ? parts[0] : "(" + string.Join(" | ", parts) + ")";
    }

    /// <summary>The bits as written in a spec, most significant segment first.</summary>
    public static string BitsText(EquatableArray<BitRange> segments) => string.Join(",", segments.Reverse().Select(s => s.ToString()));
}
