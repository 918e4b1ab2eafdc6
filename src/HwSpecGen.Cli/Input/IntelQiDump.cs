using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HwSpecGen.Cli.Input;

/// <summary>
/// Reads <c>/sys/kernel/debug/iommu/intel/invalidation_queue</c> (Linux drivers/iommu/intel/debugfs.c,
/// <c>invalidation_queue_show</c>): per IOMMU a title line, a <c>Base: 0x… Head: n Tail: n</c> line (slot indices),
/// a column header, and one line per slot — index, two (legacy) or four (scalable mode) 64-bit words in hex and the
/// driver's 32-bit descriptor status.
/// </summary>
public static partial class IntelQiDump
{
    private static readonly string[] StatusNames = ["QI_FREE", "QI_IN_USE", "QI_DONE", "QI_ABORT"];

    /// <summary>Parses the dump.</summary>
    /// <param name="text">File contents.</param>
    /// <returns>One block per IOMMU.</returns>
    public static ImmutableArray<DumpBlock> Parse(string text)
    {
        var blocks = ImmutableArray.CreateBuilder<DumpBlock>();
        string? title = null;
        var notes = new List<string>();
        var rows = new List<(long Index, ulong[] Words, uint Status)>();
        long? head = null, tail = null;
        var skipped = new SkippedLines();

        void Flush()
        {
            if (title is null && rows.Count == 0)
            {
                return;
            }

            if (head is { } qh && tail is { } qt && rows.Count > 0)
            {
                var pending = (qt - qh + rows.Count) % rows.Count;
                notes.Add(pending == 0 ? "head == tail: the hardware has fetched every submitted descriptor" : $"{pending} descriptor(s) submitted and not yet fetched by the hardware");
            }

            skipped.Report(notes);
            var entries = ImmutableArray.CreateBuilder<DumpEntry>();
            foreach (var (index, words, status) in rows)
            {
                var set = words.Length == 4 ? "intel-vtd/QiDescriptor256" : "intel-vtd/QiDescriptor";
                var marks = new List<string>();
                if (index == head)
                {
                    marks.Add("HEAD (next slot the hardware fetches)");
                }

                if (index == tail)
                {
                    marks.Add("TAIL (next slot the driver writes)");
                }

                if (head is { } h && tail is { } t && DumpBytes.Pending(index, h, t))
                {
                    marks.Add("pending: submitted, not yet fetched");
                }

                if (status != 0 || marks.Count > 0)
                {
                    marks.Add("status " + (status < StatusNames.Length ? StatusNames[status] : "0x" + status.ToString("x", CultureInfo.InvariantCulture)));
                }

                entries.Add(new DumpEntry($"[{index}]", set, DumpBytes.FromQwords(words), marks.Count == 0 ? null : string.Join("; ", marks)));
            }

            blocks.Add(new DumpBlock(title ?? "Invalidation queue", notes.ToImmutableArray(), entries.ToImmutable()));
            title = null;
            notes = [];
            rows = [];
            head = tail = null;
            skipped = new SkippedLines();
        }

        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            Match m;
            if ((m = Title().Match(line)).Success)
            {
                Flush();
                title = "Invalidation queue on IOMMU " + m.Groups[1].Value;
            }
            else if ((m = BaseHeadTail().Match(line)).Success)
            {
                head = DumpBytes.Dec(m.Groups[2].Value);
                tail = DumpBytes.Dec(m.Groups[3].Value);
                notes.Add($"base 0x{m.Groups[1].Value}, head {head}, tail {tail}");
            }
            else if (Header().IsMatch(line))
            {
                continue;
            }
            else if ((m = Row().Match(line)).Success)
            {
                var words = new List<ulong>();
                foreach (Capture c in m.Groups[2].Captures)
                {
                    words.Add(DumpBytes.Hex64(c.Value));
                }

                if (words.Count is not (2 or 4))
                {
                    skipped.Add(number, line);
                    continue;
                }

                rows.Add((DumpBytes.Dec(m.Groups[1].Value), words.ToArray(), (uint)DumpBytes.Hex64(m.Groups[3].Value)));
            }
            else
            {
                skipped.Add(number, line);
            }
        }

        Flush();
        return blocks.ToImmutable();
    }

    [GeneratedRegex(@"^Invalidation queue on IOMMU: (\S+)\s*$")]
    private static partial Regex Title();

    [GeneratedRegex(@"^\s*Base: 0x([0-9a-fA-F]+)\s+Head: (\d+)\s+Tail: (\d+)\s*$")]
    private static partial Regex BaseHeadTail();

    [GeneratedRegex(@"^Index\s+qw0\s+qw1\s+(qw2\s+qw3\s+)?status\s*$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^\s*(\d+)(?:\s+([0-9a-fA-F]{16}))+\s+([0-9a-fA-F]{16})\s*$")]
    private static partial Regex Row();
}
