using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Docs;

/// <summary>
/// Writes datasheets: per vendor <c>VENDOR.html</c> (standalone), <c>VENDOR.md</c> and <c>VENDOR/FORMAT.svg</c>
/// (the diagrams the Markdown links), plus <c>index.html</c> and <c>index.md</c>.
/// </summary>
public static class DatasheetWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the datasheets of <paramref name="sheets"/> under <paramref name="outDir"/>.</summary>
    /// <param name="outDir">Output folder (created).</param>
    /// <param name="sheets">One sheet per vendor.</param>
    /// <param name="rowBits">Bits per diagram row.</param>
    /// <returns>The paths written, relative to <paramref name="outDir"/>.</returns>
    public static IReadOnlyList<string> Write(string outDir, IReadOnlyList<VendorSheet> sheets, int rowBits = 32)
    {
        Directory.CreateDirectory(outDir);
        var written = new List<string>();
        foreach (var sheet in sheets)
        {
            var svgDir = Path.Combine(outDir, sheet.Vendor);
            Directory.CreateDirectory(svgDir);
            foreach (var layout in sheet.Formats)
            {
                var svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + BitfieldSvg.Render(BitfieldDiagram.Build(layout, rowBits));
                written.Add(Save(outDir, SvgPath(layout), svg));
            }

            written.Add(Save(outDir, sheet.Vendor + ".md", MarkdownDatasheet.Render(sheet, SvgPath, rowBits)));
            written.Add(Save(outDir, sheet.Vendor + ".html", HtmlDatasheet.Render(sheet, rowBits)));
        }

        var md = new StringBuilder("# HwSpecGen datasheets\n\n");
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>HwSpecGen datasheets</title>")
            .Append("<style>body{font:15px/1.6 'Segoe UI',Helvetica,Arial,sans-serif;max-width:760px;margin:40px auto;color:#111827}a{color:#0b5cad}h1{color:#1e3a5f}</style></head><body>\n<h1>HwSpecGen datasheets</h1>\n<ul>\n");
        foreach (var sheet in sheets)
        {
            md.Append("- [").Append(sheet.Title).Append("](").Append(sheet.Vendor).Append(".md) — ").Append(sheet.Formats.Length).Append(" formats\n");
            html.Append("<li><a href=\"").Append(sheet.Vendor).Append(".html\">").Append(DatasheetText.Xml(sheet.Title)).Append("</a> — ").Append(sheet.Formats.Length).Append(" formats</li>\n");
        }

        html.Append("</ul>\n</body></html>\n");
        written.Add(Save(outDir, "index.md", md.ToString()));
        written.Add(Save(outDir, "index.html", html.ToString()));
        return written;
    }

    /// <summary>Where a format's SVG goes, relative to the output folder (and to the Markdown file).</summary>
    public static string SvgPath(FormatLayout layout) => layout.Vendor + "/" + layout.Name + ".svg";

    private static string Save(string outDir, string relative, string text)
    {
        File.WriteAllText(Path.Combine(outDir, relative), text, Utf8);
        return relative;
    }
}
