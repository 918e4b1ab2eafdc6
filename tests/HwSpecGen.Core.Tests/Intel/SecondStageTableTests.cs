using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Intel;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Tests.Intel;

/// <summary>The VT-d second-stage table (nest parent format) in host memory.</summary>
public sealed class SecondStageTableTests
{
    private readonly PhysicalMemory _memory = new();
    private readonly PageAllocator _allocator;

    public SecondStageTableTests() => _allocator = new PageAllocator(_memory, 0x1000_0000, 0x2000_0000);

    [Fact]
    public void AlignedGigabyteMappingUsesOneGigabyteLeaf()
    {
        var table = new VtdSecondStageTable(_memory, _allocator, pages2M: true, pages1G: true);
        Assert.True(table.Map(0x4000_0000, 0x8000_0000, 0x4000_0000, Access.ReadWrite).IsOk);

        var r = table.Walk(0x4123_4567, Access.Write);
        Assert.True(r.IsOk);
        Assert.Equal(0x8123_4567UL, r.Hpa);
        Assert.Equal(30, r.PageShift);

        // the entry in memory is an SS-PDPE with PS = 1, readable through the generated format
        var steps = new System.Collections.Generic.List<WalkStep>();
        table.Walk(0x4000_0000, Access.Read, steps.Add);
        Assert.Equal(2, steps.Count);
        Assert.Equal("intel-vtd/SecondStageLargePdpe", steps[^1].Format);
        Assert.True(_memory.TryReadUInt64(steps[^1].Address, out var word));
        var pdpe = SecondStageLargePdpe.FromWords([word]);
        Assert.True(pdpe.Ps && pdpe.R && pdpe.W);
        Assert.Equal(0x8000_0000UL, pdpe.Addr);
    }

    [Fact]
    public void UnalignedEdgesUseFourKilobytePagesAndTheMiddleTwoMegabytePages()
    {
        var table = new VtdSecondStageTable(_memory, _allocator, pages2M: true, pages1G: true);
        Assert.True(table.Map(0x1F_F000, 0x3F_F000, 0x20_2000, Access.Read).IsOk);

        Assert.Equal(12, table.Walk(0x1F_F000, Access.Read).PageShift);
        var middle = table.Walk(0x20_0000 + 0x1234, Access.Read);
        Assert.Equal(21, middle.PageShift);
        Assert.Equal(0x40_1234UL, middle.Hpa);
        Assert.Equal(12, table.Walk(0x40_0000, Access.Read).PageShift);
        Assert.False(table.Walk(0x40_1000, Access.Read).IsOk);
    }

    [Fact]
    public void WithoutLargePageSupportOnlyFourKilobyteLeavesAreWritten()
    {
        var table = new VtdSecondStageTable(_memory, _allocator, pages2M: false, pages1G: false);
        Assert.True(table.Map(0x4000_0000, 0x8000_0000, 0x40_0000, Access.ReadWrite).IsOk);
        Assert.Equal(12, table.Walk(0x4020_0000, Access.Read).PageShift);
    }

    [Fact]
    public void UnmappingPartOfALargeLeafSplitsIt()
    {
        var table = new VtdSecondStageTable(_memory, _allocator, pages2M: true, pages1G: true);
        table.Map(0x20_0000, 0x60_0000, 0x20_0000, Access.ReadWrite);

        Assert.Equal(0x1000UL, table.Unmap(0x21_0000, 0x1000));

        var hole = table.Walk(0x21_0000, Access.Read);
        Assert.False(hole.IsOk);
        Assert.Equal(TranslationStage.Stage2, hole.Fault!.Stage);
        Assert.Equal(nameof(FaultReason.SmSecondStagePermission), hole.Fault.Code);
        var neighbour = table.Walk(0x21_1000, Access.Read);
        Assert.True(neighbour.IsOk);
        Assert.Equal(0x61_1000UL, neighbour.Hpa);
        Assert.Equal(12, neighbour.PageShift);
    }

    [Fact]
    public void WriteToReadOnlyLeafIsNoWriteAndBeyondTheWidthIsAddressBeyondMax()
    {
        var table = new VtdSecondStageTable(_memory, _allocator, pages2M: true, pages1G: true);
        table.Map(0x1000, 0x2000, 0x1000, Access.Read);

        Assert.Equal(nameof(FaultReason.SmNoWrite), table.Walk(0x1000, Access.Write).Fault!.Code);
        Assert.Equal(nameof(FaultReason.SmSecondStageAddressBeyondMax), table.Walk(1UL << 48, Access.Read).Fault!.Code);
        Assert.Equal(Errno.EINVAL, table.Map(1UL << 48, 0, 0x1000, Access.Read).Error);
    }

    [Fact]
    public void MappingTheSameAddressTwiceIsRefusedAndChangesNothing()
    {
        var table = new VtdSecondStageTable(_memory, _allocator, pages2M: true, pages1G: true);
        Assert.True(table.Map(0x3000, 0x5000, 0x1000, Access.Read).IsOk);
        Assert.Equal(Errno.EEXIST, table.Map(0x2000, 0x9000, 0x2000, Access.ReadWrite).Error);
        Assert.False(table.Walk(0x2000, Access.Read).IsOk);
        Assert.Equal(0x5000UL, table.Walk(0x3000, Access.Read).Hpa);
    }
}
