using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace HwSpecGen.Cli.Docs;

/// <summary>
/// Draws a <see cref="BitfieldDiagram"/> as a standalone SVG in the style of hardware register diagrams: bit numbers
/// above each row, one outlined box per field piece with its name, reserved bits hatched, row labels (DWn / QWn and the
/// byte offset) on the left. Every box carries <c>data-kind</c>, <c>data-bits</c> and (fields) <c>data-field</c>, and a
/// tooltip with the field's kind and description.
/// </summary>
public static class BitfieldSvg
{
    private const double Left = 84;
    private const double Right = 14;
    private const double Top = 8;
    private const double NumberBand = 15;
    private const double MinBoxHeight = 44;
    private const double MaxBoxHeight = 150;
    private const double RowGap = 12;
    private const string Font = "'Segoe UI', 'Helvetica Neue', Helvetica, Arial, sans-serif";

    /// <summary>Width of one bit cell for a row of <paramref name="rowBits"/> bits.</summary>
    public static double CellWidth(int rowBits) => rowBits <= 32 ? 34 : 17;

    /// <summary>Renders the diagram of a format.</summary>
    /// <param name="diagram">The laid-out diagram.</param>
    /// <returns>The SVG document (no XML declaration, so it can also be inlined in HTML).</returns>
    public static string Render(BitfieldDiagram diagram)
    {
        var layout = diagram.Layout;
        var cw = CellWidth(diagram.RowBits);
        var width = Left + (diagram.RowBits * cw) + Right;
        var id = "hs-" + DatasheetText.Anchor(layout.FullName);
        var rows = diagram.Rows.Select(r => (Row: r, Plan: r.Boxes.Select(b => Plan(b, cw)).ToList())).ToList();
        var heights = rows.Select(r => Math.Clamp(r.Plan.Where(p => p.Mode == LabelMode.Vertical).Select(p => p.Needed).DefaultIfEmpty(0).Max(), MinBoxHeight, MaxBoxHeight)).ToList();
        var height = Top + heights.Sum(h => NumberBand + h + RowGap) + 4;

        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bitfield\" role=\"img\"")
            .Append(" width=\"").Append(Invariant.Num(width)).Append("\" height=\"").Append(Invariant.Num(height)).Append('"')
            .Append(" viewBox=\"0 0 ").Append(Invariant.Num(width)).Append(' ').Append(Invariant.Num(height)).Append('"')
            .Append(" data-format=\"").Append(DatasheetText.Xml(layout.FullName)).Append('"')
            .Append(" data-row-bits=\"").Append(Invariant.Str(diagram.RowBits)).Append("\">\n");
        sb.Append("  <title>").Append(DatasheetText.Xml($"{layout.FullName}: {layout.Bits}-bit layout")).Append("</title>\n");
        sb.Append("  <defs>\n");
        sb.Append("    <pattern id=\"").Append(id).Append("-mbz\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
            .Append("<rect width=\"6\" height=\"6\" fill=\"#e5e7eb\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#9ca3af\" stroke-width=\"2\"/></pattern>\n");
        sb.Append("    <pattern id=\"").Append(id).Append("-ign\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">")
            .Append("<rect width=\"6\" height=\"6\" fill=\"#f3f4f6\"/><circle cx=\"3\" cy=\"3\" r=\"0.9\" fill=\"#9ca3af\"/></pattern>\n");
        sb.Append("  </defs>\n");
        sb.Append("  <g font-family=\"").Append(Font).Append("\" fill=\"#111827\">\n");

        var y = Top;
        for (var ri = 0; ri < rows.Count; ri++)
        {
            var (row, plan) = rows[ri];
            var h = heights[ri];
            var boxTop = y + NumberBand;
            RowLabel(sb, diagram.RowBits, row, boxTop, h);
            var rowTop = Math.Min(layout.Bits, (row.First + 1) * diagram.RowBits) - 1;
            if (!row.Collapsed && cw >= 24)
            {
                for (var b = row.First * diagram.RowBits; b <= rowTop; b++)
                {
                    var x = Left + ((rowTop - b) * cw) + (cw / 2);
                    sb.Append("    <text x=\"").Append(Invariant.Num(x)).Append("\" y=\"").Append(Invariant.Num(boxTop - 4))
                        .Append("\" font-size=\"9\" fill=\"#4b5563\" text-anchor=\"middle\">").Append(Invariant.Str(b)).Append("</text>\n");
                }
            }

            var lastRight = double.NegativeInfinity;
            for (var bi = 0; bi < row.Boxes.Length; bi++)
            {
                var box = row.Boxes[bi];
                double x0, w;
                if (row.Collapsed)
                {
                    x0 = Left;
                    w = diagram.RowBits * cw;
                }
                else
                {
                    x0 = Left + ((rowTop - box.Msb) * cw);
                    w = box.Width * cw;
                }

                if (row.Collapsed || cw < 24)
                {
                    EdgeNumbers(sb, box, x0, w, boxTop, ref lastRight);
                }

                Box(sb, id, box, plan[bi], x0, boxTop, w, h, row.Collapsed ? 0 : cw, row.Collapsed);
            }

            y += NumberBand + h + RowGap;
        }

        sb.Append("  </g>\n</svg>\n");
        return sb.ToString();
    }

    private static void RowLabel(StringBuilder sb, int rowBits, DiagramRow row, double boxTop, double h)
    {
        var prefix = rowBits == 64 ? "QW" : "DW";
        var name = row.Collapsed ? $"{prefix}{row.First}–{row.Last}" : $"{prefix}{row.First}";
        var offset = "+0x" + (row.First * rowBits / 8).ToString("X2", System.Globalization.CultureInfo.InvariantCulture);
        var cy = boxTop + (h / 2);
        sb.Append("    <text x=\"").Append(Invariant.Num(Left - 10)).Append("\" y=\"").Append(Invariant.Num(cy - 2))
            .Append("\" font-size=\"12\" font-weight=\"600\" text-anchor=\"end\">").Append(name).Append("</text>\n");
        sb.Append("    <text x=\"").Append(Invariant.Num(Left - 10)).Append("\" y=\"").Append(Invariant.Num(cy + 12))
            .Append("\" font-size=\"10\" fill=\"#6b7280\" text-anchor=\"end\">").Append(offset).Append("</text>\n");
    }

    private static void EdgeNumbers(StringBuilder sb, DiagramBox box, double x0, double w, double boxTop, ref double lastRight)
    {
        // Numbers at the box edges (msb left, lsb right), skipping any that would touch the previous one.
        var numbers = box.Width == 1
            ? new[] { (Text: Invariant.Str(box.Msb), Center: x0 + (w / 2)) }
            : new[] { (Text: Invariant.Str(box.Msb), Center: x0 + 2 + (Estimate(Invariant.Str(box.Msb), 9) / 2)), (Text: Invariant.Str(box.Lsb), Center: x0 + w - 2 - (Estimate(Invariant.Str(box.Lsb), 9) / 2)) };
        foreach (var (text, center) in numbers)
        {
            var half = Estimate(text, 9) / 2;
            if (center - half < lastRight + 3)
            {
                continue;
            }

            sb.Append("    <text x=\"").Append(Invariant.Num(center)).Append("\" y=\"").Append(Invariant.Num(boxTop - 4))
                .Append("\" font-size=\"9\" fill=\"#4b5563\" text-anchor=\"middle\">").Append(text).Append("</text>\n");
            lastRight = center + half;
        }
    }

    private static void Box(StringBuilder sb, string id, DiagramBox box, LabelPlan plan, double x, double y, double w, double h, double cw, bool collapsed)
    {
        var fill = box.Kind switch
        {
            DiagramBoxKind.MustBeZero => $"url(#{id}-mbz)",
            DiagramBoxKind.Ignored => $"url(#{id}-ign)",
            DiagramBoxKind.Unclaimed => "#fecaca",
            _ => box.Detail is null ? "#ffffff" : "#fef3c7",
        };
        var kind = box.Kind switch
        {
            DiagramBoxKind.MustBeZero => "reserved",
            DiagramBoxKind.Ignored => "ignored",
            DiagramBoxKind.Unclaimed => "unclaimed",
            _ => "field",
        };
        sb.Append("    <g class=\"").Append(kind).Append("\">\n");
        sb.Append("      <title>").Append(DatasheetText.Xml(box.Tooltip)).Append("</title>\n");
        sb.Append("      <rect x=\"").Append(Invariant.Num(x)).Append("\" y=\"").Append(Invariant.Num(y))
            .Append("\" width=\"").Append(Invariant.Num(w)).Append("\" height=\"").Append(Invariant.Num(h))
            .Append("\" fill=\"").Append(fill).Append("\" stroke=\"#1f2937\" stroke-width=\"1.2\"")
            .Append(" data-kind=\"").Append(kind).Append("\" data-bits=\"").Append(box.BitsText).Append('"');
        if (box.FieldName is not null)
        {
            sb.Append(" data-field=\"").Append(DatasheetText.Xml(box.FieldName)).Append('"');
        }

        sb.Append(" data-label=\"").Append(DatasheetText.Xml(box.Label)).Append("\"/>\n");

        if (cw > 0 && box.Width > 1)
        {
            var ticks = new StringBuilder();
            for (var i = 1; i < box.Width; i++)
            {
                var tx = Invariant.Num(x + (i * cw));
                ticks.Append('M').Append(tx).Append(' ').Append(Invariant.Num(y)).Append("v4");
                ticks.Append('M').Append(tx).Append(' ').Append(Invariant.Num(y + h)).Append("v-4");
            }

            sb.Append("      <path d=\"").Append(ticks).Append("\" stroke=\"#1f2937\" stroke-width=\"0.8\" fill=\"none\"/>\n");
        }

        var cx = x + (w / 2);
        var cy = y + (h / 2);
        var label = collapsed ? $"{box.Label} (bits {box.BitsText})" : box.Label;
        var color = box.Kind == DiagramBoxKind.Field ? "#111827" : "#374151";
        var style = box.Kind == DiagramBoxKind.Field ? string.Empty : " font-style=\"italic\"";
        switch (plan.Mode)
        {
            case LabelMode.Horizontal:
                var showDetail = box.Detail is not null && Estimate(box.Detail, 10) <= w - 6;
                var ly = showDetail ? cy - 3 : cy + (plan.FontSize * 0.35);
                Text(sb, cx, ly, plan.FontSize, color, style, label, null);
                if (showDetail)
                {
                    Text(sb, cx, cy + 12, 10, "#92400e", string.Empty, box.Detail!, null);
                }

                break;
            case LabelMode.TwoLines:
                Text(sb, cx, cy - 2, plan.FontSize, color, style, plan.Lines[0], null);
                Text(sb, cx, cy + 10, plan.FontSize, color, style, plan.Lines[1], null);
                break;
            default:
                var room = h - 8;
                var text = Fit(label, plan.FontSize, room);
                Text(sb, cx + (plan.FontSize * 0.35), cy, plan.FontSize, color, style, text, $"rotate(-90 {Invariant.Num(cx + (plan.FontSize * 0.35))} {Invariant.Num(cy)})");
                break;
        }

        sb.Append("    </g>\n");
    }

    private static void Text(StringBuilder sb, double x, double y, double size, string color, string style, string text, string? transform)
    {
        sb.Append("      <text x=\"").Append(Invariant.Num(x)).Append("\" y=\"").Append(Invariant.Num(y))
            .Append("\" font-size=\"").Append(Invariant.Num(size)).Append("\" fill=\"").Append(color).Append('"').Append(style)
            .Append(" text-anchor=\"middle\"");
        if (transform is not null)
        {
            sb.Append(" transform=\"").Append(transform).Append('"');
        }

        sb.Append('>').Append(DatasheetText.Xml(text)).Append("</text>\n");
    }

    /// <summary>Estimated width of <paramref name="text"/> at <paramref name="size"/> px in a proportional sans font (generous, so labels do not touch the box edges).</summary>
    public static double Estimate(string text, double size)
    {
        double units = 0;
        foreach (var c in text)
        {
            units += c switch
            {
                'i' or 'l' or 'j' or 'I' or '.' or ',' or ':' or '[' or ']' or '(' or ')' or '1' or 'f' or 't' or 'r' or ' ' => 0.36,
                'm' or 'w' or 'M' or 'W' => 0.9,
                >= 'A' and <= 'Z' => 0.7,
                _ => 0.58,
            };
        }

        return units * size;
    }

    private static string Fit(string text, double size, double room)
    {
        if (Estimate(text, size) <= room)
        {
            return text;
        }

        var t = text;
        while (t.Length > 1 && Estimate(t + "…", size) > room)
        {
            t = t[..^1];
        }

        return t + "…";
    }

    private static LabelPlan Plan(DiagramBox box, double cw)
    {
        var label = box.Label;
        var w = cw == 0 ? 1e9 : box.Width * cw;
        if (Estimate(label, 12) <= w - 8)
        {
            return new LabelPlan(LabelMode.Horizontal, 12, [], 0);
        }

        if (Estimate(label, 10) <= w - 6)
        {
            return new LabelPlan(LabelMode.Horizontal, 10, [], 0);
        }

        var split = SplitCamel(label);
        if (split is { } lines && Estimate(lines[0], 10) <= w - 6 && Estimate(lines[1], 10) <= w - 6)
        {
            return new LabelPlan(LabelMode.TwoLines, 10, lines, 0);
        }

        return new LabelPlan(LabelMode.Vertical, 10, [], Estimate(label, 10) + 12);
    }

    private static string[]? SplitCamel(string label)
    {
        var best = -1;
        var bestScore = int.MaxValue;
        for (var i = 1; i < label.Length; i++)
        {
            if ((char.IsUpper(label[i]) && !char.IsUpper(label[i - 1])) || label[i] == '[')
            {
                var score = Math.Abs(label.Length - (2 * i));
                if (score < bestScore)
                {
                    best = i;
                    bestScore = score;
                }
            }
        }

        return best < 0 ? null : [label[..best], label[best..]];
    }
}
