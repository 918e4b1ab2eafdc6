using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>
/// Every fault of the nested walk, with the architected event it records in the host Event queue and where that event
/// goes: stage-1 and guest-configuration faults of a device with a vDEVICE reach the guest (vEVENTQ, StreamID = vSID);
/// stage-2 faults and fetch aborts stay on the host.
/// </summary>
public sealed class FaultTests
{
    private const ulong Va = ArmTestVm.Va;

    [Fact]
    public void AnUnmappedGuestPageIsAStage1TranslationFaultReportedToTheGuest()
    {
        var t = new ArmTestVm();
        var r = t.Device.Translate(Va + 0x10_0000, null, Access.Write);

        Assert.Equal(("F_TRANSLATION", TranslationStage.Stage1, FaultKind.NotPresent), (r.Fault!.Code, r.Fault.Stage, r.Fault.Kind));
        var host = Assert.Single(t.Smmu.HostEvents);
        Assert.Equal(1UL, host.ForwardedToVsid);
        Assert.True(host.Record.TryGet(out FTranslation hostRecord));
        Assert.Equal((0x100UL, false), (hostRecord.Sid, hostRecord.RnW));
        var guest = t.GuestEvent();
        Assert.True(guest!.Value.TryGet(out FTranslation ev));
        Assert.Equal((1UL, Va + 0x10_0000, false, FaultClass.Tt), (ev.Sid, ev.InputAddr, ev.S2, ev.Class));
    }

    [Fact]
    public void AWriteToAGuestReadOnlyPageIsAStage1PermissionFault()
    {
        var t = new ArmTestVm();
        t.Domain.PageTable.Remap(Va, t.Buffer, Access.Read);

        Assert.True(t.Device.Translate(Va, null, Access.Read).IsOk);
        var r = t.Device.Translate(Va, null, Access.Write);

        Assert.Equal(("F_PERMISSION", TranslationStage.Stage1), (r.Fault!.Code, r.Fault.Stage));
        Assert.True(t.GuestEvent()!.Value.TryGet(out FPermission ev));
        Assert.False(ev.RnW);
    }

    [Fact]
    public void APageWithoutTheAccessFlagIsAnAccessFault()
    {
        var t = new ArmTestVm();
        t.Domain.PageTable.Remap(Va + 0x1000, t.Buffer + 0x1000, Access.ReadWrite, af: false);

        var r = t.Device.Translate(Va + 0x1000, null, Access.Read);

        Assert.Equal(("F_ACCESS", TranslationStage.Stage1), (r.Fault!.Code, r.Fault.Stage));
        Assert.Equal(EventKind.FAccess, t.GuestEvent()!.Value.Kind);
    }

    [Fact]
    public void AStage1OutputBeyondIpsIsAnAddressSizeFault()
    {
        var t = new ArmTestVm();
        t.RewriteCd(0, SmmuV3GuestCdTable.MakeS1Cd(5, t.Domain.PageTable.Root).WithIps(AddressSize.Bits32));
        t.Domain.PageTable.Remap(Va + 0x2000, 0x1_0000_0000, Access.ReadWrite);

        var r = t.Device.Translate(Va + 0x2000, null, Access.Read);

        Assert.Equal(("F_ADDR_SIZE", TranslationStage.Stage1), (r.Fault!.Code, r.Fault.Stage));
        Assert.Equal(EventKind.FAddrSize, t.GuestEvent()!.Value.Kind);
    }

    [Fact]
    public void AGuestPageOutsideTheIoasIsAStage2FaultOnTheInputKeptByTheHost()
    {
        var t = new ArmTestVm();
        const ulong hole = 0x4000_0000; // an IPA with no IOAS mapping (RAM is 16 MiB at 0)
        t.Domain.PageTable.Remap(Va + 0x3000, hole, Access.ReadWrite);

        var r = t.Device.Translate(Va + 0x3000, null, Access.Read);

        Assert.Equal(("F_TRANSLATION", TranslationStage.Stage2, hole), (r.Fault!.Code, r.Fault.Stage, r.Fault.FaultAddress));
        var host = Assert.Single(t.Smmu.HostEvents);
        Assert.Null(host.ForwardedToVsid);
        Assert.True(host.Record.TryGet(out FTranslation ev));
        Assert.Equal((true, FaultClass.In, hole, Va + 0x3000), (ev.S2, ev.Class, ev.Ipa, ev.InputAddr));
        Assert.Null(t.GuestEvent());
    }

