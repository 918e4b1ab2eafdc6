using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Tests.Amd;

/// <summary>The nest parent's stage 2 in the AMD v1 format, written and walked as bytes in host memory.</summary>
public sealed class AmdV1PageTableTests
{
    private readonly PhysicalMemory _memory = new();
    private readonly PageAllocator _allocator;

    public AmdV1PageTableTests() => _allocator = new PageAllocator(_memory, 0x1000_0000, 0x2000_0000);

    [Theory]
    [InlineData(0x4000_0000UL, 0x8_0000_0000UL, 0x4000_0000UL, 30)]
    [InlineData(0x20_0000UL, 0x8_0020_0000UL, 0x20_0000UL, 21)]
    [InlineData(0x1000UL, 0x8_0000_1000UL, 0x1000UL, 12)]
    [InlineData(0x20_1000UL, 0x8_0000_0000UL, 0x20_0000UL, 12)] // IOVA 2 MiB aligned but HPA not: 4 KiB pages
    public void MapsWithTheLargestPagesAlignmentAllows(ulong iova, ulong hpa, ulong length, int shift)
    {
        var table = new AmdV1PageTable(_memory, _allocator);
        Assert.True(table.Map(iova, hpa, length, Access.ReadWrite).IsOk);
        var r = table.Walk(iova + length - 8, Access.Write);
        Assert.True(r.IsOk);
        Assert.Equal(hpa + length - 8, r.Hpa);
        Assert.Equal(shift, r.PageShift);
    }

    [Fact]
    public void TableEntriesPointDownOneLevelWithFullPermissionsAndLeavesCarryThePermission()
    {
        var table = new AmdV1PageTable(_memory, _allocator);
        Assert.True(table.Map(0x1000, 0x9000_0000, 0x1000, Access.Read).IsOk);
        var steps = new System.Collections.Generic.List<WalkStep>();
        var r = table.Walk(0x1000, Access.Read, steps.Add);
        Assert.True(r.IsOk);
        Assert.Equal(Access.Read, r.Permissions);
        Assert.Equal([4, 3, 2, 1], steps.ConvertAll(s => s.Level));
        Assert.All(steps, s => Assert.Equal("amd-vi/HostPageTableEntry", s.Format));

        // Read the level-4 entry back from memory through the generated struct.
        var top = Read(table.Root + HostPageTableLevel4Table.Offset(0x1000));
        Assert.True(top.Pr && top.Ir && top.Iw);
        Assert.Equal(PteNextLevel.Level3, top.NextLevel);
        var leaf = Read(steps[3].Address);
        Assert.Equal(PteNextLevel.Leaf, leaf.NextLevel);
        Assert.True(leaf.Ir);
        Assert.False(leaf.Iw);
        Assert.Equal(0x9000_0000UL, leaf.Address);
    }

    [Fact]
    public void AWriteThroughAReadOnlyLeafIsAStage2PermissionFault()
    {
        var table = new AmdV1PageTable(_memory, _allocator);
        table.Map(0x20_0000, 0x9000_0000, 0x20_0000, Access.Read);
        var r = table.Walk(0x20_0010, Access.Write);
        Assert.False(r.IsOk);
        Assert.Equal(TranslationStage.Stage2, r.Fault!.Stage);
        Assert.Equal(FaultKind.Permission, r.Fault.Kind);
        Assert.Equal(AmdIommu.IoPageFaultCode, r.Fault.Code);
        Assert.Equal(2, r.Fault.Level);
    }

    [Fact]
    public void UnmapRemovesExactlyTheMappedBytes()
    {
        var table = new AmdV1PageTable(_memory, _allocator);
        table.Map(0x40_0000, 0xA000_0000, 0x20_0000 + 0x3000, Access.ReadWrite);
        Assert.Equal(0x20_3000UL, table.Unmap(0x40_0000, 0x20_3000));
        Assert.Equal(FaultKind.NotPresent, table.Walk(0x40_0000, Access.Read).Fault!.Kind);
        Assert.Equal(FaultKind.NotPresent, table.Walk(0x60_2000, Access.Read).Fault!.Kind);
        Assert.Equal(0UL, table.Unmap(0x40_0000, 0x20_3000));
    }

    [Fact]
    public void TheWalkDecodesSizeEncodedLeaves()
    {
        // NextLevel 7 at level 2 with address bit 21 clear and bit 12..20 set: a 2^22 = 4 MiB page replicated in two slots,
        // as Linux PAGE_SIZE_PTE writes it; the walk must find the size from the address.
        var table = new AmdV1PageTable(_memory, _allocator);
        table.Map(0x0, 0xB000_0000, 0x1000, Access.Read); // builds the level 4/3/2 path for IOVA 0
        var l3 = Read(table.Root + HostPageTableLevel4Table.Offset(0x40_0000));
        var l2 = Read(l3.Address + HostPageTableLevel3Table.Offset(0x40_0000));
        var big = HostPageTableEntry.Create().WithPr(true).WithNextLevel(PteNextLevel.SizeEncoded).WithAddress(0xC000_0000 | 0x1F_F000).WithIr(true).WithIw(true);
        Write(l2.Address + HostPageTableLevel2Table.Offset(0x40_0000), big);
        Write(l2.Address + HostPageTableLevel2Table.Offset(0x60_0000), big);
        var r = table.Walk(0x61_2345, Access.Write);
        Assert.True(r.IsOk);
        Assert.Equal(22, r.PageShift);
        Assert.Equal(0xC000_0000UL + 0x21_2345, r.Hpa);
    }

    [Fact]
    public void MappingBeyondTheTableOrUnalignedIsRefused()
    {
        var table = new AmdV1PageTable(_memory, _allocator);
        Assert.Equal(Errno.EINVAL, table.Map(1UL << 48, 0x1000, 0x1000, Access.Read).Error);
        Assert.Equal(Errno.EINVAL, table.Map(0x1800, 0x1000, 0x1000, Access.Read).Error);
        Assert.Equal(FaultKind.AddressSize, table.Walk(1UL << 48, Access.Read).Fault!.Kind);
    }

    [Fact]
    public void AMapThatRunsOutOfTableMemoryChangesNothing()
    {
        var tiny = new PageAllocator(_memory, 0x3000_0000, 0x3000_3000); // root + two tables, then nothing
        var table = new AmdV1PageTable(_memory, tiny);
        var r = table.Map(0x1000, 0xD000_0000, 0x1000, Access.Read);
        Assert.Equal(Errno.ENOMEM, r.Error);
        Assert.Equal(FaultKind.NotPresent, table.Walk(0x1000, Access.Read).Fault!.Kind);
    }

    private HostPageTableEntry Read(ulong address)
    {
        Span<byte> b = stackalloc byte[8];
        Assert.True(_memory.TryRead(address, b));
        return HostPageTableEntry.Read(b);
    }

    private void Write(ulong address, HostPageTableEntry e)
    {
        Span<byte> b = stackalloc byte[8];
        e.WriteTo(b);
        Assert.True(_memory.TryWrite(address, b));
    }
}
