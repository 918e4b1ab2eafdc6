using System;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// What the guest OS does: a GCR3 table in guest memory (GLX + 1 levels of 512 <see cref="Gcr3Entry"/>), PASID → guest CR3,
/// written as Linux <c>__get_gcr3_pte</c>/<c>update_gcr3</c> write it (address | GCR3_VALID).
/// </summary>
public sealed class AmdGcr3Table
{
    private readonly GuestMemory _memory;
    private readonly GuestPageAllocator _allocator;

    /// <summary>Creates an empty GCR3 table with <paramref name="glx"/> + 1 levels (GLX 0–2).</summary>
    public AmdGcr3Table(GuestMemory memory, GuestPageAllocator allocator, int glx = 0)
    {
        if (glx is < 0 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(glx));
        }

        _memory = memory;
        _allocator = allocator;
        Glx = glx;
        RootGpa = allocator.Allocate(PhysicalMemory.PageSize);
    }

    /// <summary>GPA of the top level (the DTE's GCR3 table root pointer).</summary>
    public ulong RootGpa { get; }

    /// <summary>DTE GLX: levels − 1.</summary>
    public int Glx { get; }

    /// <summary>Points <paramref name="pasid"/> at the guest page table whose root is <paramref name="cr3Gpa"/> (no invalidation).</summary>
    public void Set(uint pasid, ulong cr3Gpa) => Write(LeafGpa(pasid, allocate: true), Gcr3Entry.Create().WithValid(true).WithAddress(cr3Gpa));

    /// <summary>Clears the entry of <paramref name="pasid"/> (no invalidation).</summary>
    public void Clear(uint pasid)
    {
        var gpa = LeafGpa(pasid, allocate: false);
        if (gpa != 0)
        {
            Write(gpa, Gcr3Entry.Create());
        }
    }

    private ulong LeafGpa(uint pasid, bool allocate)
    {
        var table = RootGpa;
        for (var level = Glx; level > 0; level--)
        {
            var slot = table + AmdTableGeometry.Gcr3Offset(level, pasid);
            var entry = Read(slot);
            if (!entry.Valid)
            {
                if (!allocate)
                {
                    return 0;
                }

                entry = Gcr3Entry.Create().WithValid(true).WithAddress(_allocator.Allocate(PhysicalMemory.PageSize));
                Write(slot, entry);
            }

            table = entry.Address;
        }

        return table + AmdTableGeometry.Gcr3Offset(0, pasid);
    }

    private Gcr3Entry Read(ulong gpa)
    {
        Span<byte> b = stackalloc byte[Gcr3Entry.SizeBytes];
        return _memory.TryRead(gpa, b) ? Gcr3Entry.Read(b) : Gcr3Entry.Create();
    }

    private void Write(ulong gpa, Gcr3Entry entry)
    {
        Span<byte> b = stackalloc byte[Gcr3Entry.SizeBytes];
        entry.WriteTo(b);
        if (!_memory.TryWrite(gpa, b))
        {
            throw new InvalidOperationException($"GPA 0x{gpa:X} is not guest RAM");
        }
    }
}