    [Fact]
    public void AGuestTablePointerOutsideTheIoasIsAStage2FaultOfClassTt()
    {
        var t = new ArmTestVm();
        var (slot, _) = t.Domain.PageTable.Leaf(Va);
        var (l2, _) = LeafOfLevel(t, Va, 2);
        t.Vm.Memory.TryWriteUInt64(l2, S1TableDescriptor4K.Create().WithNextTableAddress(0x7000_0000).GetWord(0));
        Assert.NotEqual(0UL, slot);

        var r = t.Device.Translate(Va, null, Access.Read);

        Assert.Equal(("F_TRANSLATION", TranslationStage.Stage2, 0x7000_0000UL), (r.Fault!.Code, r.Fault.Stage, r.Fault.FaultAddress));
        Assert.True(Assert.Single(t.Smmu.HostEvents).Record.TryGet(out FTranslation ev));
        Assert.Equal((true, FaultClass.Tt), (ev.S2, ev.Class));
    }

    [Fact]
    public void ACdTableOutsideTheIoasIsAStage2FaultOfClassCd()
    {
        var t = new ArmTestVm();
        t.RewriteSte(SmmuV3GuestDriver.MakeCdTableSte(t.Domain.Cds, false).WithS1ContextPtr(0x7100_0000));

        var r = t.Device.Translate(Va, null, Access.Read);

        Assert.Equal(("F_TRANSLATION", TranslationStage.Stage2, 0x7100_0000UL), (r.Fault!.Code, r.Fault.Stage, r.Fault.FaultAddress));
        Assert.True(t.Smmu.HostEvents[^1].Record.TryGet(out FTranslation ev));
        Assert.Equal((true, FaultClass.Cd), (ev.S2, ev.Class));
    }

    [Fact]
    public void AWriteThroughAReadOnlyIoasMappingIsAStage2PermissionFault()
    {
        var t = new ArmTestVm();
        var ro = t.Host.RamAllocator.Allocate(0x1000);
        Assert.True(t.Vm.Fd.IoasMap(t.Vm.Ioas.Id, 0x2000_0000, ro, 0x1000, Access.Read).IsOk);
        t.Domain.PageTable.Remap(Va + 0x1000, 0x2000_0000, Access.ReadWrite);

        Assert.True(t.Device.Translate(Va + 0x1000, null, Access.Read).IsOk);
        var r = t.Device.Translate(Va + 0x1000, null, Access.Write);

        Assert.Equal(("F_PERMISSION", TranslationStage.Stage2), (r.Fault!.Code, r.Fault.Stage));
        Assert.True(t.Smmu.HostEvents[^1].Record.TryGet(out FPermission ev));
        Assert.True(ev.S2);
        Assert.Null(t.GuestEvent());
    }

    [Fact]
    public void AGuestTableInUnbackedHostMemoryIsAWalkExternalAbort()
    {
        var t = new ArmTestVm();
        var (l2, _) = LeafOfLevel(t, Va, 2);
        Assert.True(t.Vm.Fd.IoasMap(t.Vm.Ioas.Id, 0x3000_0000, 0x3F_0000_0000, 0x1000, Access.ReadWrite).IsOk); // HPA never backed
        t.Vm.Memory.TryWriteUInt64(l2, S1TableDescriptor4K.Create().WithNextTableAddress(0x3000_0000).GetWord(0));

        var r = t.Device.Translate(Va, null, Access.Read);

        Assert.Equal(("F_WALK_EABT", FaultKind.ExternalAbort), (r.Fault!.Code, r.Fault.Kind));
        Assert.True(t.Smmu.HostEvents[^1].Record.TryGet(out FWalkEabt ev));
        Assert.Equal(0x3F_0000_0000UL + TranslationTable4KLevel3Table.Offset(Va), ev.FetchAddr);
        Assert.Null(t.Smmu.HostEvents[^1].ForwardedToVsid);
    }

