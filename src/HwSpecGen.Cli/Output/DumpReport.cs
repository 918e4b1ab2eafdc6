using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using HwSpecGen.Cli.Commands;
using HwSpecGen.Cli.Input;

namespace HwSpecGen.Cli.Output;

/// <summary>Every entry of a dump decoded through the generated code, with violations; runs of empty slots collapsed.</summary>
public sealed class DumpReport
{
    private readonly List<(DumpBlock Block, List<DumpReportItem> Items)> _blocks = [];

    private DumpReport()
    {
    }

    /// <summary>Entries that are not empty and could not be decoded (unknown opcode, wrong constant).</summary>
    public int Failures { get; private set; }

    /// <summary>Decoded entries that have violations.</summary>
    public int WithViolations { get; private set; }

    /// <summary>Decoded (non-empty) entries.</summary>
    public int Decoded { get; private set; }

    /// <summary>All-zero entries.</summary>
    public int Empty { get; private set; }

    /// <summary>Decodes every entry of <paramref name="blocks"/>.</summary>
    /// <param name="blocks">The dump.</param>
    /// <param name="showEmpty">Decode all-zero entries too instead of collapsing them.</param>
    public static DumpReport Decode(IEnumerable<DumpBlock> blocks, bool showEmpty = false)
    {
        var report = new DumpReport();
        foreach (var block in blocks)
        {
            var items = new List<DumpReportItem>();
            foreach (var e in block.Entries)
            {
                if (e.IsZero)
                {
                    report.Empty++;
                    if (!showEmpty && e.Annotation is null)
                    {
                        items.Add(new DumpReportItem(e, null, null, true));
                        continue;
                    }
                }

                if (e.Format is null)
                {
                    items.Add(new DumpReportItem(e, null, null, false));
                    continue;
                }

                try
                {
                    var value = DecodeCommand.Decode(e.Format, e.Bytes);
                    if (!e.IsZero)
                    {
                        report.Decoded++;
                        if (value.Error != Runtime.DecodeError.None)
                        {
                            report.Failures++;
                        }
                        else if (!value.Violations.IsValid)
                        {
                            report.WithViolations++;
                        }
                    }

                    items.Add(new DumpReportItem(e, value, null, false));
                }
                catch (DecodeFailure ex)
                {
                    if (!e.IsZero)
                    {
                        report.Failures++;
                    }

                    items.Add(new DumpReportItem(e, null, ex.Message, false));
                }
            }

            report._blocks.Add((block, items));
        }

        return report;
    }

    /// <summary>The report as text.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var (block, items) in _blocks)
        {
            sb.Append("== ").AppendLine(block.Title);
            foreach (var n in block.Notes)
            {
                sb.Append("   ").AppendLine(n);
            }

            for (var i = 0; i < items.Count;)
            {
                var item = items[i];
                if (item.Collapsed)
                {
                    var j = i;
                    while (j + 1 < items.Count && items[j + 1].Collapsed)
                    {
                        j++;
                    }

                    sb.Append(j == i ? item.Entry.Label : $"{item.Entry.Label} .. {items[j].Entry.Label}").Append("  empty (all zero)");
                    sb.AppendLine(j == i ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", {j - i + 1} entries"));
                    i = j + 1;
                    continue;
                }

                sb.Append(item.Entry.Label);
                if (item.Entry.Annotation is not null)
                {
                    sb.Append("  ← ").Append(item.Entry.Annotation);
                }

                sb.AppendLine();
                if (item.Value is not null)
                {
                    foreach (var line in item.Value.ToText().TrimEnd('\n').Split('\n'))
                    {
                        sb.Append("    ").AppendLine(line);
                    }
                }
                else if (item.Error is not null)
                {
                    sb.Append("    raw ").AppendLine(Hex.Format(item.Entry.Bytes));
                    sb.Append("    ").AppendLine(item.Entry.IsZero ? "empty slot (all zero)" : "error: " + item.Error);
                }
                else
                {
                    sb.Append("    raw ").AppendLine(Hex.Format(item.Entry.Bytes));
                }

                i++;
            }

            sb.AppendLine();
        }

        var total = _blocks.Sum(b => b.Items.Count);
        sb.Append(string.Create(CultureInfo.InvariantCulture, $"{total} entries: {Decoded} decoded, {Empty} empty, {Failures} not decodable, {WithViolations} with violations"));
        sb.AppendLine();
        return sb.ToString();
    }

    /// <summary>The report as JSON.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteStartArray("blocks");
        foreach (var (block, items) in _blocks)
        {
            w.WriteStartObject();
            w.WriteString("title", block.Title);
            w.WriteStartArray("notes");
            foreach (var n in block.Notes)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
            w.WriteStartArray("entries");
            foreach (var item in items)
            {
                w.WriteStartObject();
                w.WriteString("label", item.Entry.Label);
                w.WriteString("annotation", item.Entry.Annotation);
                w.WriteString("bytes", Hex.Format(item.Entry.Bytes));
                w.WriteBoolean("empty", item.Entry.IsZero);
                if (item.Value is not null)
                {
                    w.WritePropertyName("decoded");
                    item.Value.WriteJson(w);
                }

                if (item.Error is not null)
                {
                    w.WriteString("error", item.Error);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("decoded", Decoded);
        w.WriteNumber("empty", Empty);
        w.WriteNumber("failures", Failures);
        w.WriteNumber("withViolations", WithViolations);
        w.WriteEndObject();
    }
}
