using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>The host stage-2 table (VMSAv8-64, 4 KiB granule, four levels) as the SMMU walks it from host memory.</summary>
public sealed class Stage2TableTests
{
    private readonly PhysicalMemory _memory = new();
    private readonly SmmuV3Stage2Table _table;

    public Stage2TableTests() => _table = new SmmuV3Stage2Table(_memory, new PageAllocator(_memory, 0x1000_0000, 0x2000_0000));

    [Fact]
    public void AlignedRangesGetOneGigabyteAndTwoMegabyteBlocks()
    {
        Assert.True(_table.Map(0x4000_0000, 0x8_0000_0000, 0x4000_0000 + 0x20_0000 + 0x1000, Access.ReadWrite).IsOk);

        var giant = _table.Walk(0x4000_1234, Access.Read);
        var huge = _table.Walk(0x8000_0000 + 0x1234, Access.Write);
        var small = _table.Walk(0x8020_0010, Access.Read);

        Assert.Equal((0x8_0000_1234UL, 30), (giant.Hpa, giant.PageShift));
        Assert.Equal((0x8_4000_1234UL, 21), (huge.Hpa, huge.PageShift));
        Assert.Equal((0x8_4020_0010UL, 12), (small.Hpa, small.PageShift));
    }

    [Fact]
    public void EntriesAreTheGeneratedStage2Descriptors()
    {
        _table.Map(0x20_0000, 0x40_0000, 0x20_0000, Access.Read);
        var steps = new List<WalkStep>();
        _table.Walk(0x20_0000, Access.Read, steps.Add);

        Assert.Equal(["arm-smmuv3/S2TableDescriptor4K", "arm-smmuv3/S2TableDescriptor4K", "arm-smmuv3/S2BlockDescriptor4KLevel2"], steps.Select(s => s.Format));
        Assert.True(_memory.TryReadUInt64(steps[2].Address, out var raw));
        var block = S2BlockDescriptor4KLevel2.FromWords([raw]);
        Assert.Equal((0x40_0000UL, S2AccessPermission.ReadOnly, true), (block.OutputAddress, block.S2Ap, block.Af));
    }

    [Fact]
    public void AWriteToAReadOnlyMappingIsAStage2PermissionFault()
    {
        _table.Map(0x1000, 0x9000, 0x1000, Access.Read);

        var r = _table.Walk(0x1000, Access.Write);

        Assert.Equal(("F_PERMISSION", TranslationStage.Stage2, 3), (r.Fault!.Code, r.Fault.Stage, r.Fault.Level));
    }

    [Fact]
    public void UnmappedAndOutOfRangeIpasAreTranslationFaults()
    {
        Assert.Equal("F_TRANSLATION", _table.Walk(0x5000, Access.Read).Fault!.Code);
        Assert.Equal("F_TRANSLATION", _table.Walk(1UL << 48, Access.Read).Fault!.Code);
        Assert.Equal(Errno.EINVAL, _table.Map(0x1001, 0x2000, 0x1000, Access.Read).Error);
    }

    [Fact]
    public void UnmapOfPartOfABlockSplitsItAndKeepsTheRest()
    {
        _table.Map(0x20_0000, 0x60_0000, 0x20_0000, Access.ReadWrite);

        Assert.Equal(0x1000UL, _table.Unmap(0x20_1000, 0x1000));

        Assert.False(_table.Walk(0x20_1000, Access.Read).IsOk);
        var kept = _table.Walk(0x20_2008, Access.Read);
        Assert.Equal((0x60_2008UL, 12), (kept.Hpa, kept.PageShift));
        Assert.Equal(0x1F_F000UL - 0x1000 + 0x1000, _table.Unmap(0x20_0000, 0x20_0000));
    }

    [Fact]
    public void AnUnreadableTableIsAWalkExternalAbort()
    {
        _table.Map(0x1000, 0x9000, 0x1000, Access.Read);
        var steps = new List<WalkStep>();
        _table.Walk(0x1000, Access.Read, steps.Add);
        _memory.Unback(steps[2].Address, 8);

        var r = SmmuV3Stage2Table.WalkFrom(_memory, _table.Root, 0, 48, 48, 0x1000, Access.Read, null, out var fetch);

        Assert.Equal("F_WALK_EABT", r.Fault!.Code);
        Assert.Equal(steps[2].Address, fetch);
    }
}
