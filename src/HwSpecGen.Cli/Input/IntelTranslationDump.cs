using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace HwSpecGen.Cli.Input;

/// <summary>
/// Reads <c>/sys/kernel/debug/iommu/intel/dmar_translation_struct</c> (Linux drivers/iommu/intel/debugfs.c,
/// <c>root_tbl_walk</c> and <c>print_tbl_walk</c>): per IOMMU a <c>Root Table Address</c> line and a column header,
/// then per present device (and, in scalable mode, per present PASID) <c>bb:dd.f</c>, the root entry and the context
/// entry as <c>0xhi:0xlo</c>, the PASID (-1 in legacy mode) and PASID-table-entry words 2, 1 and 0.
/// </summary>
public static partial class IntelTranslationDump
{
    /// <summary>Parses the dump.</summary>
    /// <param name="text">File contents.</param>
    /// <returns>One block per IOMMU.</returns>
    public static ImmutableArray<DumpBlock> Parse(string text)
    {
        var blocks = ImmutableArray.CreateBuilder<DumpBlock>();
        string? title = null;
        var notes = new List<string>();
        var entries = ImmutableArray.CreateBuilder<DumpEntry>();
        var skipped = new SkippedLines();
        var shown = new Dictionary<string, byte[]>();

        // The kernel repeats the root and context entries on every PASID line of a device: show each once.
        void AddOnce(string key, DumpEntry entry)
        {
            if (shown.TryGetValue(key, out var before) && before.AsSpan().SequenceEqual(entry.Bytes))
            {
                return;
            }

            shown[key] = entry.Bytes;
            entries.Add(entry);
        }

        void Flush()
        {
            if (title is null && entries.Count == 0)
            {
                return;
            }

            skipped.Report(notes);
            blocks.Add(new DumpBlock(title ?? "DMA remapping structures", notes.ToImmutableArray(), entries.ToImmutable()));
            title = null;
            notes = [];
            entries = ImmutableArray.CreateBuilder<DumpEntry>();
            skipped = new SkippedLines();
            shown.Clear();
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
                title = $"IOMMU {m.Groups[1].Value}: root table at 0x{m.Groups[2].Value}";
            }
            else if ((m = NotEnabled().Match(line)).Success)
            {
                Flush();
                blocks.Add(new DumpBlock($"IOMMU {m.Groups[1].Value}", ["DMA remapping is not enabled on this IOMMU"], []));
            }
            else if (Header().IsMatch(line))
            {
                continue;
            }
            else if ((m = Row().Match(line)).Success)
            {
                var bdf = $"{m.Groups[1].Value}:{m.Groups[2].Value}.{m.Groups[3].Value}";
                var bus = m.Groups[1].Value;
                var root = DumpBytes.FromQwords(DumpBytes.Hex64(m.Groups[5].Value), DumpBytes.Hex64(m.Groups[4].Value));
                var ctxLo = DumpBytes.Hex64(m.Groups[7].Value);
                var ctxHi = DumpBytes.Hex64(m.Groups[6].Value);
                var pasid = DumpBytes.Dec(m.Groups[8].Value);
                if (pasid < 0)
                {
                    // Legacy mode: no PASID; the context entry has the legacy layout, which HwSpecGen does not model.
                    AddOnce("root " + bus, new DumpEntry($"{bdf} root entry (bus {bus})", "intel-vtd/ScalableModeRootEntry", root, "legacy mode: the low half is the legacy root entry (present bit, context-table pointer)"));
                    AddOnce("context " + bdf, new DumpEntry($"{bdf} context entry", null, DumpBytes.FromQwords(ctxLo, ctxHi), "legacy-mode context entry (not a modelled format): raw words"));
                    continue;
                }

                AddOnce("root " + bus, new DumpEntry($"{bdf} root entry (bus {bus})", "intel-vtd/ScalableModeRootEntry", root, null));
                AddOnce("context " + bdf, new DumpEntry($"{bdf} context entry", "intel-vtd/ScalableModeContextEntry", DumpBytes.FromQwords(ctxLo, ctxHi, 0, 0), "debugfs prints the low 128 bits; bits 255:128 shown as zero"));
                var pasidEntry = DumpBytes.FromQwords(DumpBytes.Hex64(m.Groups[11].Value), DumpBytes.Hex64(m.Groups[10].Value), DumpBytes.Hex64(m.Groups[9].Value), 0, 0, 0, 0, 0);
                entries.Add(new DumpEntry($"{bdf} PASID {pasid} table entry", "intel-vtd/PasidTableEntry", pasidEntry, "debugfs prints words 2..0; words 7..3 shown as zero"));
            }
            else
            {
                skipped.Add(number, line);
            }
        }

        Flush();
        return blocks.ToImmutable();
    }

    [GeneratedRegex(@"^IOMMU (\S+): Root Table Address: 0x([0-9a-fA-F]+)\s*$")]
    private static partial Regex Title();

    [GeneratedRegex(@"^DMA Remapping is not enabled on (\S+)\s*$")]
    private static partial Regex NotEnabled();

    [GeneratedRegex(@"^B\.D\.F\s+Root_entry\s+Context_entry\s+PASID\s+PASID_table_entry\s*$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])\s+0x([0-9a-fA-F]{16}):0x([0-9a-fA-F]{16})\s+0x([0-9a-fA-F]{16}):0x([0-9a-fA-F]{16})\s+(-?\d+)\s+0x([0-9a-fA-F]{16}):0x([0-9a-fA-F]{16}):0x([0-9a-fA-F]{16})\s*$")]
    private static partial Regex Row();
}
