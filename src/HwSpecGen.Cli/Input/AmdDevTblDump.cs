using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;

namespace HwSpecGen.Cli.Input;

/// <summary>
/// Reads <c>/sys/kernel/debug/iommu/amd/devtbl</c> (Linux drivers/iommu/amd/debugfs.c, <c>dump_dte</c>): a header
/// <c>DeviceId QWORD[3] QWORD[2] QWORD[1] QWORD[0] iommu</c>, then per device <c>ssss:bb:dd.f</c>, the four 64-bit
/// words of its device table entry most significant first, and <c>iommuN</c>. Several reads may be pasted together.
/// </summary>
public static partial class AmdDevTblDump
{
    /// <summary>Parses the dump.</summary>
    /// <param name="text">File contents.</param>
    /// <returns>One block with an entry per device.</returns>
    public static ImmutableArray<DumpBlock> Parse(string text)
    {
        var entries = ImmutableArray.CreateBuilder<DumpEntry>();
        var notes = new List<string>();
        var skipped = new SkippedLines();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            Match m;
            if (Header().IsMatch(line))
            {
                continue;
            }

            if ((m = Row().Match(line)).Success)
            {
                var bus = int.Parse(m.Groups[2].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                var slot = int.Parse(m.Groups[3].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                var func = int.Parse(m.Groups[4].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                var devid = (bus << 8) | (slot << 3) | func;
                var words = new[] { DumpBytes.Hex64(m.Groups[8].Value), DumpBytes.Hex64(m.Groups[7].Value), DumpBytes.Hex64(m.Groups[6].Value), DumpBytes.Hex64(m.Groups[5].Value) };
                var label = $"{m.Groups[1].Value}:{m.Groups[2].Value}:{m.Groups[3].Value}.{m.Groups[4].Value} (DeviceId 0x{devid:x4}) iommu{m.Groups[9].Value}";
                entries.Add(new DumpEntry(label, "amd-vi/DeviceTableEntry", DumpBytes.FromQwords(words), null));
            }
            else if (line.Contains("Enter a valid device ID", System.StringComparison.Ordinal))
            {
                notes.Add("the kernel printed no entry: write a device (e.g. 0000:00:14.0) to /sys/kernel/debug/iommu/amd/devid first");
            }
            else
            {
                skipped.Add(number, line);
            }
        }

        skipped.Report(notes);
        return [new DumpBlock("AMD-Vi device table", notes.ToImmutableArray(), entries.ToImmutable())];
    }

    [GeneratedRegex(@"^DeviceId\s+QWORD\[3\]\s+QWORD\[2\]\s+QWORD\[1\]\s+QWORD\[0\]\s+iommu\s*$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\.([0-7])\s+([0-9a-fA-F]{16})\s+([0-9a-fA-F]{16})\s+([0-9a-fA-F]{16})\s+([0-9a-fA-F]{16})\s+iommu(\d+)\s*$")]
    private static partial Regex Row();
}
