using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// A host stage-2 table (nest parent / S2 domain) in host memory: VMSAv8-64, 4 KiB granule, 48-bit IPA
/// (S2T0SZ = 16), four levels starting at level 0 (S2SL0 = 2), 1 GiB blocks at level 1 and 2 MiB blocks at level 2,
/// as Linux io-pgtable-arm builds an <c>ARM_64_LPAE_S2</c> table (S2AP from the IOMMU_READ/WRITE prot, AF set,
/// inner-shareable, MemAttr 0xF write-back). Every entry is written and read through the generated
/// <c>S2*Descriptor4K*</c> structs.
/// </summary>
public sealed class SmmuV3Stage2Table : IPageTable
{
    /// <summary>S2T0SZ this table is built for (48-bit IPA).</summary>
    public const int T0sz = 16;

    /// <summary>S2SL0 for a level-0 start with the 4 KiB granule.</summary>
    public const int Sl0 = 2;

    /// <summary>The output address size (S2PS) this table is built for, in bits.</summary>
    public const int OutputBits = 48;

    private const ulong MemAttrNormalWriteBack = 0xF;
    private readonly PhysicalMemory _memory;
    private readonly PageAllocator _allocator;

    /// <summary>Creates an empty table whose level-0 table is allocated from <paramref name="allocator"/>.</summary>
    public SmmuV3Stage2Table(PhysicalMemory memory, PageAllocator allocator)
    {
        _memory = memory;
        _allocator = allocator;
        Root = allocator.Allocate(PhysicalMemory.PageSize);
    }

    /// <inheritdoc/>
    public ulong Root { get; }

    /// <inheritdoc/>
    public int Levels => 4;

    /// <summary>The start level for an S2SL0 value with the 4 KiB granule (level = 2 - SL0).</summary>
    public static int StartLevel(ulong sl0) => 2 - (int)sl0;

