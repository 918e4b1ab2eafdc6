using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// A VT-d second-stage page table in host memory (the format of a paging domain and of a nest parent: GPA → HPA),
/// 4-level / 48-bit (PASID-entry AW = 2), with 4 KiB, 2 MiB and 1 GiB leaves. Every entry is written and read through
/// the generated <see cref="SecondStageDirectoryEntry"/>, <see cref="SecondStagePte"/>, <see cref="SecondStageLargePde"/>
/// and <see cref="SecondStageLargePdpe"/>.
/// </summary>
public sealed class VtdSecondStageTable : IPageTable
{
    /// <summary>Address width in bits (AW = 2).</summary>
    public const int AddressWidth = 48;

    private const ulong Entries = 512;
    private readonly PhysicalMemory _memory;
    private readonly PageAllocator _allocator;
    private readonly bool _pages2M;
    private readonly bool _pages1G;

    /// <summary>Creates an empty table; <paramref name="pages2M"/>/<paramref name="pages1G"/> follow CAP.SLLPS.</summary>
    public VtdSecondStageTable(PhysicalMemory memory, PageAllocator allocator, bool pages2M, bool pages1G)
    {
        _memory = memory;
        _allocator = allocator;
        _pages2M = pages2M;
        _pages1G = pages1G;
        Root = allocator.Allocate(PhysicalMemory.PageSize);
    }

    /// <inheritdoc/>
    public ulong Root { get; }

    /// <inheritdoc/>
    public int Levels => 4;

    /// <summary>The PASID-entry AW value of this table.</summary>
    public SecondStageAddressWidth Aw => SecondStageAddressWidth.FourLevel;

    /// <inheritdoc/>
    public IommufdResult Map(ulong iova, ulong hpa, ulong length, Access permissions)
    {
        if (((iova | hpa | length) & 0xFFF) != 0 || length == 0 || iova + length - 1 < iova || iova + length - 1 >> AddressWidth != 0)
        {
            return Errno.EINVAL;
        }

        ulong done = 0;
        while (done < length)
        {
            var a = iova + done;
            var p = hpa + done;
            var left = length - done;
            var shift = 12;
            if (_pages1G && ((a | p) & ((1UL << 30) - 1)) == 0 && left >= 1UL << 30)
            {
                shift = 30;
            }
            else if (_pages2M && ((a | p) & ((1UL << 21) - 1)) == 0 && left >= 1UL << 21)
            {
                shift = 21;
            }

            var r = InstallLeaf(a, p, shift, permissions);
            if (!r.IsOk)
            {
                Unmap(iova, done);
                return r;
            }

            done += 1UL << shift;
        }

        return IommufdResult.Ok;
    }

    /// <inheritdoc/>
    public ulong Unmap(ulong iova, ulong length)
    {
        ulong removed = 0;
        var end = iova + length;
        var a = iova;
        while (a < end && a >= iova)
        {
            var table = Root;
            var advanced = false;
            for (var level = Levels; level >= 1; level--)
            {
                var shift = LevelShift(level);
                var entryAddress = table + (IndexAt(level, a) * 8);
                if (!_memory.TryReadUInt64(entryAddress, out var word) || (word & 3) == 0)
                {
                    // nothing mapped under this entry: skip to the next boundary of its size
                    a = (a & ~((1UL << shift) - 1)) + (1UL << shift);
                    advanced = true;
                    break;
                }

                var dir = IntelFormatIo.FromWord<SecondStageDirectoryEntry>(word);
                var isLeaf = level == 1 || dir.Ps;
                if (!isLeaf)
                {
                    table = dir.Addr;
                    continue;
                }

                var size = 1UL << shift;
                var baseAddr = a & ~(size - 1);
                if (baseAddr >= iova && baseAddr + size - 1 <= end - 1)
                {
                    _memory.TryWriteUInt64(entryAddress, 0);
                    removed += size;
                    a = baseAddr + size;
                    advanced = true;
                    break;
                }

                // the range covers part of a large leaf: split it into the next level and retry
                if (!Split(entryAddress, level, word))
                {
                    a = baseAddr + size;
                    advanced = true;
                    break;
                }

                table = IntelFormatIo.FromWord<SecondStageDirectoryEntry>(_memory.TryReadUInt64(entryAddress, out var w2) ? w2 : 0).Addr;
            }

            if (!advanced)
            {
                break;
            }
        }

        return removed;
    }

