using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Tests.Amd;

/// <summary>
/// The iommufd software path: IOMMU_HWPT_INVALIDATE on the AMD vIOMMU with raw AMD commands (the HwSpecGen extension data type),
/// entries handled in order with entry_num partial progress, IDs translated before the host caches are touched.
/// </summary>
public sealed class AmdViommuInvalidateTests
{
    private readonly AmdTestBed _bed = AmdTestBed.Create();

    [Fact]
    public void TheNestedHwptItselfTakesNoInvalidationAsInLinux()
    {
        var hwpt = _bed.Vm.GuestIommu.ShadowHwpts[0x0008];
        var entry = InvalidateIommuPages.FromRange(0, ulong.MaxValue, AmdTestBed.GuestDomain).ToBytes();
        var n = 1u;
        Assert.Equal(Errno.EOPNOTSUPP, _bed.Vm.Context.HwptInvalidate(hwpt, AmdUapi.ViommuInvalidateDataAmdCommand, 16, entry, ref n).Error);
        Assert.Equal(0u, n);
    }

    [Fact]
    public void ArgumentErrorsHandleNothing()
    {
        var entry = InvalidateIommuPages.FromRange(0, ulong.MaxValue, AmdTestBed.GuestDomain).ToBytes();
        Assert.Equal(Errno.EINVAL, Invalidate(entry, 1, dataType: 0).Result.Error);
        Assert.Equal(Errno.EINVAL, Invalidate(entry, 0, dataType: 0).Result.Error); // the type is checked even for a probe
        Assert.True(Invalidate(entry, 0).Result.IsOk); // entry_num 0: a type probe
        Assert.Equal(Errno.EINVAL, Invalidate([.. entry, 0], 1, entryLength: 17).Result.Error);
        Assert.Equal(Errno.EINVAL, Invalidate(entry, 1, entryLength: 8).Result.Error);
        var n = 1u;
        var fd = _bed.Vm.Context;
        Assert.Equal(Errno.EFAULT, fd.HwptInvalidate(_bed.Vm.Viommu.Id, AmdUapi.ViommuInvalidateDataAmdCommand, 16, entry.AsSpan(0, 8), ref n).Error);
        Assert.Equal(0u, n);
        n = 1;
        Assert.Equal(Errno.EINVAL, fd.HwptInvalidate(_bed.Vm.Parent.Id, AmdUapi.ViommuInvalidateDataAmdCommand, 16, entry, ref n).Error); // the parent
        Assert.Equal(0u, n);
        n = 1;
        Assert.Equal(Errno.EINVAL, fd.HwptInvalidate(_bed.Vm.Viommu.Id, AmdUapi.ViommuInvalidateDataAmdCommand, 16, default, ref n, nullPointer: true).Error);
        n = 1;
        Assert.Equal(Errno.EINVAL, fd.HwptInvalidate(_bed.Vm.Viommu.Id, AmdUapi.ViommuInvalidateDataAmdCommand, 0, entry, ref n).Error);
        n = 1;
        Assert.Equal(Errno.EOPNOTSUPP, fd.HwptInvalidate(_bed.Vm.Viommu.Id, AmdUapi.ViommuInvalidateDataAmdCommand, 16, entry, ref n, reserved: 1).Error);
        Assert.Equal(0u, n);
    }

    [Fact]
    public void InvalidateIommuPagesIsForwardedWithTheHostDomainId()
    {
        var dev = _bed.Dev(0x0008);
        Assert.True(dev.Translate(AmdTestBed.Iova, null, Access.Read).IsOk);
        Assert.True(_bed.Iommu.Iotlb.Contains(_bed.HostDomain, 0, AmdTestBed.Iova));
        var r = Invalidate(InvalidateIommuPages.FromRange(AmdTestBed.Iova, AmdTestBed.Iova + 0xFFF, AmdTestBed.GuestDomain, gn: true, pasid: 0).ToBytes(), 1);
        Assert.True(r.Result.IsOk);
        Assert.Equal(1u, r.Done);
        Assert.False(_bed.Iommu.Iotlb.Contains(_bed.HostDomain, 0, AmdTestBed.Iova));
    }

    [Fact]
    public void AGuestFlushOfOnePasidLeavesTheOthers()
    {
        _bed.Gcr3.Set(7, _bed.Table.RootGpa);
        var dev = _bed.Dev(0x0008);
        dev.Translate(AmdTestBed.Iova, 0, Access.Read);
        dev.Translate(AmdTestBed.Iova, 7, Access.Read);
        Assert.True(Invalidate(InvalidateIommuPages.FromRange(0, ulong.MaxValue, AmdTestBed.GuestDomain, gn: true, pasid: 7).ToBytes(), 1).Result.IsOk);
        Assert.True(_bed.Iommu.Iotlb.Contains(_bed.HostDomain, 0, AmdTestBed.Iova));
        Assert.False(_bed.Iommu.Iotlb.Contains(_bed.HostDomain, 7, AmdTestBed.Iova));

        // GN=0 names the guest's (absent) v1 tables: the model drops every translation of the host DomainID.
        Assert.True(Invalidate(InvalidateIommuPages.FromRange(AmdTestBed.Iova, AmdTestBed.Iova, AmdTestBed.GuestDomain).ToBytes(), 1).Result.IsOk);
        Assert.False(_bed.Iommu.Iotlb.Contains(_bed.HostDomain, 0, AmdTestBed.Iova));
    }