    /// <inheritdoc/>
    public IommufdResult Map(ulong iova, ulong hpa, ulong length, Access permissions)
    {
        if (((iova | hpa | length) & (PhysicalMemory.PageSize - 1)) != 0 || length == 0 || iova + length - 1 >= 1UL << (64 - T0sz))
        {
            return Errno.EINVAL;
        }

        var ap = ToS2Ap(permissions);
        var done = 0UL;
        while (done < length)
        {
            var va = iova + done;
            var pa = hpa + done;
            var left = length - done;
            var shift = 12;
            foreach (var candidate in (ReadOnlySpan<int>)[30, 21])
            {
                var size = 1UL << candidate;
                if (((va | pa) & (size - 1)) == 0 && left >= size)
                {
                    shift = candidate;
                    break;
                }
            }

            var r = MapOne(va, pa, shift, ap);
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
        ulong unmapped = 0;
        var at = iova;
        var end = iova + length;
        Span<byte> b = stackalloc byte[8];
        while (at < end)
        {
            var table = Root;
            var level = 0;
            var step = 1UL << 12;
            while (true)
            {
                var slot = table + (ulong)LevelOffset(level, at);
                if (!_memory.TryRead(slot, b))
                {
                    step = 1UL << SmmuV3Descriptor.LevelShift(level);
                    break;
                }

                var d = SmmuV3Descriptor.Stage2Entry(b, level);
                var shift = SmmuV3Descriptor.LevelShift(level);
                var size = 1UL << shift;
                var entryBase = at & ~(size - 1);
                if (d.Kind == DescriptorKind.Table)
                {
                    table = d.NextTable;
                    level++;
                    continue;
                }

                if (d.Kind == DescriptorKind.Invalid)
                {
                    step = entryBase + size - at;
                    break;
                }

                if (entryBase >= iova && entryBase + size <= end)
                {
                    _memory.TryWriteUInt64(slot, 0);
                    unmapped += size;
                    step = entryBase + size - at;
                    break;
                }

                // A block only partly inside the range: split it into a next-level table and retry.
                Split(slot, d, level);
            }

            at += step;
        }

        return unmapped;
    }

    /// <inheritdoc/>
    public TranslationResult Walk(ulong iova, Access access, Action<WalkStep>? trace = null) =>
        WalkFrom(_memory, Root, 0, 64 - T0sz, OutputBits, iova, access, trace, out _);

    /// <summary>
    /// Walks a stage-2 table in <paramref name="memory"/> from <paramref name="root"/> (the STE's S2TTB) for
    /// <paramref name="ipa"/>: the SMMU's stage-2 lookup. A failure carries the architected event name
    /// (F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION, F_WALK_EABT) with <see cref="TranslationStage.Stage2"/>,
    /// the IPA as fault address and the level; <paramref name="fetchAddress"/> is the descriptor address that could not be read.
    /// </summary>
    public static TranslationResult WalkFrom(PhysicalMemory memory, ulong root, int startLevel, int inputBits, int outputBits, ulong ipa, Access access, Action<WalkStep>? trace, out ulong fetchAddress)
    {
        fetchAddress = 0;
        if (inputBits < 64 && ipa >> inputBits != 0)
        {
            return Fail(FaultKind.NotPresent, "F_TRANSLATION", ipa, startLevel, "IPA beyond the stage-2 input size");
        }

        Span<byte> b = stackalloc byte[8];
        var table = root;
        for (var level = startLevel; level <= 3; level++)
        {
            var slot = table + (ulong)LevelOffset(level, ipa);
            if (!memory.TryRead(slot, b))
            {
                fetchAddress = slot;
                return Fail(FaultKind.ExternalAbort, "F_WALK_EABT", ipa, level, $"stage-2 descriptor at PA 0x{slot:X} is not backed");
            }

            var d = SmmuV3Descriptor.Stage2Entry(b, level);
            trace?.Invoke(new WalkStep(TranslationStage.Stage2, level, slot, d.FormatName, d.ToString()));
            if (d.Kind == DescriptorKind.Invalid)
            {
                return Fail(FaultKind.NotPresent, "F_TRANSLATION", ipa, level, $"invalid stage-2 descriptor at level {level}");
            }

            if (d.HasReservedBitsSet)
            {
                return Fail(FaultKind.AddressSize, "F_ADDR_SIZE", ipa, level, "stage-2 descriptor address bits above 47 set");
            }

            if (d.Kind == DescriptorKind.Table)
            {
                table = d.NextTable;
                if (table >> outputBits != 0)
                {
                    return Fail(FaultKind.AddressSize, "F_ADDR_SIZE", ipa, level, "stage-2 table address beyond S2PS");
                }

                continue;
            }

            var shift = SmmuV3Descriptor.LevelShift(level);
            var pa = d.OutputAddress | (ipa & ((1UL << shift) - 1));
            if (pa >> outputBits != 0)
            {
                return Fail(FaultKind.AddressSize, "F_ADDR_SIZE", ipa, level, "stage-2 output beyond S2PS");
            }

            if (!d.Af)
            {
                return Fail(FaultKind.AccessFlag, "F_ACCESS", ipa, level, "stage-2 access flag clear");
            }

            var perms = FromS2Ap(d.S2Ap) | (d.S2Xn == 0 ? Access.Execute : Access.None);
            var want = access & (Access.ReadWrite | Access.Execute);
            if ((perms & want) != want)
            {
                return Fail(FaultKind.Permission, "F_PERMISSION", ipa, level, $"stage-2 {d.S2Ap} does not allow {want}");
            }

            return TranslationResult.Success(pa, shift, perms);
        }

        return Fail(FaultKind.NotPresent, "F_TRANSLATION", ipa, 3, "walk ended without a leaf");
    }

    /// <summary>The S2AP that grants <paramref name="permissions"/>.</summary>
    public static S2AccessPermission ToS2Ap(Access permissions) => (permissions & Access.ReadWrite) switch
    {
        Access.Read => S2AccessPermission.ReadOnly,
        Access.Write => S2AccessPermission.WriteOnly,
        Access.ReadWrite => S2AccessPermission.ReadWrite,
        _ => S2AccessPermission.NoAccess,
    };

    /// <summary>The accesses an S2AP value grants.</summary>
    public static Access FromS2Ap(S2AccessPermission ap) => ap switch
    {
        S2AccessPermission.ReadOnly => Access.Read,
        S2AccessPermission.WriteOnly => Access.Write,
        S2AccessPermission.ReadWrite => Access.ReadWrite,
        _ => Access.None,
    };

    /// <summary>Byte offset of the entry for <paramref name="address"/> in a level-<paramref name="level"/> table (generated table geometry).</summary>
    internal static ulong LevelOffset(int level, ulong address) => level switch
    {
        0 => TranslationTable4KLevel0Table.Offset(address),
        1 => TranslationTable4KLevel1Table.Offset(address),
        2 => TranslationTable4KLevel2Table.Offset(address),
        _ => TranslationTable4KLevel3Table.Offset(address),
    };

    private static TranslationResult Fail(FaultKind kind, string code, ulong ipa, int level, string detail) =>
        TranslationResult.Failed(new TranslationFault(TranslationStage.Stage2, kind, ipa, null, ipa, level, code, detail));

    private IommufdResult MapOne(ulong va, ulong pa, int shift, S2AccessPermission ap)
    {
        var leafLevel = 3 - ((shift - 12) / 9);
        var table = Root;
        Span<byte> b = stackalloc byte[8];
        for (var level = 0; level < leafLevel; level++)
        {
            var slot = table + LevelOffset(level, va);
            _memory.TryRead(slot, b);
            var d = SmmuV3Descriptor.Stage2Entry(b, level);
            if (d.Kind == DescriptorKind.Block)
            {
                return Errno.EEXIST;
            }

            if (d.Kind == DescriptorKind.Invalid)
            {
                var next = _allocator.TryAllocate(PhysicalMemory.PageSize);
                if (next is null)
                {
                    return Errno.ENOMEM;
                }

                Write(slot, S2TableDescriptor4K.Create().WithNextTableAddress(next.Value).ToBytes());
                table = next.Value;
            }
            else
            {
                table = d.NextTable;
            }
        }

        var leafSlot = table + LevelOffset(leafLevel, va);
        _memory.TryRead(leafSlot, b);
        if (SmmuV3Descriptor.Stage2Entry(b, leafLevel).Kind != DescriptorKind.Invalid)
        {
            return Errno.EEXIST;
        }

        WriteLeaf(leafSlot, leafLevel, pa, ap, 0);
        return IommufdResult.Ok;
    }

    private void WriteLeaf(ulong slot, int level, ulong pa, S2AccessPermission ap, ulong xn)
    {
        Span<byte> b = stackalloc byte[8];
        switch (level)
        {
            case 1:
                S2BlockDescriptor4KLevel1.Create().WithOutputAddress(pa).WithS2Ap(ap).WithAf(true).WithSh(Shareability.InnerShareable)
                    .WithMemAttr(MemAttrNormalWriteBack).WithXn(xn).WriteTo(b);
                break;
            case 2:
                S2BlockDescriptor4KLevel2.Create().WithOutputAddress(pa).WithS2Ap(ap).WithAf(true).WithSh(Shareability.InnerShareable)
                    .WithMemAttr(MemAttrNormalWriteBack).WithXn(xn).WriteTo(b);
                break;
            default:
                S2PageDescriptor4K.Create().WithOutputAddress(pa).WithS2Ap(ap).WithAf(true).WithSh(Shareability.InnerShareable)
                    .WithMemAttr(MemAttrNormalWriteBack).WithXn(xn).WriteTo(b);
                break;
        }

        _memory.TryWrite(slot, b);
    }

    private void Split(ulong slot, SmmuV3Descriptor block, int level)
    {
        var next = _allocator.Allocate(PhysicalMemory.PageSize);
        var childShift = SmmuV3Descriptor.LevelShift(level + 1);
        for (var i = 0UL; i < 512; i++)
        {
            WriteLeaf(next + (i * 8), level + 1, block.OutputAddress + (i << childShift), block.S2Ap, block.S2Xn);
        }

        Write(slot, S2TableDescriptor4K.Create().WithNextTableAddress(next).ToBytes());
    }

    private void Write(ulong slot, byte[] bytes) => _memory.TryWrite(slot, bytes);
}
