using System;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Tests.Amd;

/// <summary>DMA through DTE → GCR3 → guest v2 tables, every guest pointer a GPA translated by the nest parent's v1 stage 2.</summary>
public sealed class AmdNestedTranslationTests
{
    [Fact]
    public void DmaLandsAtTheHostPageOfTheGuestsMapping()
    {
        var bed = AmdTestBed.Create();
        var dev = bed.Dev(0x0008);
        byte[] data = [1, 2, 3, 4, 5, 6, 7, 8];
        var w = dev.Write(AmdTestBed.Iova + 0x2FFC, null, data); // crosses into the fourth page
        Assert.True(w.IsOk);
        var back = new byte[8];
        Assert.True(bed.Vm.Memory.TryRead(bed.Buffer + 0x2FFC, back));
        Assert.Equal(data, back);

        var r = bed.Dev(0x0010).Translate(AmdTestBed.Iova + 0x1010, null, Access.Read);
        Assert.True(r.IsOk);
        Assert.Equal(bed.Vm.Ram.Hpa + bed.Buffer + 0x1010, r.Hpa);
        Assert.Equal(12, r.PageShift);
        Assert.Equal(TranslationSource.Walk, r.Source);
    }

    [Fact]
    public void ThePageSizeIsTheSmallerOfTheTwoStages()
    {
        var bed = AmdTestBed.Create();
        var big = bed.Dev(0x0008).Translate(AmdTestBed.BigIova + 0x1_2345, null, Access.Write);
        Assert.True(big.IsOk);
        Assert.Equal(21, big.PageShift); // 2 MiB guest leaf over 2 MiB stage-2 leaves
        Assert.Equal(bed.Vm.Ram.Hpa + bed.BigBuffer + 0x1_2345, big.Hpa);

        // A 1 GiB guest leaf at GPA 0 over 2 MiB stage-2 leaves: 2 MiB translations.
        bed.Table.Map(0x80_0000_0000, 0, 0x4000_0000);
        bed.Guest(AmdTestBed.Pages(bed.DomainId, 0, ulong.MaxValue));
        var huge = bed.Dev(0x0008).Translate(0x80_0000_0000 + bed.Buffer + 0x10, null, Access.Read);
        Assert.True(huge.IsOk);
        Assert.Equal(21, huge.PageShift);
        Assert.Equal(bed.Vm.Ram.Hpa + bed.Buffer + 0x10, huge.Hpa);
    }