    [Fact]
    public void ACdInUnbackedHostMemoryIsACdFetchAbort()
    {
        var t = new ArmTestVm();
        Assert.True(t.Vm.Fd.IoasMap(t.Vm.Ioas.Id, 0x3000_0000, 0x3F_0000_0000, 0x1000, Access.ReadWrite).IsOk);
        t.RewriteSte(SmmuV3GuestDriver.MakeCdTableSte(t.Domain.Cds, false).WithS1ContextPtr(0x3000_0000));

        var r = t.Device.Translate(Va, null, Access.Read);

        Assert.Equal(("F_CD_FETCH", TranslationStage.Config), (r.Fault!.Code, r.Fault.Stage));
        Assert.True(t.Smmu.HostEvents[^1].Record.TryGet(out FCdFetch ev));
        Assert.Equal(0x3F_0000_0000UL, ev.FetchAddr);
    }

    [Fact]
    public void AnInvalidCdIsBadCdReportedToTheGuest()
    {
        var t = new ArmTestVm();
        t.RewriteCd(0, SmmuV3GuestCdTable.MakeS1Cd(5, t.Domain.PageTable.Root).WithV(false));

        var r = t.Device.Translate(Va, null, Access.Read);

        Assert.Equal(("C_BAD_CD", TranslationStage.Config), (r.Fault!.Code, r.Fault.Stage));
        Assert.True(t.GuestEvent()!.Value.TryGet(out CBadCd ev));
        Assert.Equal(1UL, ev.Sid);
    }

    [Fact]
    public void ACdWithAGranuleTheSmmuDoesNotAdvertiseIsBadCd()
    {
        var t = new ArmTestVm();
        t.RewriteCd(0, SmmuV3GuestCdTable.MakeS1Cd(5, t.Domain.PageTable.Root).WithTg0(TranslationGranule.Granule64K));

        Assert.Equal("C_BAD_CD", t.Device.Translate(Va, null, Access.Read).Fault!.Code);
    }

    [Fact]
    public void ASubstreamBeyondS1CdMaxIsBadSubstreamId()
    {
        var t = new ArmTestVm(s1CdMax: 2);
        var r = t.Device.Translate(Va, 4, Access.Read);

        Assert.Equal(("C_BAD_SUBSTREAMID", TranslationStage.Config), (r.Fault!.Code, r.Fault.Stage));
        Assert.True(t.GuestEvent()!.Value.TryGet(out CBadSubstreamid ev));
        Assert.Equal((1UL, 4UL, true), (ev.Sid, ev.Ssid, ev.Ssv));
    }

    [Fact]
    public void AnInvalidL1CdIsBadSubstreamId()
    {
        var t = new ArmTestVm(s1CdMax: 12, twoLevelCd: true);
        Assert.True(t.Device.Translate(Va, null, Access.Read).IsOk); // SSID 0 through the first leaf table

        var r = t.Device.Translate(Va, 0x800, Access.Read); // L1CD[2] was never published

        Assert.Equal("C_BAD_SUBSTREAMID", r.Fault!.Code);
    }

    [Fact]
    public void ASubstreamTranslatesThroughItsOwnCd()
    {
        var t = new ArmTestVm(s1CdMax: 12, twoLevelCd: true);
        var pt = new SmmuV3GuestPageTable(t.Vm.Memory, t.Vm.Allocator);
        var other = t.Vm.AllocateBuffer(0x1000);
        pt.Map(Va, other, 0x1000, Access.ReadWrite);
        t.Domain.Cds.Write(0x801, SmmuV3GuestCdTable.MakeS1Cd(9, pt.Root));

        var r = t.Device.Translate(Va, 0x801, Access.Read);

        Assert.Equal(t.Hpa(other), r.Hpa);
        Assert.True(t.Smmu.Iotlb.Contains(t.Vm.Vmid, 9, Va));
    }

