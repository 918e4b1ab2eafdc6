using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace HwSpecGen.Cli.Input;

/// <summary>
/// Reads <c>/sys/kernel/debug/iommu/amd/iommuNN/cmdbuf</c> (Linux drivers/iommu/amd/debugfs.c, <c>iommu_cmdbuf_show</c>):
/// a <c>CMD Buffer Head Offset:n Tail Offset:n</c> line (entry indices: the MMIO head and tail registers' byte
/// offsets divided by 16), then one line per 16-byte entry — index and the four 32-bit words data[0..3] in hex.
/// </summary>
public static partial class AmdCmdBufDump
{
    /// <summary>Parses the dump.</summary>
    /// <param name="text">File contents.</param>
    /// <returns>One block per command buffer (one per header line).</returns>
    public static ImmutableArray<DumpBlock> Parse(string text)
    {
        var blocks = ImmutableArray.CreateBuilder<DumpBlock>();
        var notes = new List<string>();
        var rows = new List<(long Index, uint[] Words)>();
        long? head = null, tail = null;
        var started = false;
        var skipped = new SkippedLines();

        void Flush()
        {
            if (!started && rows.Count == 0)
            {
                return;
            }

            if (head is { } h && tail is { } t && rows.Count > 0)
            {
                var pending = (t - h + rows.Count) % rows.Count;
                notes.Add(pending == 0 ? "head == tail: the IOMMU has fetched every queued command" : $"{pending} command(s) queued and not yet fetched by the IOMMU");
            }

            skipped.Report(notes);
            var entries = ImmutableArray.CreateBuilder<DumpEntry>();
            foreach (var (index, words) in rows)
            {
                var marks = new List<string>();
                if (index == head)
                {
                    marks.Add("HEAD (next command the IOMMU fetches)");
                }

                if (index == tail)
                {
                    marks.Add("TAIL (next slot the driver writes)");
                }

                if (head is { } hh && tail is { } tt && DumpBytes.Pending(index, hh, tt))
                {
                    marks.Add("pending: queued, not yet fetched");
                }

                entries.Add(new DumpEntry($"[{index}] @0x{index * 16:x4}", "amd-vi/Command", DumpBytes.FromDwords(words), marks.Count == 0 ? null : string.Join("; ", marks)));
            }

            blocks.Add(new DumpBlock("AMD-Vi command buffer", notes.ToImmutableArray(), entries.ToImmutable()));
            notes = [];
            rows = [];
            head = tail = null;
            started = false;
            skipped = new SkippedLines();
        }

        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            Match m;
            if ((m = Header().Match(line)).Success)
            {
                Flush();
                started = true;
                head = DumpBytes.Dec(m.Groups[1].Value);
                tail = DumpBytes.Dec(m.Groups[2].Value);
                notes.Add($"head {head}, tail {tail} (entry indices)");
            }
            else if ((m = Row().Match(line)).Success)
            {
                rows.Add((DumpBytes.Dec(m.Groups[1].Value), [DumpBytes.Hex32(m.Groups[2].Value), DumpBytes.Hex32(m.Groups[3].Value), DumpBytes.Hex32(m.Groups[4].Value), DumpBytes.Hex32(m.Groups[5].Value)]));
            }
            else
            {
                skipped.Add(number, line);
            }
        }

        Flush();
        return blocks.ToImmutable();
    }

    [GeneratedRegex(@"^CMD Buffer Head Offset:\s*(\d+)\s+Tail Offset:\s*(\d+)\s*$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^\s*(\d+):\s+([0-9a-fA-F]{8})\s+([0-9a-fA-F]{8})\s+([0-9a-fA-F]{8})\s+([0-9a-fA-F]{8})\s*$")]
    private static partial Regex Row();
}