    [Fact]
    public void EveryGuestPointerIsTranslatedThroughStage2()
    {
        var bed = AmdTestBed.Create();
        var steps = new System.Collections.Generic.List<WalkStep>();
        bed.Iommu.Trace = steps.Add;
        Assert.True(bed.Dev(0x0008).Translate(AmdTestBed.Iova, null, Access.Read).IsOk);
        bed.Iommu.Trace = null;

        // GCR3 entry, PML4, PDPT, PD, PT — each preceded by a stage-2 walk of its GPA — then the final GPA.
        var guestSteps = steps.Where(s => s.Stage != TranslationStage.Stage2 && s.Format != "amd-vi/DeviceTableEntry").ToList();
        var stage1 = guestSteps.Select(s => s.Format).ToArray();
        Assert.Equal(["amd-vi/Gcr3Entry", "amd-vi/GuestPageTableEntry", "amd-vi/GuestPageTableEntry", "amd-vi/GuestPageTableEntry", "amd-vi/GuestPageTableEntry"], stage1);
        Assert.Equal(6, steps.Count(s => s.Stage == TranslationStage.Stage2 && s.Level == 2)); // six stage-2 walks
        Assert.All(guestSteps, s => Assert.True(s.Address >= bed.Vm.Ram.Hpa && s.Address < bed.Vm.Ram.Hpa + bed.Vm.Ram.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void PasidRequestsIndexTheGcr3TableAtEveryLevel(int glx)
    {
        var host = new AmdScenario();
        var vm = host.CreateVm("vm", 32UL << 20, new AmdDeviceSpec(0x0100, 0x0008));
        var gcr3 = vm.NewGcr3Table(glx);
        var t0 = vm.NewPageTable();
        var t1 = vm.NewPageTable();
        var b0 = vm.DmaAllocator.Allocate(0x1000);
        var b1 = vm.DmaAllocator.Allocate(0x1000);
        t0.Map(0x1000, b0, 0x1000);
        t1.Map(0x1000, b1, 0x1000);
        const uint pasid = 0xBEEF; // PASID[15:9] selects level 1, PASID[8:0] level 0
        gcr3.Set(0, t0.RootGpa);
        gcr3.Set(pasid, t1.RootGpa);
        Assert.True(vm.ConfigureDevice(0x0008, AmdVm.NestedDte(1, gcr3)));
        var dev = vm.Device(0x0008);

        var withPasid = dev.Translate(0x1000, pasid, Access.Read);
        var without = dev.Translate(0x1000, null, Access.Read);
        Assert.Equal(vm.Ram.Hpa + b1, withPasid.Hpa);
        Assert.Equal(vm.Ram.Hpa + b0, without.Hpa);
        Assert.False(dev.Translate(0x1000, pasid + 1, Access.Read).IsOk);
    }

    [Fact]
    public void RequestsWithoutPasidUseGcr3EntryZeroOnlyWithGIov()
    {
        var bed = AmdTestBed.Create();
        Assert.True(bed.Vm.ConfigureDevice(0x0010, AmdVm.NestedDte(bed.DomainId, bed.Gcr3, giov: false)));
        var dev = bed.Dev(0x0010);

        // GIoV=0: a request without PASID is translated by stage 2 alone (its address is a GPA).
        var r = dev.Translate(bed.Buffer, null, Access.Read);
        Assert.True(r.IsOk);
        Assert.Equal(bed.Vm.Ram.Hpa + bed.Buffer, r.Hpa);
        Assert.False(dev.Translate(AmdTestBed.Iova, null, Access.Read).IsOk);

        // With a PASID it still goes through GCR3.
        Assert.Equal(bed.Vm.Ram.Hpa + bed.Buffer, dev.Translate(AmdTestBed.Iova, 0, Access.Read).Hpa);
    }

    [Fact]
    public void FiveLevelGuestTablesAreWalkedWhenSupported()
    {
        var host = new AmdScenario(new AmdIommuOptions(FiveLevelGuestPaging: true));
        var vm = host.CreateVm("vm", 32UL << 20, new AmdDeviceSpec(0x0100, 0x0008));
        var gcr3 = vm.NewGcr3Table();
        var t = vm.NewPageTable(levels: 5);
        var b = vm.DmaAllocator.Allocate(0x1000);
        const ulong iova = 0x0100_0000_0000_0000; // bit 56: only a 5-level table reaches it
        t.Map(iova, b, 0x1000);
        gcr3.Set(0, t.RootGpa);
        Assert.True(vm.ConfigureDevice(0x0008, AmdVm.NestedDte(1, gcr3, GuestPagingMode.FiveLevel)));
        Assert.Equal(vm.Ram.Hpa + b, vm.Device(0x0008).Translate(iova, null, Access.Read).Hpa);
    }

    [Fact]
    public void AddressesBeyondTheGuestPagingWidthFaultAtStage1()
    {
        var bed = AmdTestBed.Create();
        var r = bed.Dev(0x0008).Translate(1UL << 48, null, Access.Read);
        Assert.Equal(TranslationStage.Stage1, r.Fault!.Stage);
        Assert.Equal(FaultKind.AddressSize, r.Fault.Kind);
    }

    [Fact]
    public void ANotPresentGuestPteIsAStage1FaultReportedToHostAndGuest()
    {
        var bed = AmdTestBed.Create();
        var dev = bed.Dev(0x0010);
        var r = dev.Translate(0x7000_0000, 0, Access.Write);
        Assert.False(r.IsOk);
        Assert.Equal(TranslationStage.Stage1, r.Fault!.Stage);
        Assert.Equal(FaultKind.NotPresent, r.Fault.Kind);
        Assert.Equal(AmdIommu.IoPageFaultCode, r.Fault.Code);

        var host = IoPageFaultEvent.Read(bed.Iommu.HostEvents[^1]);
        var flags = IoPageFaultFlags.FromWords([host.Flags]);
        Assert.Equal(0x0200UL, host.DeviceId);
        Assert.Equal(0UL, host.DomainOrPasid); // GN: the PASID
        Assert.True(flags.Gn && flags.Rw && !flags.Pr);
        Assert.Equal(0x7000_0000UL, host.Address);

        Assert.True(bed.Vm.Veventq.TryRead(out var record));
        var guest = IoPageFaultEvent.Read(record!.Payload);
        Assert.Equal(0x0010UL, guest.DeviceId); // the guest's DeviceID, never the host's
        Assert.Equal(0x7000_0000UL, guest.Address);
    }

    [Fact]
    public void AWriteToAReadOnlyGuestPageIsAStage1PermissionFault()
    {
        var bed = AmdTestBed.Create();
        var ro = bed.Vm.DmaAllocator.Allocate(0x1000);
        bed.Table.Map(0x9000_0000, ro, 0x1000, writable: false);
        var dev = bed.Dev(0x0008);
        Assert.True(dev.Translate(0x9000_0000, null, Access.Read).IsOk);
        var r = dev.Translate(0x9000_0000, null, Access.Write);
        Assert.Equal(TranslationStage.Stage1, r.Fault!.Stage);
        Assert.Equal(FaultKind.Permission, r.Fault.Kind);
        var flags = IoPageFaultFlags.FromWords([IoPageFaultEvent.Read(bed.Iommu.HostEvents[^1]).Flags]);
        Assert.True(flags.Pr && flags.Rw && !flags.Gn);
        var guest = bed.Vm.ReadGuestEvents();
        Assert.Equal(bed.DomainId, IoPageFaultEvent.Read(guest[^1]).DomainOrPasid); // no PASID: the guest's DomainID
    }

    [Fact]
    public void AGuestTableOutsideStage2IsAStage2FaultForTheHostOnly()
    {
        var bed = AmdTestBed.Create();
        // The guest points its PML4 entry for 0x8000_0000_0000 (index 256) at a GPA that is not RAM.
        var slot = bed.Table.RootGpa + GuestPageTableLevel4Table.Offset(0x8000_0000_0000);
        Span<byte> b = stackalloc byte[8];
        GuestPageTableEntry.Create().WithP(true).WithRw(true).WithUs(true).WithAddress(0x7_0000_0000).WriteTo(b);
        bed.Vm.Memory.TryWrite(slot, b);
        var r = bed.Dev(0x0008).Translate(0x8000_0000_0000, null, Access.Read);
        Assert.Equal(TranslationStage.Stage2, r.Fault!.Stage);
        Assert.Equal(FaultKind.NotPresent, r.Fault.Kind);
        Assert.Equal(0x7_0000_0000UL + GuestPageTableLevel3Table.Offset(0x8000_0000_0000), r.Fault.FaultAddress);
        var host = IoPageFaultEvent.Read(bed.Iommu.HostEvents[^1]);
        Assert.Equal(r.Fault.FaultAddress, host.Address);
        Assert.Equal(bed.HostDomain, host.DomainOrPasid);
        Assert.Equal(0, bed.Vm.Veventq.Count); // stage-2 faults are the host's
    }

    [Fact]
    public void AnInvalidGcr3EntryIsAStage1Fault()
    {
        var bed = AmdTestBed.Create();
        var r = bed.Dev(0x0008).Translate(AmdTestBed.Iova, 3, Access.Read);
        Assert.Equal(TranslationStage.Stage1, r.Fault!.Stage);
        Assert.Equal(FaultKind.NotPresent, r.Fault.Kind);
        Assert.Equal(1, bed.Vm.Veventq.Count);
    }

    [Fact]
    public void AWriteToAReadOnlyStage2PageIsAStage2PermissionFault()
    {
        var host = new AmdScenario();
        var vm = host.CreateVm("vm", 32UL << 20, new AmdDeviceSpec(0x0100, 0x0008));
        var roHpa = host.RamAllocator.Allocate(0x1000);
        Assert.True(vm.Context.IoasMap(vm.Ioas.Id, 0x1000_0000, roHpa, 0x1000, Access.Read).IsOk);
        var gcr3 = vm.NewGcr3Table();
        var t = vm.NewPageTable();
        gcr3.Set(0, t.RootGpa);
        t.Map(0x5000, 0x1000_0000, 0x1000);
        Assert.True(vm.ConfigureDevice(0x0008, AmdVm.NestedDte(1, gcr3)));
        var dev = vm.Device(0x0008);
        Assert.Equal(roHpa, dev.Translate(0x5000, null, Access.Read).Hpa);
        var w = dev.Translate(0x5000, null, Access.Write);
        Assert.Equal(TranslationStage.Stage2, w.Fault!.Stage);
        Assert.Equal(FaultKind.Permission, w.Fault.Kind);
        Assert.Equal(0x1000_0000UL, w.Fault.FaultAddress);
    }

    [Fact]
    public void APasidRequestWithoutGuestTranslationIsAnInvalidDeviceRequest()
    {
        var host = new AmdScenario();
        var vm = host.CreateVm("vm", 32UL << 20, new AmdDeviceSpec(0x0100, 0x0008));
        var dev = vm.Device(0x0008);
        Assert.True(vm.Context.Attach(dev.Id, null, vm.Parent.Id).IsOk);
        Assert.True(dev.Translate(0x1000, null, Access.Read).IsOk); // stage 2 only
        var r = dev.Translate(0x1000, 1, Access.Read);
        Assert.Equal(AmdIommu.InvalidDeviceRequestCode, r.Fault!.Code);
        Assert.True(InvalidDeviceRequestEvent.TryDecode(host.Iommu.HostEvents[^1], out var evt, out _));
        Assert.Equal(1UL, evt.Pasid);
    }

    [Fact]
    public void APasidWiderThanTheDevicesCapabilityIsAnInvalidDeviceRequest()
    {
        var bed = AmdTestBed.Create();
        var r = bed.Dev(0x0008).Translate(AmdTestBed.Iova, 1u << 16, Access.Read); // the devices have 16 PASID bits
        Assert.Equal(AmdIommu.InvalidDeviceRequestCode, r.Fault!.Code);
        Assert.True(InvalidDeviceRequestEvent.TryDecode(bed.Iommu.HostEvents[^1], out var evt, out _));
        Assert.Equal(0UL, evt.Pasid);
        Assert.Equal(0, bed.Vm.Veventq.Count);
        Assert.False(bed.Dev(0x0008).Translate(AmdTestBed.Iova, uint.MaxValue, Access.Read).IsOk); // never an exception
    }

    [Fact]
    public void ABlockedDeviceFaultsAtConfiguration()
    {
        var bed = AmdTestBed.Create();
        var dev = bed.Dev(0x0008);
        Assert.True(bed.Vm.Context.Detach(dev.Id, null).IsOk);
        var r = dev.Translate(AmdTestBed.Iova, null, Access.Read);
        Assert.Equal(TranslationStage.Config, r.Fault!.Stage);
        Assert.Equal(FaultKind.Blocked, r.Fault.Kind);
    }

    [Fact]
    public void ADteWithReservedBitsIsAnIllegalDevTableEntry()
    {
        var bed = AmdTestBed.Create(ats: false);
        var address = bed.Iommu.DteAddress(0x0100);
        var bad = bed.Iommu.ReadDte(0x0100);
        bad = DeviceTableEntry.FromWords([bad.GetWord(0) | (1UL << 63), bad.GetWord(1), bad.GetWord(2), bad.GetWord(3)]);
        bed.Host.Memory.TryWrite(address, bad.ToBytes());
        bed.Iommu.Submit(InvalidateDevtabEntry.Create().WithDeviceId(0x0100).ToBytes());
        var r = bed.Dev(0x0008).Translate(AmdTestBed.Iova, null, Access.Read);
        Assert.Equal(AmdIommu.IllegalDevTableEntryCode, r.Fault!.Code);
        Assert.True(IllegalDevTableEntryEvent.TryDecode(bed.Iommu.HostEvents[^1], out var evt, out _));
        Assert.Equal(0x0100UL, evt.DeviceId);
    }

    [Fact]
    public void TheDteCacheServesAStaleDteUntilInvalidateDevtabEntry()
    {
        var bed = AmdTestBed.Create(ats: false);
        var dev = bed.Dev(0x0008);
        Assert.True(dev.Translate(AmdTestBed.Iova, null, Access.Read).IsOk);
        Assert.True(bed.Iommu.IsDteCached(0x0100));

        // Someone rewrites the DTE in memory (cleared) without flushing: the hardware keeps using its cached copy.
        bed.Host.Memory.TryWrite(bed.Iommu.DteAddress(0x0100), AmdIommu.BlockedDte.ToBytes());
        bed.Iommu.Iotlb.InvalidateAll();
        Assert.True(dev.Translate(AmdTestBed.Iova, null, Access.Read).IsOk);
        bed.Iommu.Submit(InvalidateDevtabEntry.Create().WithDeviceId(0x0100).ToBytes());
        Assert.False(dev.Translate(AmdTestBed.Iova, null, Access.Read).IsOk);
    }

    [Fact]
    public void TheIotlbIsTaggedByHostDomainIdAndPasid()
    {
        var bed = AmdTestBed.Create(ats: false);
        var dev = bed.Dev(0x0008);
        Assert.Equal(TranslationSource.Walk, dev.Translate(AmdTestBed.Iova, null, Access.Read).Source);
        Assert.Equal(TranslationSource.Iotlb, dev.Translate(AmdTestBed.Iova + 8, null, Access.Read).Source);
        Assert.True(bed.Iommu.Iotlb.Contains(bed.HostDomain, 0, AmdTestBed.Iova)); // non-PASID with GIoV = PASID 0
        // The other device of the same guest domain shares the entry (same DomainID, same PASID).
        Assert.Equal(TranslationSource.Iotlb, bed.Dev(0x0010).Translate(AmdTestBed.Iova, null, Access.Read).Source);
        Assert.False(dev.Translate(AmdTestBed.Iova, 0x33, Access.Read).IsOk); // PASID 0x33's entries are not PASID 0's
    }

    [Fact]
    public void FaultsGoToTheFaultQueueOfAnIopfCapableNestedHwpt()
    {
        var bed = AmdTestBed.Create();
        var vm = bed.Vm;
        var dev = bed.Dev(0x0008);
        var fault = vm.Context.FaultQueueAlloc().Value;
        var bytes = AmdVm.NestedDte(bed.DomainId, bed.Gcr3).ToBytes();
        var hwpt = vm.Context.HwptAlloc(dev.Id, vm.Viommu.Id, HwptAllocFlags.FaultIdValid, AmdUapi.HwptDataAmdGuest, bytes, faultId: fault.Id).Value;
        Assert.True(vm.Context.Replace(dev.Id, null, hwpt.Id).IsOk);
        Assert.False(dev.Translate(0x7000_0000, 2, Access.Read).IsOk);
        Assert.True(fault.TryRead(out var req));
        Assert.Equal(dev.Id, req!.DeviceId);
        Assert.Equal(2u, req.Pasid);
        Assert.Equal(0x7000_0000UL, req.Address);
        Assert.True(fault.Respond(req.Cookie).IsOk);
        Assert.Equal(Errno.EBUSY, vm.Context.Destroy(fault.Id).Error);
    }
}
