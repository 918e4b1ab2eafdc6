using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using HwSpecGen.Cli.Commands;
using HwSpecGen.Cli.Docs;
using HwSpecGen.Hardware;

namespace HwSpecGen.Cli.Tests;

/// <summary><c>hwspec docs</c>: per-vendor HTML and Markdown with every format, set, table and enum.</summary>
public sealed class DatasheetTests
{
    [Fact]
    public void TheHtmlPageIsStandaloneAndShowsEveryFormatSetAndTable()
    {
        var sheet = DocsCommand.Sheets("amd-vi").Single();
        var html = HtmlDatasheet.Render(sheet);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex("<(link|script|img|iframe)\\b", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase), html);
        Assert.Contains("<style>", html, StringComparison.Ordinal);

        var svgs = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline);
        Assert.Equal(sheet.Formats.Length, svgs.Count);
        foreach (Match m in svgs)
        {
            XDocument.Parse(m.Value);
        }

        foreach (var f in sheet.Formats)
        {
            Assert.Contains($"<section class=\"format\" id=\"{DatasheetText.Anchor(f.Name)}\">", html, StringComparison.Ordinal);
            Assert.Contains($"data-format=\"{f.FullName}\"", html, StringComparison.Ordinal);
            foreach (var field in f.Fields)
            {
                Assert.Contains($"<td class=\"code\">{field.Name}</td>", html, StringComparison.Ordinal);
            }

            foreach (var rule in f.Rules)
            {
                Assert.Contains($"<td class=\"code\">{DatasheetText.Xml(rule.Error)}</td>", html, StringComparison.Ordinal);
            }
        }

        // The command set's opcode table lists every member, and the unknown-opcode error.
        var command = sheet.Sets.Single(s => s.Name == "Command");
        Assert.Contains("unknown opcode → " + command.UnknownError, html, StringComparison.Ordinal);
        foreach (var m in command.Members)
        {
            Assert.Matches($"<td class=\"code\">0x{m.Opcode:X}</td><td><a href=\"#{DatasheetText.Anchor(m.Format.Layout.Name)}\">", html);
        }

        // Table geometry: the device table is indexed by DeviceId[15:0], 65536 entries of 32 bytes.
        Assert.Contains("<td class=\"code\">DeviceTable</td>", html, StringComparison.Ordinal);
        Assert.Contains("32 bytes</td><td class=\"code\">DeviceId</td><td class=\"bits\">DeviceId[15:0]</td><td>65536</td>", html, StringComparison.Ordinal);

        // Reserved rows say their rule; enum values are listed.
        Assert.Contains("<tr class=\"reserved\"><td class=\"bits\">63</td><td>Reserved</td><td>must be zero</td>", html, StringComparison.Ordinal);
        Assert.Contains("<li><code>0x4</code> Level4</li>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMarkdownLinksOneSvgPerFormat()
    {
        var sheet = DocsCommand.Sheets("intel-vtd").Single();
        var md = MarkdownDatasheet.Render(sheet, DatasheetWriter.SvgPath);
        var images = Regex.Matches(md, @"!\[(\w+) layout\]\(intel-vtd/(\w+)\.svg\)");
        Assert.Equal(sheet.Formats.Length, images.Count);
        Assert.All(images, m => Assert.Equal(m.Groups[1].Value, m.Groups[2].Value));
        Assert.Contains("## Command set QiDescriptor", md, StringComparison.Ordinal);
        Assert.Contains("| `0x5` | [InvalidationWait](#invalidationwait) |", md, StringComparison.Ordinal);

        // An enum value with its own source (specs/intel-vtd/faults.yaml FaultReason) shows it.
        Assert.Contains("| `0x85` | `SmNoWrite` | (source: QEMU VTD_FR_SM_WRITE) |", md, StringComparison.Ordinal);
        Assert.Contains("| `0x5` | `Write` | no write permission (source: QEMU VTD_FR_WRITE) |", md, StringComparison.Ordinal);

        // Every table row has as many cells as the header (pipes in text are escaped).
        foreach (var line in md.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal) && l.Contains("` | `", StringComparison.Ordinal)))
        {
            var cells = Regex.Split(line, @"(?<!\\)\|").Length - 2;
            Assert.True(cells is 3 or 5 or 6, $"{cells} cells: {line}");
        }
    }

    [Fact]
    public void TheCommandWritesHtmlMarkdownAndSvgFiles()
    {
        var dir = Path.Combine(Path.GetTempPath(), "hwspec-docs-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, stdout, stderr) = CliRunner.Run("docs", "--out", dir, "--vendor", "amd-vi");
            Assert.Equal(0, code);
            Assert.Equal(string.Empty, stderr);
            Assert.Contains("amd-vi.html", stdout, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "amd-vi.html")));
            Assert.True(File.Exists(Path.Combine(dir, "amd-vi.md")));
            Assert.True(File.Exists(Path.Combine(dir, "index.html")));
            var svgs = Directory.GetFiles(Path.Combine(dir, "amd-vi"), "*.svg");
            Assert.Equal(FormatRegistry.Formats.Count(f => f.Layout.Vendor == "amd-vi"), svgs.Length);
            Assert.All(svgs, f => XDocument.Load(f));
            Assert.False(Directory.Exists(Path.Combine(dir, "intel-vtd")));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("docs", "--vendor", "nvidia")]
    [InlineData("docs", "--row-bits", "48")]
    public void WrongInputIsOneLineOnStderrAndExitCode2(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("hwspec: ", stderr, StringComparison.Ordinal);
    }
}
