using System;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// A guest's own stage-1 I/O page table in guest memory, as a guest Linux io-pgtable-arm builds an ARM_64_LPAE_S1
/// table: VMSAv8-64, 4 KiB granule, 48-bit VA (CD.T0SZ = 16, four levels), 4 KiB pages and 2 MiB / 1 GiB blocks,
/// AP from the permissions (unprivileged access allowed, read-only without write), AF set, nG, inner-shareable. Every
/// entry is written with the generated <c>S1*Descriptor4K*</c> structs; table pointers are GPAs (IPAs).
/// </summary>
public sealed class SmmuV3GuestPageTable
{
    /// <summary>CD.T0SZ for this table.</summary>
    public const int T0sz = 16;

    private readonly GuestMemory _memory;
    private readonly GuestPageAllocator _allocator;

    /// <summary>Creates an empty table whose level-0 table is allocated from <paramref name="allocator"/>.</summary>
    public SmmuV3GuestPageTable(GuestMemory memory, GuestPageAllocator allocator)
    {
        _memory = memory;
        _allocator = allocator;
        Root = allocator.Allocate(PhysicalMemory.PageSize);
    }

    /// <summary>GPA of the level-0 table (CD.TTB0).</summary>
    public ulong Root { get; }

    /// <summary>Maps [va, va+length) to IPAs [ipa, …) with the largest pages alignment allows (<paramref name="largePages"/> false: 4 KiB only).</summary>
    public void Map(ulong va, ulong ipa, ulong length, Access permissions, bool largePages = true)
    {
        var done = 0UL;
        while (done < length)
        {
            var shift = 12;
            if (largePages)
            {
                foreach (var candidate in (ReadOnlySpan<int>)[30, 21])
                {
                    var size = 1UL << candidate;
                    if ((((va + done) | (ipa + done)) & (size - 1)) == 0 && length - done >= size)
                    {
                        shift = candidate;
                        break;
                    }
                }
            }

            var slot = Slot(va + done, 3 - ((shift - 12) / 9), create: true);
            WriteLeaf(slot, 3 - ((shift - 12) / 9), ipa + done, permissions, af: true);
            done += 1UL << shift;
        }
    }

    /// <summary>The guest clearing the leaf entries of [va, va+length) — without any invalidation (that is the guest's next step).</summary>
    public void Unmap(ulong va, ulong length)
    {
        var at = va;
        while (at < va + length)
        {
            var (slot, level) = Leaf(at);
            if (slot == 0)
            {
                at += PhysicalMemory.PageSize;
                continue;
            }

            _memory.TryWriteUInt64(slot, 0);
            at = (at & ~((1UL << SmmuV3Descriptor.LevelShift(level)) - 1)) + (1UL << SmmuV3Descriptor.LevelShift(level));
        }
    }

    /// <summary>Rewrites the 4 KiB leaf of <paramref name="va"/> to point at <paramref name="ipa"/> (e.g. a page migrated by the guest), again without invalidation.</summary>
    public void Remap(ulong va, ulong ipa, Access permissions, bool af = true)
    {
        var slot = Slot(va, 3, create: true);
        WriteLeaf(slot, 3, ipa, permissions, af);
    }

    /// <summary>The GPA of the entry mapping <paramref name="va"/> at its leaf level, or 0 when nothing maps it.</summary>
    public (ulong Slot, int Level) Leaf(ulong va)
    {
        var table = Root;
        Span<byte> b = stackalloc byte[8];
        for (var level = 0; level <= 3; level++)
        {
            var slot = table + SmmuV3Stage2Table.LevelOffset(level, va);
            if (!_memory.TryRead(slot, b))
            {
                return (0, level);
            }

            var d = SmmuV3Descriptor.Stage1(b, level);
            switch (d.Kind)
            {
                case DescriptorKind.Table:
                    table = d.NextTable;
                    continue;
                case DescriptorKind.Invalid:
                    return (0, level);
                default:
                    return (slot, level);
            }
        }

        return (0, 3);
    }

    private ulong Slot(ulong va, int leafLevel, bool create)
    {
        var table = Root;
        Span<byte> b = stackalloc byte[8];
        for (var level = 0; level < leafLevel; level++)
        {
            var slot = table + SmmuV3Stage2Table.LevelOffset(level, va);
            _memory.TryRead(slot, b);
            var d = SmmuV3Descriptor.Stage1(b, level);
            if (d.Kind == DescriptorKind.Table)
            {
                table = d.NextTable;
                continue;
            }

            if (!create)
            {
                return 0;
            }

            var next = _allocator.Allocate(PhysicalMemory.PageSize);
            S1TableDescriptor4K.Create().WithNextTableAddress(next).WriteTo(b);
            _memory.TryWrite(slot, b);
            table = next;
        }

        return table + SmmuV3Stage2Table.LevelOffset(leafLevel, va);
    }

    private void WriteLeaf(ulong slot, int level, ulong ipa, Access permissions, bool af)
    {
        var ap = (permissions & Access.Write) != 0 ? S1AccessPermission.ReadWrite : S1AccessPermission.ReadOnly;
        var xn = (permissions & Access.Execute) == 0;
        Span<byte> b = stackalloc byte[8];
        switch (level)
        {
            case 1:
                S1BlockDescriptor4KLevel1.Create().WithOutputAddress(ipa).WithAp(ap).WithAf(af).WithNg(true).WithSh(Shareability.InnerShareable).WithUxn(xn).WithPxn(xn).WriteTo(b);
                break;
            case 2:
                S1BlockDescriptor4KLevel2.Create().WithOutputAddress(ipa).WithAp(ap).WithAf(af).WithNg(true).WithSh(Shareability.InnerShareable).WithUxn(xn).WithPxn(xn).WriteTo(b);
                break;
            default:
                S1PageDescriptor4K.Create().WithOutputAddress(ipa).WithAp(ap).WithAf(af).WithNg(true).WithSh(Shareability.InnerShareable).WithUxn(xn).WithPxn(xn).WriteTo(b);
                break;
        }

        _memory.TryWrite(slot, b);
    }
}
