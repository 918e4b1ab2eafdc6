using System.Linq;
using System.Text;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Docs;

/// <summary>A vendor datasheet as one standalone HTML page: inline CSS, inline SVG diagrams, no external assets.</summary>
public static class HtmlDatasheet
{
    private const string Css = """
        :root { --ink: #111827; --muted: #6b7280; --rule: #d1d5db; --head: #1e3a5f; --accent: #0b5cad; }
        * { box-sizing: border-box; }
        body { margin: 0; color: var(--ink); background: #f8fafc; font: 14px/1.5 'Segoe UI', 'Helvetica Neue', Helvetica, Arial, sans-serif; }
        header.cover { background: var(--head); color: #fff; padding: 28px 40px 22px; border-bottom: 6px solid var(--accent); }
        header.cover h1 { margin: 0 0 4px; font-size: 26px; font-weight: 600; }
        header.cover .sub { opacity: .85; font-size: 13px; }
        main { max-width: 1240px; margin: 0 auto; padding: 8px 40px 60px; background: #fff; box-shadow: 0 0 0 1px #e5e7eb; }
        h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--head); color: var(--head); }
        h3 { font-size: 17px; margin: 30px 0 4px; color: var(--head); }
        h3 .num { color: var(--muted); font-weight: 400; margin-right: 6px; }
        .meta { margin: 2px 0 8px; }
        .badge { display: inline-block; font-size: 11.5px; border: 1px solid var(--rule); border-radius: 3px; padding: 0 6px; margin-right: 6px; background: #f9fafb; }
        .badge.set { border-color: #f59e0b; background: #fffbeb; }
        p.doc { margin: 6px 0; max-width: 1000px; }
        p.source { margin: 2px 0 10px; color: var(--muted); font-size: 12px; }
        figure { margin: 12px 0 8px; overflow-x: auto; }
        figure svg { display: block; max-width: 100%; height: auto; }
        figcaption { color: var(--muted); font-size: 12px; margin-top: 4px; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 13px; }
        th { background: var(--head); color: #fff; text-align: left; font-weight: 600; padding: 5px 8px; border: 1px solid var(--head); }
        td { border: 1px solid var(--rule); padding: 4px 8px; vertical-align: top; }
        tr:nth-child(even) td { background: #f9fafb; }
        tr.reserved td { background: #f3f4f6; color: #4b5563; font-style: italic; }
        td.bits, td.code, code { font-family: 'Cascadia Mono', Consolas, 'DejaVu Sans Mono', monospace; font-size: 12.5px; white-space: nowrap; }
        td.expr { font-family: 'Cascadia Mono', Consolas, 'DejaVu Sans Mono', monospace; font-size: 12.5px; overflow-wrap: anywhere; }
        table.rules { table-layout: fixed; } table.rules th:nth-child(1) { width: 17%; } table.rules th:nth-child(2) { width: 24%; }
        table.rules th:nth-child(3) { width: 27%; } table.rules th:nth-child(4) { width: 14%; } table.rules td.code { white-space: normal; overflow-wrap: anywhere; }
        td.kind { white-space: nowrap; } td.values b { white-space: nowrap; }
        td.src { color: var(--muted); font-size: 12px; }
        ul.values { margin: 0; padding-left: 16px; }
        nav.toc { columns: 3; column-gap: 32px; font-size: 13px; margin: 12px 0; }
        nav.toc a { color: var(--accent); text-decoration: none; }
        nav.toc div { break-inside: avoid; }
        .legend { font-size: 12px; color: var(--muted); margin: 6px 0 0; }
        .legend span.sw { display: inline-block; width: 22px; height: 12px; border: 1px solid #1f2937; vertical-align: -2px; margin: 0 4px 0 12px; }
        .sw.field { background: #fff; } .sw.const { background: #fef3c7; }
        .sw.mbz { background: repeating-linear-gradient(45deg, #e5e7eb 0 3px, #9ca3af 3px 5px); }
        .sw.ign { background: radial-gradient(#9ca3af 1px, #f3f4f6 1.2px) 0 0 / 6px 6px; }
        section.format { break-inside: avoid-page; }
        footer { color: var(--muted); font-size: 12px; margin-top: 40px; border-top: 1px solid var(--rule); padding-top: 8px; }
        @media print { body { background: #fff; } main { box-shadow: none; } }
        """;

