using System.Collections.Generic;
using System.Globalization;
using HwSpecGen.Generators.Helpers;
using HwSpecGen.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace HwSpecGen.Generators.Parsing;

/// <summary>Parses <c>"hi:lo"</c>, <c>"n"</c>, <c>n</c> and lists of them.</summary>
internal static class BitRangeParser
{
    /// <summary>The largest bit index any format can have.</summary>
    public const int MaxBit = 511;

    public static BitRange? Parse(YamlNode node, string path, List<DiagnosticInfo> diagnostics)
    {
        if (node is not YamlScalarNode scalar || scalar.Value is null)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.BadRange, "a bit range is written \"hi:lo\" or a single bit number", YamlSpans.Of(path, node)));
            return null;
        }

        var text = scalar.Value.Trim();
        var parts = text.Split(':');
        if (parts.Length > 2 || !TryBit(parts[0], out var hi) || !TryBit(parts[parts.Length - 1], out var lo))
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.BadRange, $"'{text}' is not a bit range: write \"hi:lo\" (e.g. \"63:60\") or one bit (e.g. \"64\"), bits 0..{MaxBit}", YamlSpans.Of(path, node)));
            return null;
        }

        if (hi < lo)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.BadRange, $"'{text}': the high bit comes first; write \"{lo}:{hi}\"", YamlSpans.Of(path, node)));
            return null;
        }

        return new BitRange(hi, lo);
    }

    public static EquatableArray<BitRange>? ParseList(YamlNode node, string path, List<DiagnosticInfo> diagnostics)
    {
        var list = new List<BitRange>();
        if (node is YamlSequenceNode seq)
        {
            if (seq.Children.Count == 0)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.BadRange, "an empty list of bit ranges", YamlSpans.Of(path, node)));
                return null;
            }

            var ok = true;
            foreach (var child in seq.Children)
            {
                var r = Parse(child, path, diagnostics);
                if (r is null)
                {
                    ok = false;
                }
                else
                {
                    list.Add(r);
                }
            }

            return ok ? list.ToEquatableArray() : null;
        }

        var one = Parse(node, path, diagnostics);
        return one is null ? null : new EquatableArray<BitRange>(new[] { one });
    }

    private static bool TryBit(string text, out int bit)
    {
        var ok = int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out bit);
        return ok && bit <= MaxBit;
    }
}