    /// <inheritdoc/>
    public TranslationResult Walk(ulong iova, Access access, Action<WalkStep>? trace = null)
    {
        var l = Lookup(iova, trace);
        var code = l.Status switch
        {
            SecondStageStatus.BeyondWidth => FaultReason.SmSecondStageAddressBeyondMax,
            SecondStageStatus.AccessError => FaultReason.SmSecondStageEntryAccessError,
            SecondStageStatus.NotPresent => FaultReason.SmSecondStagePermission,
            SecondStageStatus.Reserved => FaultReason.SmSecondStageEntryReserved,
            _ => (access & Access.Write) != 0 && (l.Permissions & Access.Write) == 0 ? FaultReason.SmNoWrite
                : (access & Access.Read) != 0 && (l.Permissions & Access.Read) == 0 ? FaultReason.SmNoRead
                : (FaultReason)0,
        };
        if (code == 0)
        {
            return TranslationResult.Success(l.Hpa, l.PageShift, l.Permissions);
        }

        var kind = l.Status switch
        {
            SecondStageStatus.BeyondWidth => FaultKind.AddressSize,
            SecondStageStatus.AccessError => FaultKind.ExternalAbort,
            SecondStageStatus.Reserved => FaultKind.BadConfig,
            SecondStageStatus.NotPresent => FaultKind.NotPresent,
            _ => FaultKind.Permission,
        };
        return TranslationResult.Failed(new TranslationFault(TranslationStage.Stage2, kind, iova, null, iova, l.Level, code.ToString(), $"second stage: {l.Status}"));
    }

    /// <summary>Walks the table for <paramref name="gpa"/>; <paramref name="trace"/> receives every entry read.</summary>
    internal SecondStageLookup Lookup(ulong gpa, Action<WalkStep>? trace) => Lookup(_memory, Root, _pages2M, _pages1G, gpa, trace);

    /// <summary>
    /// Walks a 4-level second-stage table rooted at <paramref name="root"/> in <paramref name="memory"/> for
    /// <paramref name="gpa"/>, as the hardware does from a PASID entry's SLPTPTR.
    /// </summary>
    internal static SecondStageLookup Lookup(PhysicalMemory memory, ulong root, bool pages2M, bool pages1G, ulong gpa, Action<WalkStep>? trace)
    {
        const int levels = 4;
        if (gpa >> AddressWidth != 0)
        {
            return new SecondStageLookup(SecondStageStatus.BeyondWidth, levels, 0, 0, Access.None);
        }

        var table = root;
        for (var level = levels; level >= 1; level--)
        {
            var entryAddress = table + (IndexAt(level, gpa) * 8);
            if (!memory.TryReadUInt64(entryAddress, out var word))
            {
                return new SecondStageLookup(SecondStageStatus.AccessError, level, 0, 0, Access.None);
            }

            if ((word & 3) == 0)
            {
                Emit(trace, level, entryAddress, word, leaf: level == 1);
                return new SecondStageLookup(SecondStageStatus.NotPresent, level, 0, 0, Access.None);
            }

            var dir = IntelFormatIo.FromWord<SecondStageDirectoryEntry>(word);
            if (level > 1 && !dir.Ps)
            {
                Emit(trace, level, entryAddress, word, leaf: false);
                if (dir.HasReservedBitsSet)
                {
                    return new SecondStageLookup(SecondStageStatus.Reserved, level, 0, 0, Access.None);
                }

                table = dir.Addr;
                continue;
            }

            Emit(trace, level, entryAddress, word, leaf: true);
            switch (level)
            {
                case 1:
                    {
                        var pte = IntelFormatIo.FromWord<SecondStagePte>(word);
                        return Leaf(pte.HasReservedBitsSet, level, pte.Addr | (gpa & 0xFFF), 12, pte.R, pte.W);
                    }

                case 2:
                    {
                        var pde = IntelFormatIo.FromWord<SecondStageLargePde>(word);
                        return Leaf(pde.HasReservedBitsSet || !pages2M, level, pde.Addr | (gpa & ((1UL << 21) - 1)), 21, pde.R, pde.W);
                    }

                case 3:
                    {
                        var pdpe = IntelFormatIo.FromWord<SecondStageLargePdpe>(word);
                        return Leaf(pdpe.HasReservedBitsSet || !pages1G, level, pdpe.Addr | (gpa & ((1UL << 30) - 1)), 30, pdpe.R, pdpe.W);
                    }

                default:
                    // PS is reserved at SS-PML4E
                    return new SecondStageLookup(SecondStageStatus.Reserved, level, 0, 0, Access.None);
            }
        }

        return new SecondStageLookup(SecondStageStatus.NotPresent, 1, 0, 0, Access.None);
    }

    private static SecondStageLookup Leaf(bool reserved, int level, ulong hpa, int shift, bool r, bool w) =>
        reserved
            ? new SecondStageLookup(SecondStageStatus.Reserved, level, 0, 0, Access.None)
            : new SecondStageLookup(SecondStageStatus.Mapped, level, hpa, shift, (r ? Access.Read : Access.None) | (w ? Access.Write : Access.None));