    [Fact]
    public void NoSubstreamWithS1DssTerminateIsStreamDisabled()
    {
        var t = new ArmTestVm(s1CdMax: 2);
        t.RewriteSte(SmmuV3GuestDriver.MakeCdTableSte(t.Domain.Cds, false).WithS1Dss(S1DefaultSubstream.Terminate));

        var r = t.Device.Translate(Va, null, Access.Read);

        Assert.Equal("F_STREAM_DISABLED", r.Fault!.Code);
        Assert.Equal(EventKind.FStreamDisabled, t.GuestEvent()!.Value.Kind);
    }

    [Fact]
    public void AnUnconfiguredStreamIsBadSteKeptByTheHost()
    {
        var host = new ArmScenario(new SmmuV3Options { TwoLevelStreamTable = false });
        var fd = new IommufdContext();
        var dev = fd.BindDevice(host.Smmu, 0x42, false, 0).Value;

        var r = host.Smmu.Translate(dev, null, 0x1000, Access.Read);

        Assert.Equal(("C_BAD_STE", TranslationStage.Config), (r.Fault!.Code, r.Fault.Stage));
        Assert.Equal("kept by the host (logged)", Assert.Single(host.Smmu.HostEvents).Disposition);
    }

    [Fact]
    public void AStreamIdOutsideTheStreamTableIsBadStreamId()
    {
        var host = new ArmScenario();
        var fd = new IommufdContext();
        var beyond = fd.BindDevice(host.Smmu, 0x1_0000, false, 0).Value;
        var noL2 = fd.BindDevice(host.Smmu, 0x7700, false, 0).Value;

        Assert.Equal("C_BAD_STREAMID", host.Smmu.Translate(beyond, null, 0, Access.Read).Fault!.Code);
        Assert.Equal("C_BAD_STREAMID", host.Smmu.Translate(noL2, null, 0, Access.Read).Fault!.Code);
        Assert.Equal(Errno.ENODEV, host.Smmu.Attach(beyond, null, fd.HwptAlloc(noL2.Id, fd.IoasAlloc().Value.Id, 0).Value).Error);
    }

    [Fact]
    public void Stage1FaultsAreNotRecordedWhenTheCdDoesNotAskForIt()
    {
        var t = new ArmTestVm();
        t.RewriteCd(0, SmmuV3GuestCdTable.MakeS1Cd(5, t.Domain.PageTable.Root).WithR(false));

        var r = t.Device.Translate(Va + 0x20_0000, null, Access.Read);

        Assert.Equal("F_TRANSLATION", r.Fault!.Code);
        Assert.Empty(t.Smmu.HostEvents);
    }

    [Fact]
    public void WithoutAVeventqTheForwardedEventIsDropped()
    {
        var t = new ArmTestVm();
        Assert.True(t.Vm.Fd.Destroy(t.Vm.Events.Id).IsOk);

        t.Device.Translate(Va + 0x20_0000, null, Access.Read);

        Assert.StartsWith("dropped", Assert.Single(t.Smmu.HostEvents).Disposition);
    }

    private static (ulong Slot, int Level) LeafOfLevel(ArmTestVm t, ulong va, int level)
    {
        // The slot of the level-<level> entry for va: walk the guest table in guest memory.
        var table = t.Domain.PageTable.Root;
        for (var l = 0; l < level; l++)
        {
            Assert.True(t.Vm.Memory.TryReadUInt64(table + TableOffset(l, va), out var raw));
            table = S1TableDescriptor4K.FromWords([raw]).NextTableAddress;
        }

        return (table + TableOffset(level, va), level);
    }

    private static ulong TableOffset(int level, ulong va) => level switch
    {
        0 => TranslationTable4KLevel0Table.Offset(va),
        1 => TranslationTable4KLevel1Table.Offset(va),
        2 => TranslationTable4KLevel2Table.Offset(va),
        _ => TranslationTable4KLevel3Table.Offset(va),
    };
}