    [Fact]
    public void InvalidateIotlbPagesIsForwardedToTheHostDevice()
    {
        var dev = _bed.Dev(0x0010);
        dev.Translate(AmdTestBed.Iova, null, Access.Read);
        Assert.True(dev.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova));
        var r = Invalidate(InvalidateIotlbPages.FromRange(AmdTestBed.Iova, AmdTestBed.Iova + 0xFFF, 0x0010, 0).ToBytes(), 1);
        Assert.True(r.Result.IsOk);
        Assert.False(dev.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova));
        Assert.True(_bed.Iommu.Iotlb.Contains(_bed.HostDomain, 0, AmdTestBed.Iova)); // the IOTLB is not the ATC
    }

    [Fact]
    public void EntriesAreHandledInOrderAndEntryNumSaysHowManyBeforeTheFirstBadOne()
    {
        var a = _bed.Dev(0x0008);
        var b = _bed.Dev(0x0010);
        a.Translate(AmdTestBed.Iova, null, Access.Read);
        b.Translate(AmdTestBed.Iova, null, Access.Read);
        byte[] entries =
        [
            .. InvalidateIotlbPages.FromRange(0, ulong.MaxValue, 0x0008, 0).ToBytes(),
            .. InvalidateIommuPages.FromRange(0, ulong.MaxValue, 0x99).ToBytes(), // no such guest DomainID
            .. InvalidateIotlbPages.FromRange(0, ulong.MaxValue, 0x0010, 0).ToBytes(),
        ];
        var r = Invalidate(entries, 3);
        Assert.Equal(Errno.EIO, r.Result.Error);
        Assert.Equal(1u, r.Done);
        Assert.False(a.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova)); // entry 0 applied
        Assert.True(b.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova)); // entry 2 untouched
    }

    [Theory]
    [InlineData("completion-wait")]
    [InlineData("devtab")]
    [InlineData("interrupt-table")]
    [InlineData("prefetch")]
    [InlineData("ppr")]
    [InlineData("unknown-opcode")]
    [InlineData("reserved-bit")]
    [InlineData("unknown-device")]
    [InlineData("foreign-device")]
    public void CommandsTheHostDoesNotForwardAreEio(string variant)
    {
        var foreign = new AmdTestBed(_bed.Host, "other", 0x1, new AmdDeviceSpec(0x0300, 0x0020));
        _ = foreign;
        byte[] cmd = variant switch
        {
            "completion-wait" => CompletionWait.Create().WithS(true).WithStoreAddress(0x1000).ToBytes(),
            "devtab" => InvalidateDevtabEntry.Create().WithDeviceId(0x0008).ToBytes(),
            "interrupt-table" => InvalidateInterruptTable.Create().WithDeviceId(0x0008).ToBytes(),
            "prefetch" => PrefetchIommuPages.Create().WithDeviceId(0x0008).ToBytes(),
            "ppr" => CompletePprRequest.Create().WithDeviceId(0x0008).ToBytes(),
            "unknown-opcode" => Opcode(0xC),
            "reserved-bit" => InvalidateIommuPages.FromWords([InvalidateIommuPages.FromRange(0, 0, AmdTestBed.GuestDomain).GetWord(0) | (1UL << 20), 0]).ToBytes(),
            "unknown-device" => InvalidateIotlbPages.FromRange(0, ulong.MaxValue, 0x0077, 0).ToBytes(),
            "foreign-device" => InvalidateIotlbPages.FromRange(0, ulong.MaxValue, 0x0020, 0).ToBytes(), // VM "other"'s guest DeviceID
            _ => throw new ArgumentException(variant),
        };
        var executed = _bed.Iommu.CommandsExecuted;
        var r = Invalidate(cmd, 1);
        Assert.Equal(Errno.EIO, r.Result.Error);
        Assert.Equal(0u, r.Done);
        Assert.Equal(executed, _bed.Iommu.CommandsExecuted); // nothing reached the host command buffer
    }

    [Fact]
    public void InvalidateIommuAllIsScopedToTheViommu()
    {
        var other = new AmdTestBed(_bed.Host, "other", AmdTestBed.GuestDomain, new AmdDeviceSpec(0x0300, 0x0008));
        var mine = _bed.Dev(0x0008);
        var theirs = other.Dev(0x0008);
        mine.Translate(AmdTestBed.Iova, null, Access.Read);
        theirs.Translate(AmdTestBed.Iova, null, Access.Read);
        Assert.True(Invalidate(InvalidateIommuAll.Create().ToBytes(), 1).Result.IsOk);
        Assert.False(_bed.Iommu.Iotlb.Contains(_bed.HostDomain, 0, AmdTestBed.Iova));
        Assert.False(mine.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova));
        Assert.True(_bed.Iommu.Iotlb.Contains(other.HostDomain, 0, AmdTestBed.Iova));
        Assert.True(theirs.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova));
        Assert.True(_bed.Iommu.IsDteCached(0x0300));
    }

    private static byte[] Opcode(ulong opcode)
    {
        var b = new byte[16];
        AmdCommandBytes.SetOpcode(b, opcode);
        return b;
    }

    private (IommufdResult Result, uint Done) Invalidate(ReadOnlySpan<byte> entries, uint count, uint dataType = AmdUapi.ViommuInvalidateDataAmdCommand, uint entryLength = 16)
    {
        var n = count;
        var r = _bed.Vm.Context.HwptInvalidate(_bed.Vm.Viommu.Id, dataType, entryLength, entries, ref n);
        return (r, n);
    }
}
