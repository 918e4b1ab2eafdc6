using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using HwSpecGen.Cli.Docs;
using HwSpecGen.Hardware;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Tests;

/// <summary>The register diagrams: well-formed SVG, one box per field segment and row, every bit drawn exactly once.</summary>
public sealed class BitfieldSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public static TheoryData<string, int> EveryFormat()
    {
        var data = new TheoryData<string, int>();
        foreach (var f in FormatRegistry.Formats)
        {
            data.Add(f.FullName, 32);
        }

        data.Add("amd-vi/DeviceTableEntry", 64);
        data.Add("intel-vtd/PasidTableEntry", 64);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryFormat))]
    public void TheSvgIsWellFormedAndDrawsEveryBitOnce(string name, int rowBits)
    {
        var layout = FormatLookup.FindFormat(name).Layout;
        var doc = XDocument.Parse(BitfieldSvg.Render(BitfieldDiagram.Build(layout, rowBits)));
        Assert.Equal(Svg + "svg", doc.Root!.Name);
        Assert.Equal(layout.FullName, (string?)doc.Root.Attribute("data-format"));

        var boxes = doc.Descendants(Svg + "rect").Where(r => r.Attribute("data-kind") is not null).ToList();
        var drawn = new int[layout.Bits];
        foreach (var box in boxes)
        {
            var (msb, lsb) = ParseBits((string)box.Attribute("data-bits")!);
            for (var b = lsb; b <= msb; b++)
            {
                drawn[b]++;
            }
        }

        Assert.All(Enumerable.Range(0, layout.Bits), b => Assert.True(drawn[b] == 1, $"bit {b} drawn {drawn[b]} times"));
        Assert.DoesNotContain(boxes, b => (string?)b.Attribute("data-kind") == "unclaimed");

        var effectiveRow = Math.Min(rowBits, layout.Bits);
        foreach (var field in layout.Fields)
        {
            var expected = field.Segments.Sum(s => (s.Msb / effectiveRow) - (s.Lsb / effectiveRow) + 1);
            var mine = boxes.Where(b => (string?)b.Attribute("data-field") == field.Name).ToList();
            Assert.Equal(expected, mine.Count);
            Assert.Equal(field.Width, mine.Sum(b => Width((string)b.Attribute("data-bits")!)));
            if (expected > 1)
            {
                Assert.All(mine, b => Assert.Matches(@"^\w+\[\d+(:\d+)?\]$", (string)b.Attribute("data-label")!));
            }
            else
            {
                Assert.Equal(field.Name, (string?)mine[0].Attribute("data-label"));
            }
        }

        foreach (var r in layout.Reserved)
        {
            var kind = r.Rule == ReservedRule.MustBeZero ? "reserved" : "ignored";
            for (var b = r.Segment.Lsb; b <= r.Segment.Msb; b++)
            {
                var bit = b;
                Assert.Contains(boxes, x => (string?)x.Attribute("data-kind") == kind && Covers((string)x.Attribute("data-bits")!, bit));
            }
        }
    }

    [Fact]
    public void ASplitFieldIsLabelledPerSegmentWithTheBitsItHolds()
    {
        // AMD DTE GCR3 root pointer: address bits 14:12 at 60:58, 30:15 at 95:80, 51:31 at 127:107.
        var layout = FormatLookup.FindFormat("amd-vi/DeviceTableEntry").Layout;
        var boxes = BitfieldDiagram.Build(layout).Boxes.Where(b => b.FieldName == "Gcr3Root").ToList();
        Assert.Equal(["Gcr3Root[14:12]", "Gcr3Root[30:15]", "Gcr3Root[51:31]"], boxes.Select(b => b.Label).OrderBy(l => l.Length).ThenBy(l => l, StringComparer.Ordinal));
        Assert.Contains(boxes, b => b.Msb == 60 && b.Lsb == 58);
        Assert.Contains(boxes, b => b.Msb == 95 && b.Lsb == 80);
        Assert.Contains(boxes, b => b.Msb == 127 && b.Lsb == 107);
    }

    [Fact]
    public void AFieldCrossingARowIsSplitAtTheRowBoundary()
    {
        // DTE host page-table root: bits 51:12, address bits 51:12 → rows 0 (31:12) and 1 (51:32).
        var boxes = BitfieldDiagram.Build(FormatLookup.FindFormat("amd-vi/DeviceTableEntry").Layout).Boxes.Where(b => b.FieldName == "HostPageTableRoot").ToList();
        Assert.Equal(2, boxes.Count);
        Assert.Contains(boxes, b => b.Msb == 31 && b.Lsb == 12 && b.Label == "HostPageTableRoot[31:12]");
        Assert.Contains(boxes, b => b.Msb == 51 && b.Lsb == 32 && b.Label == "HostPageTableRoot[51:32]");
    }

    [Fact]
    public void WholeReservedRowsCollapseIntoOne()
    {
        // The VT-d PASID entry's bits 511:192 are one reserved range: rows 6..15 become one drawn row.
        var diagram = BitfieldDiagram.Build(FormatLookup.FindFormat("intel-vtd/PasidTableEntry").Layout);
        var collapsed = Assert.Single(diagram.Rows, r => r.Collapsed);
        Assert.Equal(6, collapsed.First);
        Assert.Equal(15, collapsed.Last);
        var box = Assert.Single(collapsed.Boxes);
        Assert.Equal((511, 192), (box.Msb, box.Lsb));
        Assert.Equal(DiagramBoxKind.MustBeZero, box.Kind);
    }

    [Fact]
    public void ReservedBitsAreShadedAndConstantsShowTheirValue()
    {
        var svg = BitfieldSvg.Render(BitfieldDiagram.Build(FormatLookup.FindFormat("amd-vi/InvalidateIommuPages").Layout));
        var doc = XDocument.Parse(svg);
        var reserved = doc.Descendants(Svg + "rect").Where(r => (string?)r.Attribute("data-kind") == "reserved").ToList();
        Assert.NotEmpty(reserved);
        Assert.All(reserved, r => Assert.StartsWith("url(#", (string)r.Attribute("fill")!, StringComparison.Ordinal));
        var patternIds = doc.Descendants(Svg + "pattern").Select(p => (string)p.Attribute("id")!).ToList();
        Assert.All(reserved, r => Assert.Contains(((string)r.Attribute("fill")!)[5..^1], patternIds));
        Assert.Contains(doc.Descendants(Svg + "text"), t => t.Value == "= 0x3");

        // bit numbers above the row: every bit of a 32-bit row is numbered
        var numbers = doc.Descendants(Svg + "text").Select(t => t.Value).ToHashSet();
        Assert.All(Enumerable.Range(0, 128), b => Assert.Contains(b.ToString(System.Globalization.CultureInfo.InvariantCulture), numbers));
    }

    private static (int Msb, int Lsb) ParseBits(string text)
    {
        var parts = text.Split(':');
        var msb = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        return (msb, parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : msb);
    }

    private static int Width(string text)
    {
        var (msb, lsb) = ParseBits(text);
        return msb - lsb + 1;
    }

    private static bool Covers(string text, int bit)
    {
        var (msb, lsb) = ParseBits(text);
        return bit >= lsb && bit <= msb;
    }
}
