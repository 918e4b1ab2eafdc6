using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Output;

/// <summary>Draws a format's layout for people: a bit map per 64-bit word and a field table.</summary>
public static class LayoutText
{
    /// <summary>The layout as text.</summary>
    public static string Render(FormatLayout layout)
    {
        var sb = new StringBuilder();
        sb.Append(layout.FullName).Append(" — ").Append(layout.Bits).Append(" bits");
        if (layout.Set is not null)
        {
            sb.Append(", member of set ").Append(layout.Set);
        }

        sb.AppendLine();
        if (layout.Doc is not null)
        {
            sb.AppendLine(layout.Doc);
        }

        if (layout.Source is not null)
        {
            sb.Append("source: ").AppendLine(layout.Source);
        }

        sb.AppendLine();
        foreach (var line in BitMap(layout))
        {
            sb.AppendLine(line);
        }

        sb.AppendLine();
        var rows = new List<string[]> { new[] { "bits", "field", "kind", "notes" } };
        foreach (var item in Items(layout).OrderByDescending(i => i.Msb))
        {
            rows.Add(new[] { item.Bits, item.Name, item.Kind, item.Notes });
        }

        var widths = Enumerable.Range(0, 3).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var r in rows)
        {
            sb.Append(r[0].PadRight(widths[0] + 2)).Append(r[1].PadRight(widths[1] + 2)).Append(r[2].PadRight(widths[2] + 2)).AppendLine(r[3].TrimEnd());
        }

        if (layout.Rules.Length > 0)
        {
            sb.AppendLine().AppendLine("rules:");
            foreach (var rule in layout.Rules)
            {
                sb.Append("  ").Append(rule.Name).Append(": ").Append(rule.When is null ? string.Empty : rule.When + " ⇒ ").Append(rule.Require);
                sb.AppendLine(rule.Error is null ? string.Empty : $"  [{rule.Error}]");
            }
        }

        return sb.ToString();
    }

    /// <summary>One line per 64-bit word: <c>w0  [63:60 Opcode][59:52 rsvd0]…</c>, most significant first.</summary>
    public static IEnumerable<string> BitMap(FormatLayout layout)
    {
        var owner = new string[layout.Bits];
        foreach (var f in layout.Fields)
        {
            for (var s = 0; s < f.Segments.Length; s++)
            {
                var seg = f.Segments[s];
                var label = f.Segments.Length > 1 ? $"{f.Name}#{s}" : f.Name;
                for (var b = seg.Lsb; b <= seg.Msb; b++)
                {
                    owner[b] = label;
                }
            }
        }

        foreach (var r in layout.Reserved)
        {
            for (var b = r.Segment.Lsb; b <= r.Segment.Msb; b++)
            {
                owner[b] = r.Rule == ReservedRule.MustBeZero ? "rsvd0" : "ign";
            }
        }

        for (var w = layout.WordCount - 1; w >= 0; w--)
        {
            var sb = new StringBuilder();
            sb.Append('w').Append(w.ToString(CultureInfo.InvariantCulture)).Append("  ");
            var top = Math.Min(layout.Bits, (w + 1) * 64) - 1;
            var b = top;
            while (b >= w * 64)
            {
                var name = owner[b] ?? "?";
                var lo = b;
                while (lo - 1 >= w * 64 && owner[lo - 1] == owner[b])
                {
                    lo--;
                }

                sb.Append('[').Append(b == lo ? b.ToString(CultureInfo.InvariantCulture) : $"{b}:{lo}").Append(' ').Append(name).Append(']');
                b = lo - 1;
            }

            yield return sb.ToString();
        }
    }

    private static IEnumerable<(int Msb, string Bits, string Name, string Kind, string Notes)> Items(FormatLayout layout)
    {
        foreach (var f in layout.Fields)
        {
            var kind = f.Kind switch
            {
                FieldKind.Address => $"address<<{f.Shift}",
                FieldKind.Enum => $"enum {f.EnumName}",
                FieldKind.Flag => "flag",
                FieldKind.Signed => "signed",
                _ => "uint",
            };
            var notes = new List<string>();
            if (f.ConstValue is { } c)
            {
                notes.Add($"= 0x{c:X}");
            }

            if (f.Doc is not null)
            {
                notes.Add(f.Doc);
            }

            if (f.Kind == FieldKind.Enum)
            {
                notes.Add("{" + string.Join(", ", f.EnumMembers.Select(m => $"{m.Name}=0x{m.Value:X}")) + "}");
            }

            yield return (f.Segments.Max(s => s.Msb), f.BitsText, f.Name, kind, string.Join("; ", notes));
        }

        foreach (var r in layout.Reserved)
        {
            yield return (r.Segment.Msb, r.Segment.ToString(), "(reserved)", r.Rule == ReservedRule.MustBeZero ? "must-be-zero" : "ignored", r.Doc ?? string.Empty);
        }
    }
}
