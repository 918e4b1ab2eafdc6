using System;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// What a guest's IOMMU driver does with its first-stage (x86-64 format) I/O page tables: they live in guest memory and
/// every entry is written with the generated <see cref="FirstStageDirectoryEntry"/>, <see cref="FirstStagePte"/>,
/// <see cref="FirstStageLargePde"/> and <see cref="FirstStageLargePdpe"/> encoders. Table pointers are GPAs.
/// </summary>
public sealed class IntelGuestPageTableBuilder
{
    private readonly GuestMemory _memory;
    private readonly GuestPageAllocator _allocator;

    /// <summary>Creates an empty table with <paramref name="levels"/> levels (4 or 5) in <paramref name="memory"/>.</summary>
    public IntelGuestPageTableBuilder(GuestMemory memory, GuestPageAllocator allocator, int levels = 4)
    {
        if (levels is not (4 or 5))
        {
            throw new ArgumentOutOfRangeException(nameof(levels));
        }

        _memory = memory;
        _allocator = allocator;
        Levels = levels;
        Root = allocator.Allocate(PhysicalMemory.PageSize);
    }

    /// <summary>GPA of the top-level table (what goes into the PASID entry's FSPTPTR / <c>pgtbl_addr</c>).</summary>
    public ulong Root { get; }

    /// <summary>4 or 5.</summary>
    public int Levels { get; }

    /// <summary>The <c>addr_width</c> for <c>iommu_hwpt_vtd_s1</c>.</summary>
    public uint AddressWidth => Levels == 5 ? IntelUapi.AddrWidth5Level : IntelUapi.AddrWidth4Level;

    /// <summary>Maps one page of 2^<paramref name="pageShift"/> bytes (12, 21 or 30) at <paramref name="iova"/> to <paramref name="gpa"/>.</summary>
    public void Map(ulong iova, ulong gpa, bool writable = true, int pageShift = 12, bool user = true)
    {
        var leafLevel = pageShift switch
        {
            12 => 1,
            21 => 2,
            30 => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(pageShift)),
        };
        var table = Root;
        for (var level = Levels; level > leafLevel; level--)
        {
            var at = table + (Index(level, iova) * 8);
            IntelFormatIo.TryRead(_memory, at, out FirstStageDirectoryEntry dir);
            if (!dir.P)
            {
                dir = FirstStageDirectoryEntry.Create().WithP(true).WithRw(true).WithUs(true).WithAddr(_allocator.Allocate(PhysicalMemory.PageSize));
                IntelFormatIo.TryWrite(_memory, at, dir);
            }

            table = dir.Addr;
        }

        var leafAt = table + (Index(leafLevel, iova) * 8);
        switch (leafLevel)
        {
            case 1:
                IntelFormatIo.TryWrite(_memory, leafAt, FirstStagePte.Create().WithP(true).WithRw(writable).WithUs(user).WithAddr(gpa));
                break;
            case 2:
                IntelFormatIo.TryWrite(_memory, leafAt, FirstStageLargePde.Create().WithP(true).WithRw(writable).WithUs(user).WithAddr(gpa));
                break;
            default:
                IntelFormatIo.TryWrite(_memory, leafAt, FirstStageLargePdpe.Create().WithP(true).WithRw(writable).WithUs(user).WithAddr(gpa));
                break;
        }
    }

    /// <summary>Clears the leaf that maps <paramref name="iova"/> (P = 0), as a guest unmap does; returns false when nothing was mapped.</summary>
    public bool Unmap(ulong iova) => TryLeaf(iova, out var at, out _) && IntelFormatIo.TryWrite(_memory, at, FirstStagePte.Create());

    /// <summary>Rewrites the leaf that maps <paramref name="iova"/> with a raw word (for tests that corrupt entries).</summary>
    public bool WriteLeafWord(ulong iova, ulong word)
    {
        if (!TryLeaf(iova, out var at, out _))
        {
            return false;
        }

        return _memory.TryWriteUInt64(at, word);
    }

    /// <summary>The raw leaf word mapping <paramref name="iova"/> (A/D bits as the hardware left them).</summary>
    public ulong ReadLeafWord(ulong iova) => TryLeaf(iova, out var at, out _) && _memory.TryReadUInt64(at, out var w) ? w : 0;

    /// <summary>Finds the GPA of the entry that maps <paramref name="iova"/> (a 4 KiB PTE or a large leaf).</summary>
    public bool TryLeaf(ulong iova, out ulong entryGpa, out int level)
    {
        var table = Root;
        for (level = Levels; level >= 1; level--)
        {
            entryGpa = table + (Index(level, iova) * 8);
            if (!IntelFormatIo.TryRead(_memory, entryGpa, out FirstStageDirectoryEntry dir) || !dir.P)
            {
                return false;
            }

            if (level == 1 || dir.Ps)
            {
                return true;
            }

            table = dir.Addr;
        }

        entryGpa = 0;
        return false;
    }

    private static ulong Index(int level, ulong iova) => level switch
    {
        5 => FirstStagePml5Table.Index(iova),
        4 => FirstStagePml4Table.Index(iova),
        3 => FirstStagePdpTable.Index(iova),
        2 => FirstStagePageDirectoryTable.Index(iova),
        _ => FirstStagePageTable.Index(iova),
    };
}