    /// <summary>Renders the page.</summary>
    /// <param name="sheet">The vendor's metadata.</param>
    /// <param name="rowBits">Bits per diagram row (32 or 64).</param>
    /// <returns>The HTML document.</returns>
    public static string Render(VendorSheet sheet, int rowBits = 32)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(X(sheet.Title)).Append(" — datasheet</title>\n<style>\n").Append(Css).Append("\n</style>\n</head>\n<body>\n");
        sb.Append("<header class=\"cover\"><h1>").Append(X(sheet.Title)).Append("</h1>\n<div class=\"sub\">Structure and command datasheet · vendor <code>")
            .Append(X(sheet.Vendor)).Append("</code> · ").Append(sheet.Formats.Length).Append(" formats, ").Append(sheet.Sets.Length).Append(" command sets, ")
            .Append(sheet.Tables.Length).Append(" tables · generated by <code>hwspec docs</code> from <code>specs/").Append(X(sheet.Vendor)).Append("/</code></div></header>\n<main>\n");

        Contents(sb, sheet);
        var section = 1;
        if (sheet.Sets.Length > 0)
        {
            sb.Append("<h2 id=\"command-sets\">").Append(section++).Append(". Command sets</h2>\n");
            foreach (var set in sheet.Sets)
            {
                CommandSet(sb, set);
            }
        }

        var formatSection = section++;
        sb.Append("<h2 id=\"formats\">").Append(formatSection).Append(". Formats</h2>\n");
        sb.Append("<p class=\"legend\">Diagrams: one row per ").Append(rowBits).Append(" bits, lowest row first; bit numbers are absolute (bit N is bit N mod 64 of little-endian word N / 64).")
            .Append("<span class=\"sw field\"></span>field<span class=\"sw const\"></span>constant (opcode / type)<span class=\"sw mbz\"></span>reserved, must be zero<span class=\"sw ign\"></span>ignored</p>\n");
        var n = 1;
        foreach (var layout in sheet.Formats)
        {
            Format(sb, sheet, layout, $"{formatSection}.{n}", n, rowBits);
            n++;
        }

        if (sheet.Tables.Length > 0)
        {
            sb.Append("<h2 id=\"tables\">").Append(section++).Append(". Tables</h2>\n");
            sb.Append("<table><tr><th>Table</th><th>Entry format</th><th>Entry size</th><th>Indexed by</th><th>Index bits</th><th>Entries</th><th>Description</th></tr>\n");
            foreach (var t in sheet.Tables)
            {
                sb.Append("<tr id=\"table-").Append(DatasheetText.Anchor(t.Name)).Append("\"><td class=\"code\">").Append(X(t.Name)).Append("</td><td><a href=\"#").Append(DatasheetText.Anchor(t.Entry)).Append("\">").Append(X(t.Entry))
                    .Append("</a></td><td>").Append(t.EntryBytes).Append(" bytes</td><td class=\"code\">").Append(X(t.Id)).Append("</td><td class=\"bits\">")
                    .Append(X(t.Id)).Append('[').Append(t.Index).Append("]</td><td>").Append(DatasheetText.EntriesText(t)).Append("</td><td>").Append(X(t.Doc)).Append("</td></tr>\n");
            }

            sb.Append("</table>\n");
        }

