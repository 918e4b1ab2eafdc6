using System.Collections.Generic;
using System.Linq;
using System.Text;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Docs;

/// <summary>Wording and escaping shared by the Markdown, HTML and SVG writers.</summary>
public static class DatasheetText
{
    private static readonly Dictionary<string, string> VendorTitles = new()
    {
        ["amd-vi"] = "AMD I/O Virtualization Technology (AMD-Vi)",
        ["intel-vtd"] = "Intel Virtualization Technology for Directed I/O (VT-d), scalable mode",
        ["arm-smmuv3"] = "Arm System Memory Management Unit v3 (SMMUv3)",
    };

    /// <summary>A readable title for a vendor key (the key itself when unknown).</summary>
    public static string VendorTitle(string vendor) => VendorTitles.TryGetValue(vendor, out var t) ? t : vendor;

    /// <summary>The field's kind as a datasheet shows it.</summary>
    public static string KindText(FieldLayout f) => f.Kind switch
    {
        FieldKind.Address => f.Shift == 0 ? "address" : $"address <<{Invariant.Str(f.Shift)}",
        FieldKind.Enum => $"enum {f.EnumName}",
        FieldKind.Flag => "flag",
        FieldKind.Signed => "signed",
        _ => "uint",
    };

    /// <summary>A reserved rule as words.</summary>
    public static string RuleText(ReservedRule rule) => rule == ReservedRule.MustBeZero ? "must be zero" : "ignored by hardware";

    /// <summary>The bits of the field as the spec writes them, most significant segment first.</summary>
    public static string BitsText(FieldLayout f) => f.BitsText;

    /// <summary>Rows of a field table: every field and reserved range, most significant first.</summary>
    public static IEnumerable<TableRow> Rows(FormatLayout layout)
    {
        var rows = new List<TableRow>();
        foreach (var f in layout.Fields)
        {
            rows.Add(new TableRow(f.Segments.Max(s => s.Msb), f.BitsText, f.Name, KindText(f), f, null));
        }

        foreach (var r in layout.Reserved)
        {
            rows.Add(new TableRow(r.Segment.Msb, r.Segment.ToString(), r.Rule == ReservedRule.MustBeZero ? "Reserved" : "Ignored", r.Rule == ReservedRule.MustBeZero ? "must be zero" : "ignored", null, r));
        }

        return rows.OrderByDescending(r => r.Msb);
    }

    /// <summary>How many entries a table has: 2^(index width).</summary>
    public static string EntriesText(TableLayout table) =>
        table.Index.Width >= 63 ? $"2^{Invariant.Str(table.Index.Width)}" : (1UL << table.Index.Width).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The rule as <c>when ⇒ require</c>.</summary>
    public static string RuleExpression(RuleLayout rule) => rule.When is null ? rule.Require : $"{rule.When} ⇒ {rule.Require}";

    /// <summary>Escapes text for HTML and XML (element content and quoted attributes).</summary>
    public static string Xml(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ when c < ' ' && c is not ('\n' or '\t') => " ",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>Escapes text for a Markdown table cell (pipes, newlines, HTML-like text).</summary>
    public static string Cell(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return text.Replace("\\", "\\\\", System.StringComparison.Ordinal)
            .Replace("|", "\\|", System.StringComparison.Ordinal)
            .Replace("<", "&lt;", System.StringComparison.Ordinal)
            .Replace("\r", string.Empty, System.StringComparison.Ordinal)
            .Replace("\n", " ", System.StringComparison.Ordinal);
    }

    /// <summary>Escapes text inside a code span of a Markdown table cell (only pipes and newlines).</summary>
    public static string CodeCell(string? text) =>
        string.IsNullOrEmpty(text) ? string.Empty : text.Replace("|", "\\|", System.StringComparison.Ordinal).Replace("\n", " ", System.StringComparison.Ordinal);

    /// <summary>An HTML id / anchor for a name: lower-case letters, digits and '-'.</summary>
    public static string Anchor(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            sb.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        }

        return sb.ToString();
    }
}
