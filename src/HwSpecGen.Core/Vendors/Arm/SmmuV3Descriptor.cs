using System;
using System.Buffers.Binary;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// One VMSAv8-64 translation-table descriptor (4 KiB granule) as a walk sees it, decoded through the generated
/// <c>S1*Descriptor4K*</c> / <c>S2*Descriptor4K*</c> structs: the descriptor type is the one whose constant
/// <c>Type</c> field decodes (table/page 0b11, block 0b01); anything else is invalid (a Translation fault).
/// </summary>
internal readonly struct SmmuV3Descriptor
{
    private SmmuV3Descriptor(DescriptorKind kind, int level, bool stage2, ulong raw)
    {
        Kind = kind;
        Level = level;
        Stage2 = stage2;
        _raw = raw;
    }

    private readonly ulong _raw;

    /// <summary>What the descriptor is.</summary>
    public DescriptorKind Kind { get; }

    /// <summary>Lookup level it was read at (0..3).</summary>
    public int Level { get; }

    /// <summary>True for a stage-2 descriptor.</summary>
    public bool Stage2 { get; }

    /// <summary>The raw little-endian word (kept only to re-decode for traces).</summary>
    public ulong Raw => _raw;

    /// <summary>log2 of the size one entry at <paramref name="level"/> maps (4 KiB granule).</summary>
    public static int LevelShift(int level) => 12 + (9 * (3 - level));

    /// <summary>Decodes a stage-1 descriptor read at <paramref name="level"/>.</summary>
    public static SmmuV3Descriptor Stage1(ReadOnlySpan<byte> bytes, int level) => Classify(bytes, level, stage2: false);

    /// <summary>Decodes a stage-2 descriptor read at <paramref name="level"/>.</summary>
    public static SmmuV3Descriptor Stage2Entry(ReadOnlySpan<byte> bytes, int level) => Classify(bytes, level, stage2: true);

    /// <summary>The generated format that decodes this descriptor (for traces).</summary>
    public string FormatName => (Kind, Stage2, Level) switch
    {
        (DescriptorKind.Table, false, _) => "arm-smmuv3/S1TableDescriptor4K",
        (DescriptorKind.Table, true, _) => "arm-smmuv3/S2TableDescriptor4K",
        (DescriptorKind.Page, false, _) => "arm-smmuv3/S1PageDescriptor4K",
        (DescriptorKind.Page, true, _) => "arm-smmuv3/S2PageDescriptor4K",
        (DescriptorKind.Block, false, 1) => "arm-smmuv3/S1BlockDescriptor4KLevel1",
        (DescriptorKind.Block, false, _) => "arm-smmuv3/S1BlockDescriptor4KLevel2",
        (DescriptorKind.Block, true, 1) => "arm-smmuv3/S2BlockDescriptor4KLevel1",
        (DescriptorKind.Block, true, _) => "arm-smmuv3/S2BlockDescriptor4KLevel2",
        _ => Stage2 ? "arm-smmuv3/S2TableDescriptor4K (invalid)" : "arm-smmuv3/S1TableDescriptor4K (invalid)",
    };

    /// <summary>The address of the next-level table (table descriptors).</summary>
    public ulong NextTable => Stage2 ? S2Table.NextTableAddress : S1Table.NextTableAddress;

    /// <summary>The output address of a block or page.</summary>
    public ulong OutputAddress => (Kind, Stage2, Level) switch
    {
        (DescriptorKind.Page, false, _) => S1Page.OutputAddress,
        (DescriptorKind.Page, true, _) => S2Page.OutputAddress,
        (DescriptorKind.Block, false, 1) => S1Block1.OutputAddress,
        (DescriptorKind.Block, false, _) => S1Block2.OutputAddress,
        (DescriptorKind.Block, true, 1) => S2Block1.OutputAddress,
        (DescriptorKind.Block, true, _) => S2Block2.OutputAddress,
        _ => 0,
    };

    /// <summary>Access flag of a block or page.</summary>
    public bool Af => (Kind, Stage2, Level) switch
    {
        (DescriptorKind.Page, false, _) => S1Page.Af,
        (DescriptorKind.Page, true, _) => S2Page.Af,
        (DescriptorKind.Block, false, 1) => S1Block1.Af,
        (DescriptorKind.Block, false, _) => S1Block2.Af,
        (DescriptorKind.Block, true, 1) => S2Block1.Af,
        (DescriptorKind.Block, true, _) => S2Block2.Af,
        _ => false,
    };

    /// <summary>Stage-1 AP[2:1] of a block or page.</summary>
    public S1AccessPermission S1Ap => (Kind, Level) switch
    {
        (DescriptorKind.Page, _) => S1Page.Ap,
        (DescriptorKind.Block, 1) => S1Block1.Ap,
        _ => S1Block2.Ap,
    };

    /// <summary>Stage-1 PXN of a block or page.</summary>
    public bool Pxn => (Kind, Level) switch
    {
        (DescriptorKind.Page, _) => S1Page.Pxn,
        (DescriptorKind.Block, 1) => S1Block1.Pxn,
        _ => S1Block2.Pxn,
    };

    /// <summary>Stage-1 UXN of a block or page.</summary>
    public bool Uxn => (Kind, Level) switch
    {
        (DescriptorKind.Page, _) => S1Page.Uxn,
        (DescriptorKind.Block, 1) => S1Block1.Uxn,
        _ => S1Block2.Uxn,
    };

    /// <summary>Stage-2 S2AP of a block or page.</summary>
    public S2AccessPermission S2Ap => (Kind, Level) switch
    {
        (DescriptorKind.Page, _) => S2Page.S2Ap,
        (DescriptorKind.Block, 1) => S2Block1.S2Ap,
        _ => S2Block2.S2Ap,
    };

    /// <summary>Stage-2 XN of a block or page (0 = executable).</summary>
    public ulong S2Xn => (Kind, Level) switch
    {
        (DescriptorKind.Page, _) => S2Page.Xn,
        (DescriptorKind.Block, 1) => S2Block1.Xn,
        _ => S2Block2.Xn,
    };

    /// <summary>Stage-1 table APTable (bit 1: no writes below, bit 0: no unprivileged access below).</summary>
    public ulong ApTable => S1Table.ApTable;

    /// <summary>Stage-1 table PXNTable.</summary>
    public bool PxnTable => S1Table.PxnTable;

    /// <summary>Stage-1 table UXNTable.</summary>
    public bool UxnTable => S1Table.UxnTable;

    /// <summary>True when a must-be-zero bit of the decoded format is set (output-address bits above 47: Address size fault).</summary>
    public bool HasReservedBitsSet => (Kind, Stage2, Level) switch
    {
        (DescriptorKind.Table, false, _) => S1Table.HasReservedBitsSet,
        (DescriptorKind.Table, true, _) => S2Table.HasReservedBitsSet,
        (DescriptorKind.Page, false, _) => S1Page.HasReservedBitsSet,
        (DescriptorKind.Page, true, _) => S2Page.HasReservedBitsSet,
        (DescriptorKind.Block, false, 1) => S1Block1.HasReservedBitsSet,
        (DescriptorKind.Block, false, _) => S1Block2.HasReservedBitsSet,
        (DescriptorKind.Block, true, 1) => S2Block1.HasReservedBitsSet,
        (DescriptorKind.Block, true, _) => S2Block2.HasReservedBitsSet,
        _ => false,
    };

    private S1TableDescriptor4K S1Table => S1TableDescriptor4K.FromWords(new ReadOnlySpan<ulong>(in _raw));

    private S2TableDescriptor4K S2Table => S2TableDescriptor4K.FromWords(new ReadOnlySpan<ulong>(in _raw));

    private S1PageDescriptor4K S1Page => S1PageDescriptor4K.FromWords(new ReadOnlySpan<ulong>(in _raw));

    private S2PageDescriptor4K S2Page => S2PageDescriptor4K.FromWords(new ReadOnlySpan<ulong>(in _raw));

    private S1BlockDescriptor4KLevel1 S1Block1 => S1BlockDescriptor4KLevel1.FromWords(new ReadOnlySpan<ulong>(in _raw));

    private S1BlockDescriptor4KLevel2 S1Block2 => S1BlockDescriptor4KLevel2.FromWords(new ReadOnlySpan<ulong>(in _raw));

    private S2BlockDescriptor4KLevel1 S2Block1 => S2BlockDescriptor4KLevel1.FromWords(new ReadOnlySpan<ulong>(in _raw));

    private S2BlockDescriptor4KLevel2 S2Block2 => S2BlockDescriptor4KLevel2.FromWords(new ReadOnlySpan<ulong>(in _raw));

    /// <summary>The descriptor as its generated struct prints it.</summary>
    public override string ToString() => (Kind, Stage2, Level) switch
    {
        (DescriptorKind.Table, false, _) => S1Table.ToString(),
        (DescriptorKind.Table, true, _) => S2Table.ToString(),
        (DescriptorKind.Page, false, _) => S1Page.ToString(),
        (DescriptorKind.Page, true, _) => S2Page.ToString(),
        (DescriptorKind.Block, false, 1) => S1Block1.ToString(),
        (DescriptorKind.Block, false, _) => S1Block2.ToString(),
        (DescriptorKind.Block, true, 1) => S2Block1.ToString(),
        (DescriptorKind.Block, true, _) => S2Block2.ToString(),
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"invalid descriptor 0x{Raw:X16}"),
    };

    private static SmmuV3Descriptor Classify(ReadOnlySpan<byte> bytes, int level, bool stage2)
    {
        var raw = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (level < 3)
        {
            var isTable = stage2 ? S2TableDescriptor4K.TryDecode(bytes, out _, out _) : S1TableDescriptor4K.TryDecode(bytes, out _, out _);
            if (isTable)
            {
                return new SmmuV3Descriptor(DescriptorKind.Table, level, stage2, raw);
            }

            // 4 KiB granule: blocks exist at levels 1 and 2 only (a level-0 block is a Translation fault).
            var isBlock = level switch
            {
                1 => stage2 ? S2BlockDescriptor4KLevel1.TryDecode(bytes, out _, out _) : S1BlockDescriptor4KLevel1.TryDecode(bytes, out _, out _),
                2 => stage2 ? S2BlockDescriptor4KLevel2.TryDecode(bytes, out _, out _) : S1BlockDescriptor4KLevel2.TryDecode(bytes, out _, out _),
                _ => false,
            };
            return new SmmuV3Descriptor(isBlock ? DescriptorKind.Block : DescriptorKind.Invalid, level, stage2, raw);
        }

        var isPage = stage2 ? S2PageDescriptor4K.TryDecode(bytes, out _, out _) : S1PageDescriptor4K.TryDecode(bytes, out _, out _);
        return new SmmuV3Descriptor(isPage ? DescriptorKind.Page : DescriptorKind.Invalid, level, stage2, raw);
    }
}