        if (sheet.Enums.Length > 0)
        {
            sb.Append("<h2 id=\"enums\">").Append(section).Append(". Enumerations</h2>\n");
            foreach (var (name, members, strict) in sheet.Enums)
            {
                sb.Append("<h3 id=\"enum-").Append(DatasheetText.Anchor(name)).Append("\">").Append(X(name)).Append("</h3>\n<p class=\"meta\"><span class=\"badge\">")
                    .Append(strict ? "strict: other values are reported by Validate()" : "open: other values are legal").Append("</span></p>\n");
                sb.Append("<table><tr><th>Value</th><th>Name</th><th>Description</th></tr>\n");
                foreach (var m in members)
                {
                    sb.Append("<tr><td class=\"code\">").Append(Invariant.Hex(m.Value)).Append("</td><td class=\"code\">").Append(X(m.Name)).Append("</td><td>").Append(X(m.Doc));
                    if (m.Source is not null)
                    {
                        sb.Append(" <span class=\"meta\">source: ").Append(X(m.Source)).Append("</span>");
                    }

                    sb.Append("</td></tr>\n");
                }

                sb.Append("</table>\n");
            }
        }

        sb.Append("<footer>Every field names the Linux or QEMU symbol that confirms its bits (Source column). Reserved ranges marked must-be-zero are reported by <code>Validate()</code>; ")
            .Append("rules are cross-field checks with the error hardware raises. Regenerate with <code>hwspec docs --vendor ").Append(X(sheet.Vendor)).Append("</code>.</footer>\n");
        sb.Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Contents(StringBuilder sb, VendorSheet sheet)
    {
        sb.Append("<h2 id=\"contents\">Contents</h2>\n<nav class=\"toc\">\n");
        foreach (var set in sheet.Sets)
        {
            sb.Append("<div><a href=\"#set-").Append(DatasheetText.Anchor(set.Name)).Append("\">Command set ").Append(X(set.Name)).Append("</a></div>\n");
        }

        foreach (var f in sheet.Formats)
        {
            sb.Append("<div><a href=\"#").Append(DatasheetText.Anchor(f.Name)).Append("\">").Append(X(f.Name)).Append("</a> <span style=\"color:#6b7280\">").Append(f.Bits).Append("b</span></div>\n");
        }

        if (sheet.Tables.Length > 0)
        {
            sb.Append("<div><a href=\"#tables\">Tables</a></div>\n");
        }

        if (sheet.Enums.Length > 0)
        {
            sb.Append("<div><a href=\"#enums\">Enumerations</a></div>\n");
        }

        sb.Append("</nav>\n");
    }

    private static void CommandSet(StringBuilder sb, CommandSetDescriptor set)
    {
        sb.Append("<h3 id=\"set-").Append(DatasheetText.Anchor(set.Name)).Append("\">").Append(X(set.Name)).Append("</h3>\n<p class=\"meta\"><span class=\"badge\">")
            .Append(set.Bits).Append(" bits</span><span class=\"badge\">opcode in bits ").Append(X(string.Join(", ", set.Discriminator.Select(d => d.ToString()))))
            .Append("</span>");
        if (set.UnknownError is not null)
        {
            sb.Append("<span class=\"badge set\">unknown opcode → ").Append(X(set.UnknownError)).Append("</span>");
        }

        sb.Append("</p>\n");
        if (set.Doc is not null)
        {
            sb.Append("<p class=\"doc\">").Append(X(set.Doc)).Append("</p>\n");
        }

        sb.Append("<table><tr><th>Opcode</th><th>Command</th><th>Description</th></tr>\n");
        foreach (var m in set.Members.OrderBy(m => m.Opcode))
        {
            sb.Append("<tr><td class=\"code\">").Append(Invariant.Hex(m.Opcode)).Append("</td><td><a href=\"#").Append(DatasheetText.Anchor(m.Format.Layout.Name)).Append("\">")
                .Append(X(m.Format.Layout.Name)).Append("</a></td><td>").Append(X(VendorSheet.Summary(m.Format.Layout.Doc))).Append("</td></tr>\n");
        }

        sb.Append("</table>\n");
    }

