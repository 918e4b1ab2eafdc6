using System.Collections.Immutable;
using System.Linq;

namespace HwSpecGen.Cli.Input;

/// <summary>The Linux debugfs dumps <c>hwspec decode --debugfs</c> reads.</summary>
public static class DebugfsDumps
{
    /// <summary>Kinds accepted by <c>--debugfs</c>, with the file each one comes from.</summary>
    public static readonly ImmutableArray<(string Kind, string File)> Kinds =
    [
        ("intel-qi", "/sys/kernel/debug/iommu/intel/invalidation_queue"),
        ("intel-dmar-translation", "/sys/kernel/debug/iommu/intel/dmar_translation_struct"),
        ("amd-cmdbuf", "/sys/kernel/debug/iommu/amd/iommu00/cmdbuf"),
        ("amd-devtbl", "/sys/kernel/debug/iommu/amd/devtbl"),
    ];

    /// <summary>Parses <paramref name="text"/> as a dump of kind <paramref name="kind"/>; a usage error if it holds no entry.</summary>
    public static ImmutableArray<DumpBlock> Parse(string kind, string text)
    {
        var blocks = kind switch
        {
            "intel-qi" => IntelQiDump.Parse(text),
            "intel-dmar-translation" => IntelTranslationDump.Parse(text),
            "amd-cmdbuf" => AmdCmdBufDump.Parse(text),
            "amd-devtbl" => AmdDevTblDump.Parse(text),
            _ => throw new UsageException($"unknown --debugfs kind '{kind}'; one of: {string.Join(", ", Kinds.Select(k => k.Kind))}"),
        };
        if (blocks.All(b => b.Entries.IsEmpty))
        {
            var file = Kinds.First(k => k.Kind == kind).File;
            var why = blocks.SelectMany(b => b.Notes).FirstOrDefault();
            throw new UsageException($"no {kind} entries found; expected the text of {file}" + (why is null ? string.Empty : $" ({why})"));
        }

        return blocks;
    }
}
