using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Output;

/// <summary>What differs between two encodings of one format: fields by value, reserved ranges by raw bits, and validity.</summary>
public sealed class FormatDiff
{
    private FormatDiff(DecodedValue a, DecodedValue b, IReadOnlyList<FieldDifference> differences)
    {
        A = a;
        B = b;
        Differences = differences;
    }

    /// <summary>The first encoding.</summary>
    public DecodedValue A { get; }

    /// <summary>The second encoding.</summary>
    public DecodedValue B { get; }

    /// <summary>Fields, then reserved ranges, that differ, most significant first.</summary>
    public IReadOnlyList<FieldDifference> Differences { get; }

    /// <summary>Whether the two encodings are the same format with the same bits.</summary>
    public bool Identical => Differences.Count == 0 && A.Format.FullName == B.Format.FullName;

    /// <summary>Compares two decoded values of the same format (command-set members may differ: then only that is reported).</summary>
    public static FormatDiff Compare(DecodedValue a, DecodedValue b)
    {
        var differences = new List<FieldDifference>();
        if (a.Format.FullName != b.Format.FullName)
        {
            return new FormatDiff(a, b, differences);
        }

        var layout = a.Format.Layout;
        foreach (var f in layout.Fields.OrderByDescending(f => f.Segments.Max(s => s.Msb)))
        {
            var ra = f.ExtractRaw(a.Words);
            var rb = f.ExtractRaw(b.Words);
            if (ra != rb)
            {
                differences.Add(new FieldDifference(f.BitsText, f.Name, DecodedValue.Show(f, ra, f.RawToValue(ra)), DecodedValue.Show(f, rb, f.RawToValue(rb)), false));
            }
        }

        foreach (var r in layout.Reserved.OrderByDescending(r => r.Segment.Msb))
        {
            var xa = r.Segment.Width <= 64 ? r.Segment.Extract(a.Words) : 0;
            var xb = r.Segment.Width <= 64 ? r.Segment.Extract(b.Words) : 0;
            if (r.Segment.Width > 64)
            {
                // Wider than a word: compare bit by bit and report the differing bits.
                var bits = Enumerable.Range(r.Segment.Lsb, r.Segment.Width).Where(bit => Bit(a.Words, bit) != Bit(b.Words, bit)).ToList();
                if (bits.Count > 0)
                {
                    differences.Add(new FieldDifference(r.Segment.ToString(), ReservedName(r), "bits " + Runs(bits, a.Words), "bits " + Runs(bits, b.Words), true));
                }

                continue;
            }

            if (xa != xb)
            {
                differences.Add(new FieldDifference(r.Segment.ToString(), ReservedName(r), $"0x{xa:X}", $"0x{xb:X}", true));
            }
        }

        return new FormatDiff(a, b, differences);
    }

    /// <summary>The comparison as text.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        if (A.Format.FullName != B.Format.FullName)
        {
            sb.Append("different formats: A is ").Append(A.Format.FullName).Append(A.Note is null ? string.Empty : $" ({A.Note})")
                .Append(", B is ").Append(B.Format.FullName).AppendLine(B.Note is null ? string.Empty : $" ({B.Note})");
            return sb.ToString();
        }

        var fields = Differences.Count(d => !d.IsReserved);
        var reserved = Differences.Count(d => d.IsReserved);
        sb.Append(A.Format.FullName).Append(": ");
        if (Differences.Count == 0)
        {
            sb.AppendLine("identical");
        }
        else
        {
            sb.Append(fields).Append(fields == 1 ? " field differs" : " fields differ");
            if (reserved > 0)
            {
                sb.Append(", ").Append(reserved).Append(reserved == 1 ? " reserved range differs" : " reserved ranges differ");
            }

            sb.AppendLine();
            var rows = new List<string[]> { new[] { "bits", "field", "A", "B" } };
            rows.AddRange(Differences.Select(d => new[] { d.Bits, d.Name, d.A, d.B }));
            var widths = Enumerable.Range(0, 3).Select(c => rows.Max(r => r[c].Length)).ToArray();
            foreach (var r in rows)
            {
                sb.Append("  ").Append(r[0].PadRight(widths[0] + 2)).Append(r[1].PadRight(widths[1] + 2)).Append(r[2].PadRight(widths[2] + 2)).AppendLine(r[3]);
            }
        }

        var va = A.Violations.Describe(A.Format.Layout).ToList();
        var vb = B.Violations.Describe(B.Format.Layout).ToList();
        if (va.Count > 0 || vb.Count > 0)
        {
            sb.Append("violations: A ").Append(va.Count == 0 ? "none" : string.Join("; ", va)).Append(" | B ").AppendLine(vb.Count == 0 ? "none" : string.Join("; ", vb));
        }

        return sb.ToString();
    }

    /// <summary>The comparison as JSON.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("a", A.Format.FullName);
        w.WriteString("b", B.Format.FullName);
        w.WriteBoolean("identical", Identical);
        w.WriteStartArray("differences");
        foreach (var d in Differences)
        {
            w.WriteStartObject();
            w.WriteString("bits", d.Bits);
            w.WriteString("name", d.Name);
            w.WriteBoolean("reserved", d.IsReserved);
            w.WriteString("a", d.A);
            w.WriteString("b", d.B);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string ReservedName(ReservedLayout r) => r.Rule == ReservedRule.MustBeZero ? "(reserved, must be zero)" : "(reserved, ignored)";

    private static int Bit(ulong[] words, int bit) => (int)((words[bit >> 6] >> (bit & 63)) & 1);

    private static string Runs(List<int> bits, ulong[] words) =>
        string.Join(",", bits.OrderByDescending(b => b).Select(b => $"{b}={Bit(words, b)}"));
}