    private static void Format(StringBuilder sb, VendorSheet sheet, FormatLayout layout, string number, int figure, int rowBits)
    {
        sb.Append("<section class=\"format\" id=\"").Append(DatasheetText.Anchor(layout.Name)).Append("\">\n<h3><span class=\"num\">").Append(number).Append("</span>").Append(X(layout.Name)).Append("</h3>\n");
        sb.Append("<p class=\"meta\"><span class=\"badge\">").Append(layout.Bits).Append(" bits · ").Append(layout.SizeBytes).Append(" bytes</span>");
        if (layout.Set is not null)
        {
            sb.Append("<span class=\"badge set\"><a href=\"#set-").Append(DatasheetText.Anchor(layout.Set)).Append("\">").Append(X(layout.Set)).Append("</a>");
            if (sheet.OpcodeOf(layout) is { } op)
            {
                sb.Append(" opcode ").Append(Invariant.Hex(op));
            }

            sb.Append("</span>");
        }

        sb.Append("<span class=\"badge\">").Append(layout.Fields.Length).Append(" fields</span></p>\n");
        if (layout.Doc is not null)
        {
            sb.Append("<p class=\"doc\">").Append(X(layout.Doc)).Append("</p>\n");
        }

        if (layout.Source is not null)
        {
            sb.Append("<p class=\"source\">Source: ").Append(X(layout.Source)).Append("</p>\n");
        }

        sb.Append("<figure>\n").Append(BitfieldSvg.Render(BitfieldDiagram.Build(layout, rowBits))).Append("<figcaption>Figure ").Append(figure).Append(". ")
            .Append(X(layout.Name)).Append(" layout</figcaption>\n</figure>\n");

        sb.Append("<table class=\"fields\"><tr><th>Bits</th><th>Field</th><th>Kind</th><th>Values</th><th>Description</th><th>Source</th></tr>\n");
        foreach (var row in DatasheetText.Rows(layout))
        {
            if (row.Field is { } f)
            {
                sb.Append("<tr><td class=\"bits\">").Append(X(row.Bits)).Append("</td><td class=\"code\">").Append(X(f.Name)).Append("</td><td class=\"kind\">").Append(X(row.Kind)).Append("</td><td class=\"values\">");
                Values(sb, f);
                sb.Append("</td><td>").Append(X(f.Doc)).Append("</td><td class=\"src\">").Append(X(f.Source)).Append("</td></tr>\n");
            }
            else
            {
                var r = row.Reserved!;
                sb.Append("<tr class=\"reserved\"><td class=\"bits\">").Append(X(row.Bits)).Append("</td><td>").Append(row.Name).Append("</td><td>").Append(X(DatasheetText.RuleText(r.Rule)))
                    .Append("</td><td>").Append(r.Rule == ReservedRule.MustBeZero ? "0" : string.Empty).Append("</td><td>").Append(X(r.Doc)).Append("</td><td></td></tr>\n");
            }
        }

        sb.Append("</table>\n");
        if (layout.Rules.Length > 0)
        {
            sb.Append("<table class=\"rules\"><tr><th>Rule</th><th>When</th><th>Requires</th><th>Error raised</th><th>Description</th></tr>\n");
            foreach (var rule in layout.Rules)
            {
                sb.Append("<tr><td class=\"code\">").Append(X(rule.Name)).Append("</td><td class=\"expr\">").Append(X(rule.When ?? "always")).Append("</td><td class=\"expr\">")
                    .Append(X(rule.Require)).Append("</td><td class=\"code\">").Append(X(rule.Error)).Append("</td><td>").Append(X(rule.Doc)).Append("</td></tr>\n");
            }

            sb.Append("</table>\n");
        }

        sb.Append("</section>\n");
    }

    private static void Values(StringBuilder sb, FieldLayout f)
    {
        if (f.ConstValue is { } c)
        {
            sb.Append("<b>always ").Append(Invariant.Hex(c)).Append("</b>");
            return;
        }

        if (f.Kind == FieldKind.Enum)
        {
            sb.Append("<ul class=\"values\">");
            foreach (var m in f.EnumMembers)
            {
                sb.Append("<li><code>").Append(Invariant.Hex(m.Value)).Append("</code> ").Append(X(m.Name)).Append("</li>");
            }

            sb.Append("</ul>");
            if (!f.EnumStrict)
            {
                sb.Append("other values legal");
            }
        }
    }

    private static string X(string? text) => DatasheetText.Xml(text);
}
