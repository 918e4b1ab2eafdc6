using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Docs;

/// <summary>
/// The register-diagram view of a format: rows of 32 or 64 bits, lowest row first, each split into boxes (field pieces,
/// reserved runs). A field that crosses a row boundary or is made of several segments is drawn as several boxes, each
/// labelled with the field bits it holds. Consecutive rows that belong wholly to one reserved range are collapsed into one.
/// </summary>
public sealed class BitfieldDiagram
{
    private BitfieldDiagram(FormatLayout layout, int rowBits, ImmutableArray<DiagramRow> rows)
    {
        Layout = layout;
        RowBits = rowBits;
        Rows = rows;
    }

    /// <summary>The format drawn.</summary>
    public FormatLayout Layout { get; }

    /// <summary>Bits per row (32 or 64; a 32-bit format always uses 32).</summary>
    public int RowBits { get; }

    /// <summary>Drawn rows, lowest bits first.</summary>
    public ImmutableArray<DiagramRow> Rows { get; }

    /// <summary>Every box of every row.</summary>
    public IEnumerable<DiagramBox> Boxes => Rows.SelectMany(r => r.Boxes);

    /// <summary>Lays out <paramref name="layout"/> in rows of <paramref name="rowBits"/> bits.</summary>
    /// <param name="layout">The format.</param>
    /// <param name="rowBits">32 or 64.</param>
    /// <returns>The diagram.</returns>
    public static BitfieldDiagram Build(FormatLayout layout, int rowBits = 32)
    {
        if (rowBits is not (32 or 64))
        {
            throw new ArgumentOutOfRangeException(nameof(rowBits), rowBits, "rows hold 32 or 64 bits");
        }

        rowBits = Math.Min(rowBits, layout.Bits);
        var rowCount = (layout.Bits + rowBits - 1) / rowBits;
        var perRow = new List<(DiagramBox Box, int Source)>[rowCount];
        for (var r = 0; r < rowCount; r++)
        {
            perRow[r] = [];
        }

        var claimed = new bool[layout.Bits];
        foreach (var f in layout.Fields)
        {
            var pieces = new List<(int Msb, int Lsb, int RawLsb)>();
            var pos = 0;
            foreach (var s in f.Segments)
            {
                foreach (var (hi, lo) in SplitByRow(s.Msb, s.Lsb, rowBits))
                {
                    pieces.Add((hi, lo, pos + (lo - s.Lsb)));
                }

                pos += s.Width;
            }

            var valueShift = f.Kind == FieldKind.Address ? f.Shift : 0;
            foreach (var (hi, lo, rawLsb) in pieces)
            {
                var label = f.Name;
                if (pieces.Count > 1)
                {
                    var vlo = rawLsb + valueShift;
                    var vhi = vlo + (hi - lo);
                    label += vhi == vlo ? $"[{Invariant.Str(vlo)}]" : $"[{Invariant.Str(vhi)}:{Invariant.Str(vlo)}]";
                }

                var detail = f.ConstValue is { } c ? "= " + Invariant.Hex(c) : null;
                var tooltip = $"{f.Name} — bits {f.BitsText}, {DatasheetText.KindText(f)}{(f.ConstValue is { } cv ? ", always " + Invariant.Hex(cv) : string.Empty)}{(f.Doc is null ? string.Empty : " — " + f.Doc)}";
                Add(perRow, rowBits, new DiagramBox(DiagramBoxKind.Field, hi, lo, label, f.Name, detail, tooltip), -1, claimed);
            }
        }

        for (var i = 0; i < layout.Reserved.Length; i++)
        {
            var r = layout.Reserved[i];
            var kind = r.Rule == ReservedRule.MustBeZero ? DiagramBoxKind.MustBeZero : DiagramBoxKind.Ignored;
            var label = kind == DiagramBoxKind.MustBeZero ? "Reserved" : "Ignored";
            var tooltip = $"{label} — bits {r.Segment}, {DatasheetText.RuleText(r.Rule)}{(r.Doc is null ? string.Empty : " — " + r.Doc)}";
            foreach (var (hi, lo) in SplitByRow(r.Segment.Msb, r.Segment.Lsb, rowBits))
            {
                Add(perRow, rowBits, new DiagramBox(kind, hi, lo, label, null, null, tooltip), i, claimed);
            }
        }

        for (var b = 0; b < layout.Bits;)
        {
            if (claimed[b])
            {
                b++;
                continue;
            }

            var lo = b;
            while (b < layout.Bits && !claimed[b] && b / rowBits == lo / rowBits)
            {
                b++;
            }

            var box = new DiagramBox(DiagramBoxKind.Unclaimed, b - 1, lo, "?", null, null, $"bits {lo}..{b - 1} are claimed by no field or reserved range");
            perRow[lo / rowBits].Add((box, -2));
        }

        var rows = ImmutableArray.CreateBuilder<DiagramRow>();
        for (var r = 0; r < rowCount;)
        {
            var source = WholeReservedSource(perRow[r], r, rowBits, layout.Bits);
            var last = r;
            while (source >= 0 && last + 1 < rowCount && WholeReservedSource(perRow[last + 1], last + 1, rowBits, layout.Bits) == source)
            {
                last++;
            }

            if (last > r)
            {
                var first = perRow[r][0].Box;
                var top = Math.Min(layout.Bits, (last + 1) * rowBits) - 1;
                var merged = first with { Msb = top, Lsb = r * rowBits };
                rows.Add(new DiagramRow(r, last, [merged]));
            }
            else
            {
                rows.Add(new DiagramRow(r, r, perRow[r].Select(p => p.Box).OrderByDescending(x => x.Msb).ToImmutableArray()));
            }

            r = last + 1;
        }

        return new BitfieldDiagram(layout, rowBits, rows.ToImmutable());
    }

    private static void Add(List<(DiagramBox Box, int Source)>[] perRow, int rowBits, DiagramBox box, int source, bool[] claimed)
    {
        perRow[box.Lsb / rowBits].Add((box, source));
        for (var b = box.Lsb; b <= box.Msb && b < claimed.Length; b++)
        {
            claimed[b] = true;
        }
    }

    private static IEnumerable<(int Msb, int Lsb)> SplitByRow(int msb, int lsb, int rowBits)
    {
        for (var lo = lsb; lo <= msb;)
        {
            var rowTop = ((lo / rowBits) + 1) * rowBits - 1;
            var hi = Math.Min(msb, rowTop);
            yield return (hi, lo);
            lo = hi + 1;
        }
    }

    private static int WholeReservedSource(List<(DiagramBox Box, int Source)> row, int index, int rowBits, int bits)
    {
        if (row.Count != 1 || row[0].Source < 0)
        {
            return -1;
        }

        var box = row[0].Box;
        var covers = box.Lsb == index * rowBits && box.Msb == Math.Min(bits, (index + 1) * rowBits) - 1;
        return covers ? row[0].Source : -1;
    }
}
