using System;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// What the guest OS does: a v2 (x86-64 format) I/O page table in guest memory, written with the generated
/// <see cref="GuestPageTableEntry"/>. Table entries are P|RW|US|A and leaves US|A (+RW|D when writable), as Linux
/// <c>x86_64_pt_install_table</c>/<c>x86_64_pt_iommu_set_prot</c> write them; 2 MiB and 1 GiB leaves carry PS. Changing an
/// entry here does not invalidate anything: the guest has to send the commands itself.
/// </summary>
public sealed class AmdGuestPageTable
{
    private readonly GuestMemory _memory;
    private readonly GuestPageAllocator _allocator;

    /// <summary>Creates an empty table of <paramref name="levels"/> levels (4 or 5) in guest memory.</summary>
    public AmdGuestPageTable(GuestMemory memory, GuestPageAllocator allocator, int levels = 4)
    {
        if (levels is not (4 or 5))
        {
            throw new ArgumentOutOfRangeException(nameof(levels), "guest paging is 4- or 5-level");
        }

        _memory = memory;
        _allocator = allocator;
        Levels = levels;
        RootGpa = allocator.Allocate(PhysicalMemory.PageSize);
    }

    /// <summary>GPA of the top-level table (the guest CR3 the GCR3 entry holds).</summary>
    public ulong RootGpa { get; }

    /// <summary>4 or 5.</summary>
    public int Levels { get; }

    /// <summary>The DTE guest paging mode of this table.</summary>
    public GuestPagingMode PagingMode => Levels == 5 ? GuestPagingMode.FiveLevel : GuestPagingMode.FourLevel;

    /// <summary>Maps [iova, +length) to guest-physical [gpa, …) with the largest pages alignment allows (1 GiB, 2 MiB, 4 KiB).</summary>
    public void Map(ulong iova, ulong gpa, ulong length, bool writable = true, bool user = true)
    {
        const ulong page = PhysicalMemory.PageSize;
        if (length == 0 || ((iova | gpa | length) & (page - 1)) != 0)
        {
            throw new ArgumentException("guest mappings are whole pages");
        }

        ulong done = 0;
        while (done < length)
        {
            var level = 1;
            for (var l = 3; l > 1; l--)
            {
                var size = 1UL << AmdTableGeometry.GuestLevelShift(l);
                if ((((iova + done) | (gpa + done)) & (size - 1)) == 0 && length - done >= size)
                {
                    level = l;
                    break;
                }
            }

            SetLeaf(iova + done, level, Leaf(gpa + done, level, writable, user));
            done += 1UL << AmdTableGeometry.GuestLevelShift(level);
        }
    }

    /// <summary>Clears the leaf that maps <paramref name="iova"/> (no invalidation); true when one was present.</summary>
    public bool Unmap(ulong iova)
    {
        if (!TryFindLeaf(iova, out var slot, out _, out _))
        {
            return false;
        }

        Write(slot, GuestPageTableEntry.Create());
        return true;
    }

    /// <summary>Points the leaf that maps <paramref name="iova"/> at another guest-physical page (no invalidation); true when a leaf was present.</summary>
    public bool Remap(ulong iova, ulong gpa, bool writable = true)
    {
        if (!TryFindLeaf(iova, out var slot, out var level, out var entry))
        {
            return false;
        }

        Write(slot, Leaf(gpa, level, writable, entry.Us));
        return true;
    }

    /// <summary>The leaf entry mapping <paramref name="iova"/>, its GPA and level.</summary>
    public bool TryFindLeaf(ulong iova, out ulong entryGpa, out int level, out GuestPageTableEntry entry)
    {
        var table = RootGpa;
        for (level = Levels; level >= 1; level--)
        {
            entryGpa = table + AmdTableGeometry.GuestOffset(level, iova);
            entry = Read(entryGpa);
            if (!entry.P)
            {
                return false;
            }

            if (level == 1 || entry.Ps)
            {
                return true;
            }

            table = entry.Address;
        }

        entryGpa = 0;
        entry = default;
        return false;
    }

    private static GuestPageTableEntry Leaf(ulong gpa, int level, bool writable, bool user) =>
        GuestPageTableEntry.Create()
            .WithP(true)
            .WithUs(user)
            .WithA(true)
            .WithRw(writable)
            .WithD(writable)
            .WithPs(level > 1)
            .WithAddress(gpa);

    private void SetLeaf(ulong iova, int leafLevel, GuestPageTableEntry leaf)
    {
        var table = RootGpa;
        for (var level = Levels; level > leafLevel; level--)
        {
            var slot = table + AmdTableGeometry.GuestOffset(level, iova);
            var entry = Read(slot);
            if (!entry.P || entry.Ps)
            {
                var child = _allocator.Allocate(PhysicalMemory.PageSize);
                entry = GuestPageTableEntry.Create().WithP(true).WithRw(true).WithUs(true).WithA(true).WithAddress(child);
                Write(slot, entry);
            }

            table = entry.Address;
        }

        Write(table + AmdTableGeometry.GuestOffset(leafLevel, iova), leaf);
    }

    private GuestPageTableEntry Read(ulong gpa)
    {
        Span<byte> b = stackalloc byte[GuestPageTableEntry.SizeBytes];
        return _memory.TryRead(gpa, b) ? GuestPageTableEntry.Read(b) : GuestPageTableEntry.Create();
    }

    private void Write(ulong gpa, GuestPageTableEntry entry)
    {
        Span<byte> b = stackalloc byte[GuestPageTableEntry.SizeBytes];
        entry.WriteTo(b);
        if (!_memory.TryWrite(gpa, b))
        {
            throw new InvalidOperationException($"GPA 0x{gpa:X} is not guest RAM");
        }
    }
}