    private static int LevelShift(int level) => 12 + (9 * (level - 1));

    private static ulong IndexAt(int level, ulong address) => level switch
    {
        5 => SecondStagePml5Table.Index(address),
        4 => SecondStagePml4Table.Index(address),
        3 => SecondStagePdpTable.Index(address),
        2 => SecondStagePageDirectoryTable.Index(address),
        _ => SecondStagePageTable.Index(address),
    };

    private static ulong LeafWord(int level, ulong hpa, Access permissions)
    {
        var r = (permissions & Access.Read) != 0;
        var w = (permissions & Access.Write) != 0;
        return level switch
        {
            1 => SecondStagePte.Create().WithR(r).WithW(w).WithAddr(hpa).GetWord(0),
            2 => SecondStageLargePde.Create().WithR(r).WithW(w).WithAddr(hpa).GetWord(0),
            _ => SecondStageLargePdpe.Create().WithR(r).WithW(w).WithAddr(hpa).GetWord(0),
        };
    }

    private static void Emit(Action<WalkStep>? trace, int level, ulong address, ulong word, bool leaf)
    {
        if (trace is null)
        {
            return;
        }

        var dir = IntelFormatIo.FromWord<SecondStageDirectoryEntry>(word);
        string text;
        string format;
        if (!leaf || (word & 3) == 0)
        {
            (format, text) = ("intel-vtd/SecondStageDirectoryEntry", dir.ToString());
        }
        else if (level == 1)
        {
            (format, text) = ("intel-vtd/SecondStagePte", IntelFormatIo.FromWord<SecondStagePte>(word).ToString());
        }
        else if (level == 2)
        {
            (format, text) = ("intel-vtd/SecondStageLargePde", IntelFormatIo.FromWord<SecondStageLargePde>(word).ToString());
        }
        else
        {
            (format, text) = ("intel-vtd/SecondStageLargePdpe", IntelFormatIo.FromWord<SecondStageLargePdpe>(word).ToString());
        }

        trace(new WalkStep(TranslationStage.Stage2, level, address, format, text));
    }

    private IommufdResult InstallLeaf(ulong iova, ulong hpa, int shift, Access permissions)
    {
        var leafLevel = ((shift - 12) / 9) + 1;
        var table = Root;
        for (var level = Levels; level > leafLevel; level--)
        {
            var entryAddress = table + (IndexAt(level, iova) * 8);
            _memory.TryReadUInt64(entryAddress, out var word);
            if ((word & 3) == 0)
            {
                var next = _allocator.TryAllocate(PhysicalMemory.PageSize);
                if (next is null)
                {
                    return Errno.ENOMEM;
                }

                word = SecondStageDirectoryEntry.Create().WithR(true).WithW(true).WithAddr(next.Value).GetWord(0);
                _memory.TryWriteUInt64(entryAddress, word);
            }

            var dir = IntelFormatIo.FromWord<SecondStageDirectoryEntry>(word);
            if (dir.Ps)
            {
                return Errno.EEXIST;
            }

            table = dir.Addr;
        }

        var leafAddress = table + (IndexAt(leafLevel, iova) * 8);
        _memory.TryReadUInt64(leafAddress, out var existing);
        if ((existing & 3) != 0)
        {
            return Errno.EEXIST;
        }

        _memory.TryWriteUInt64(leafAddress, LeafWord(leafLevel, hpa, permissions));
        return IommufdResult.Ok;
    }

    private bool Split(ulong entryAddress, int level, ulong word)
    {
        var next = _allocator.TryAllocate(PhysicalMemory.PageSize);
        if (next is null)
        {
            return false;
        }

        ulong baseHpa;
        bool r;
        bool w;
        if (level == 2)
        {
            var pde = IntelFormatIo.FromWord<SecondStageLargePde>(word);
            (baseHpa, r, w) = (pde.Addr, pde.R, pde.W);
        }
        else
        {
            var pdpe = IntelFormatIo.FromWord<SecondStageLargePdpe>(word);
            (baseHpa, r, w) = (pdpe.Addr, pdpe.R, pdpe.W);
        }

        var perms = (r ? Access.Read : Access.None) | (w ? Access.Write : Access.None);
        var childShift = LevelShift(level - 1);
        for (ulong i = 0; i < Entries; i++)
        {
            _memory.TryWriteUInt64(next.Value + (i * 8), LeafWord(level - 1, baseHpa + (i << childShift), perms));
        }

        _memory.TryWriteUInt64(entryAddress, SecondStageDirectoryEntry.Create().WithR(true).WithW(true).WithAddr(next.Value).GetWord(0));
        return true;
    }
}
