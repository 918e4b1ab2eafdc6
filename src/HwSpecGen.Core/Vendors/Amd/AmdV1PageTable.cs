using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// An AMD v1 ("host") I/O page table in host memory: the nest parent's stage 2 (GPA → HPA) and the table of plain paging
/// domains. Every entry is written and read through the generated <see cref="HostPageTableEntry"/>; the geometry comes from
/// the generated <c>HostPageTableLevelNTable</c> helpers. Mappings use 1 GiB (level 3), 2 MiB (level 2) and 4 KiB
/// (level 1) leaves with NextLevel = 0, the largest the alignment of IOVA, HPA and length allows; table entries carry
/// IR = IW = 1 and permissions live in the leaf, as Linux <c>amdv1pt_install_table</c>/<c>install_leaf_entry</c> write them.
/// </summary>
public sealed class AmdV1PageTable : IPageTable
{
    private readonly PhysicalMemory _memory;
    private readonly PageAllocator _allocator;

    /// <summary>Creates an empty table of <paramref name="levels"/> levels (DTE Mode; 3–6) with its root allocated from <paramref name="allocator"/>.</summary>
    public AmdV1PageTable(PhysicalMemory memory, PageAllocator allocator, int levels = 4)
    {
        if (levels is < 3 or > 6)
        {
            throw new ArgumentOutOfRangeException(nameof(levels), "the model builds 3- to 6-level v1 tables");
        }

        _memory = memory;
        _allocator = allocator;
        Levels = levels;
        Root = allocator.Allocate(PhysicalMemory.PageSize);
    }

    /// <inheritdoc/>
    public ulong Root { get; }

    /// <inheritdoc/>
    public int Levels { get; }

    /// <summary>The DTE Mode that selects this table's depth.</summary>
    public DteMode Mode => (DteMode)(ulong)Levels;

    /// <summary>Number of table pages allocated (root included).</summary>
    public int TablePages { get; private set; } = 1;

    /// <summary>Largest IOVA the table can translate (exclusive bound), from its depth.</summary>
    public ulong Limit => AmdTableGeometry.HostInputLimit(Levels);

    /// <inheritdoc/>
    public IommufdResult Map(ulong iova, ulong hpa, ulong length, Access permissions)
    {
        const ulong page = PhysicalMemory.PageSize;
        if (length == 0 || ((iova | hpa | length) & (page - 1)) != 0 || iova + length - 1 < iova || (Limit != 0 && iova + length - 1 >= Limit))
        {
            return Errno.EINVAL;
        }

        ulong done = 0;
        while (done < length)
        {
            var level = LeafLevelFor(iova + done, hpa + done, length - done);
            var r = MapOne(iova + done, hpa + done, level, permissions);
            if (!r.IsOk)
            {
                Unmap(iova, done); // a failed call changes nothing
                return r;
            }

            done += 1UL << AmdTableGeometry.HostLevelShift(level);
        }

        return IommufdResult.Ok;
    }

    /// <inheritdoc/>
    public ulong Unmap(ulong iova, ulong length)
    {
        if (length == 0)
        {
            return 0;
        }

        ulong unmapped = 0;
        var at = iova;
        var end = iova + length - 1;
        while (at <= end)
        {
            var table = Root;
            var level = Levels;
            ulong next;
            while (true)
            {
                var slot = table + AmdTableGeometry.HostOffset(level, at);
                var entry = ReadEntry(slot);
                var size = 1UL << AmdTableGeometry.HostLevelShift(level);
                if (!entry.Pr)
                {
                    next = (at & ~(size - 1)) + size;
                    break;
                }

                if (IsLeaf(entry))
                {
                    var leafSize = LeafSize(entry, level);
                    WriteEntry(slot, HostPageTableEntry.Create());
                    unmapped += leafSize;
                    next = (at & ~(leafSize - 1)) + leafSize;
                    break;
                }

                var down = (int)(ulong)entry.NextLevel;
                if (down >= level)
                {
                    next = (at & ~(size - 1)) + size; // not a table this class writes: skip it
                    break;
                }

                table = entry.Address;
                level = down;
            }

            if (next <= at)
            {
                break; // wrapped past the top of the address space
            }

            at = next;
        }

        return unmapped;
    }

    /// <inheritdoc/>
    public TranslationResult Walk(ulong iova, Access access, Action<WalkStep>? trace = null) =>
        Walk(_memory, Root, Levels, Access.ReadWrite, iova, access, iova, null, trace);

    /// <summary>
    /// The hardware walk of a v1 table in memory, from <paramref name="root"/> with <paramref name="levels"/> levels (DTE
    /// Mode): IR/IW are ANDed over the DTE (<paramref name="dtePermissions"/>) and every level, NextLevel 1–6 descends (levels may
    /// be skipped), NextLevel 0 is a leaf of the level's natural size and 7 a leaf whose size is encoded in its address. A
    /// fault is a stage-2 fault with the AMD code (IO_PAGE_FAULT, or PAGE_TAB_HARDWARE_ERROR when a table is not backed).
    /// </summary>
    /// <param name="memory">Host memory.</param>
    /// <param name="root">Host physical address of the root table.</param>
    /// <param name="levels">DTE Mode.</param>
    /// <param name="dtePermissions">DTE IR/IW.</param>
    /// <param name="address">The address to translate (an IOVA, or a GPA of a nested walk).</param>
    /// <param name="access">What the request wants.</param>
    /// <param name="requestIova">The IOVA of the DMA request (for the fault record).</param>
    /// <param name="pasid">The PASID of the request (for the fault record).</param>
    /// <param name="trace">Receives every entry read.</param>
    public static TranslationResult Walk(PhysicalMemory memory, ulong root, int levels, Access dtePermissions, ulong address, Access access, ulong requestIova, uint? pasid, Action<WalkStep>? trace)
    {
        var limit = AmdTableGeometry.HostInputLimit(levels);
        if (levels is < 1 or > 6 || (limit != 0 && address >= limit))
        {
            return Fault(FaultKind.AddressSize, requestIova, pasid, address, levels, AmdIommu.IoPageFaultCode, $"0x{address:X} is beyond the {levels}-level host table");
        }

        var perms = dtePermissions & Access.ReadWrite;
        var table = root;
        var level = levels;
        Span<byte> buffer = stackalloc byte[HostPageTableEntry.SizeBytes];
        while (true)
        {
            var slot = table + AmdTableGeometry.HostOffset(level, address);
            if (!memory.TryRead(slot, buffer))
            {
                return Fault(FaultKind.ExternalAbort, requestIova, pasid, slot, level, AmdIommu.PageTabHardwareErrorCode, $"host table entry at HPA 0x{slot:X} is not backed");
            }

            var entry = HostPageTableEntry.Read(buffer);
            trace?.Invoke(new WalkStep(TranslationStage.Stage2, level, slot, "amd-vi/HostPageTableEntry", entry.ToString()));
            if (!entry.Pr)
            {
                return Fault(FaultKind.NotPresent, requestIova, pasid, address, level, AmdIommu.IoPageFaultCode, $"stage 2: no v1 entry for 0x{address:X} at level {level}");
            }

            perms &= (entry.Ir ? Access.Read : Access.None) | (entry.Iw ? Access.Write : Access.None);
            if (IsLeaf(entry))
            {
                if (level > 3 && entry.NextLevel == PteNextLevel.Leaf)
                {
                    return Fault(FaultKind.BadConfig, requestIova, pasid, address, level, AmdIommu.IoPageFaultCode, $"stage 2: a leaf at level {level} (512 GiB and larger pages are not used)");
                }

                var size = LeafSize(entry, level);
                var want = access & Access.ReadWrite;
                if ((perms & want) != want)
                {
                    return Fault(FaultKind.Permission, requestIova, pasid, address, level, AmdIommu.IoPageFaultCode, $"stage 2: {want} not allowed at 0x{address:X} (IR/IW give {perms})");
                }

                var hpa = (entry.Address & ~(size - 1)) | (address & (size - 1));
                return TranslationResult.Success(hpa, System.Numerics.BitOperations.TrailingZeroCount(size), perms);
            }

            var next = (int)(ulong)entry.NextLevel;
            if (next >= level)
            {
                return Fault(FaultKind.BadConfig, requestIova, pasid, address, level, AmdIommu.IoPageFaultCode, $"stage 2: NextLevel {next} at level {level} does not descend");
            }

            table = entry.Address;
            level = next;
        }
    }

    private static TranslationResult Fault(FaultKind kind, ulong iova, uint? pasid, ulong address, int level, string code, string detail) =>
        TranslationResult.Failed(new TranslationFault(TranslationStage.Stage2, kind, iova, pasid, address, level, code, detail));

    private static bool IsLeaf(HostPageTableEntry entry) => entry.NextLevel is PteNextLevel.Leaf or PteNextLevel.SizeEncoded;

    private static ulong LeafSize(HostPageTableEntry entry, int level)
    {
        if (entry.NextLevel != PteNextLevel.SizeEncoded)
        {
            return 1UL << AmdTableGeometry.HostLevelShift(level);
        }

        // NextLevel 7: the page is 2^(z+1) bytes, z = first zero address bit at or above bit 12 (Linux PTE_PAGE_SIZE,
        // QEMU PTE_LARGE_PAGE_SIZE).
        var z = System.Numerics.BitOperations.TrailingZeroCount(~(entry.Address | (PhysicalMemory.PageSize - 1)));
        return z >= 63 ? ulong.MaxValue : 1UL << (z + 1);
    }

    private int LeafLevelFor(ulong iova, ulong hpa, ulong remaining)
    {
        for (var level = Math.Min(3, Levels - 1); level > 1; level--)
        {
            var size = 1UL << AmdTableGeometry.HostLevelShift(level);
            if (((iova | hpa) & (size - 1)) == 0 && remaining >= size)
            {
                return level;
            }
        }

        return 1;
    }

    private IommufdResult MapOne(ulong iova, ulong hpa, int leafLevel, Access permissions)
    {
        var table = Root;
        for (var level = Levels; level > leafLevel; level--)
        {
            var slot = table + AmdTableGeometry.HostOffset(level, iova);
            var entry = ReadEntry(slot);
            if (entry.Pr && IsLeaf(entry))
            {
                return Errno.EEXIST;
            }

            if (!entry.Pr || (int)(ulong)entry.NextLevel != level - 1)
            {
                if (entry.Pr)
                {
                    return Errno.EEXIST; // a table that skips levels: never written by this class
                }

                var child = _allocator.TryAllocate(PhysicalMemory.PageSize);
                if (child is null)
                {
                    return Errno.ENOMEM;
                }

                TablePages++;
                entry = HostPageTableEntry.Create()
                    .WithPr(true)
                    .WithNextLevel((PteNextLevel)(ulong)(level - 1))
                    .WithAddress(child.Value)
                    .WithIr(true)
                    .WithIw(true);
                WriteEntry(slot, entry);
            }

            table = entry.Address;
        }

        var leafSlot = table + AmdTableGeometry.HostOffset(leafLevel, iova);
        var existing = ReadEntry(leafSlot);
        if (existing.Pr && IsLeaf(existing))
        {
            return Errno.EEXIST;
        }

        // A present table entry here only holds unmapped leaves (the IOAS refuses overlapping areas): the leaf replaces it.
        WriteEntry(leafSlot, HostPageTableEntry.Create()
            .WithPr(true)
            .WithNextLevel(PteNextLevel.Leaf)
            .WithAddress(hpa)
            .WithIr((permissions & Access.Read) != 0)
            .WithIw((permissions & Access.Write) != 0));
        return IommufdResult.Ok;
    }

    private HostPageTableEntry ReadEntry(ulong slot)
    {
        Span<byte> b = stackalloc byte[HostPageTableEntry.SizeBytes];
        return _memory.TryRead(slot, b) ? HostPageTableEntry.Read(b) : HostPageTableEntry.Create();
    }

    private void WriteEntry(ulong slot, HostPageTableEntry entry)
    {
        Span<byte> b = stackalloc byte[HostPageTableEntry.SizeBytes];
        entry.WriteTo(b);
        _memory.TryWrite(slot, b);
    }
}
