using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Intel;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Tests.Intel;

/// <summary>
/// The hardware walk from bytes in memory: host root/context/PASID entries, the guest's first-stage tables through the
/// nest parent's second stage, the IOTLB and the ATC, and every fault with its stage and reason.
/// </summary>
public sealed class NestedTranslationTests
{
    private const ulong Iova = 0x4000_0000;
    private const ulong Buffer = 0x0180_0000;

    private readonly IntelScenario _host;
    private readonly IntelVm _vm;
    private readonly Device _ats;
    private readonly Device _plain;
    private readonly IntelGuestPageTableBuilder _table;
    private readonly HwptNested _nested;

    public NestedTranslationTests()
    {
        _host = new IntelScenario();
        _vm = _host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08), new IntelVmDevice(0x0108, 0x10, Ats: false));
        _ats = _vm.Device(0x08);
        _plain = _vm.Device(0x10);
        _table = _vm.NewPageTable();
        _table.Map(Iova, Buffer);
        _nested = AttachNested(_table, _ats, _plain);
    }

    private IntelVtdIommu Iommu => _host.Iommu;

    [Fact]
    public void DmaWalksTheGuestTablesThroughStageTwoAndSetsAccessedAndDirty()
    {
        var steps = new List<WalkStep>();
        Iommu.Trace = steps.Add;
        var r = _plain.Write(Iova + 0x20, null, [1, 2, 3]);
        Iommu.Trace = null;

        Assert.True(r.IsOk);
        Assert.Equal(_vm.HpaOf(Buffer + 0x20), r.Hpa);
        Assert.Equal(12, r.PageShift);
        var bytes = new byte[3];
        _vm.Memory.TryRead(Buffer + 0x20, bytes);
        Assert.Equal(new byte[] { 1, 2, 3 }, bytes);

        // root, context, PASID directory, PASID entry; then per first-stage level: the stage-2 walk of its pointer and the entry
        Assert.Equal(
            ["intel-vtd/ScalableModeRootEntry", "intel-vtd/ScalableModeContextEntry", "intel-vtd/PasidDirectoryEntry", "intel-vtd/PasidTableEntry"],
            steps.Take(4).Select(s => s.Format));
        Assert.Equal(4, steps.Count(s => s.Stage == TranslationStage.Stage1));
        Assert.Equal(5, steps.Count(s => s.Stage == TranslationStage.Stage2 && s.Level == 2)); // 4 table pointers + the output

        var leaf = FirstStagePte.FromWords([_table.ReadLeafWord(Iova)]);
        Assert.True(leaf.A && leaf.D);
    }

    [Fact]
    public void SecondRequestHitsTheIotlbTaggedWithTheHostDidAndPasid()
    {
        Assert.Equal(TranslationSource.Walk, _plain.Translate(Iova, null, Access.Read).Source);
        Assert.Equal(TranslationSource.Iotlb, _plain.Translate(Iova + 8, null, Access.Read).Source);
        var did = ((IntelNestedDomain)_nested.Domain).Did;
        Assert.True(Iommu.Iotlb.Contains(did, IntelVtdIommu.RidPasid, Iova));
        Assert.Equal(0, _plain.Atc.Count);
    }

    [Fact]
    public void AtsDeviceCachesTheTranslationInItsAtc()
    {
        Assert.Equal(TranslationSource.Walk, _ats.Translate(Iova, null, Access.Read).Source);
        Assert.Equal(TranslationSource.Atc, _ats.Translate(Iova, null, Access.Read).Source);
        Assert.True(_ats.Atc.Contains(0, Device.NoPasid, Iova));
    }

    [Fact]
    public void GuestPteChangeWithoutInvalidationKeepsReturningTheStaleTranslation()
    {
        var first = _ats.Translate(Iova, null, Access.Read);
        _plain.Translate(Iova, null, Access.Read);
        _table.Map(Iova + 0x1000, Buffer + 0x1000);
        _table.Unmap(Iova);

        var atc = _ats.Translate(Iova, null, Access.Read);
        var iotlb = _plain.Translate(Iova, null, Access.Read);
        Assert.True(atc.IsOk && iotlb.IsOk);
        Assert.Equal(TranslationSource.Atc, atc.Source);
        Assert.Equal(TranslationSource.Iotlb, iotlb.Source);
        Assert.Equal(first.Hpa, atc.Hpa);

        uint n = 1;
        Assert.True(_vm.Fd.HwptInvalidate(_nested.Id, IntelUapi.HwptInvalidateDataVtdS1, 24, new IommuHwptVtdS1Invalidate(Iova, 1).ToBytes(), ref n).IsOk);

        Assert.Equal(FaultReason.SmFirstStageEntryNotPresent, IntelVtdIommu.ReasonOf(_ats.Translate(Iova, null, Access.Read).Fault!));
        Assert.Equal(FaultReason.SmFirstStageEntryNotPresent, IntelVtdIommu.ReasonOf(_plain.Translate(Iova, null, Access.Read).Fault!));
    }

    [Fact]
    public void LargeGuestPagesCombineWithTheStageTwoPageSize()
    {
        _table.Map(0x8000_0000, 0, pageShift: 30);
        _table.Map(0x4060_0000, 0x0060_0000, pageShift: 21);

        var gig = _plain.Translate(0x8000_0000 + 0x0123_4567, null, Access.Read);
        Assert.True(gig.IsOk);
        Assert.Equal(_vm.HpaOf(0x0123_4567), gig.Hpa);
        Assert.Equal(21, gig.PageShift); // stage 2 maps guest RAM with 2 MiB pages
        var two = _plain.Translate(0x4060_0000 + 0x1000, null, Access.Write);
        Assert.Equal(_vm.HpaOf(0x0060_1000), two.Hpa);
        Assert.Equal(21, two.PageShift);
    }

    [Fact]
    public void FiveLevelGuestTablesNeedFs5lp()
    {
        var host = new IntelScenario(new IntelVtdOptions { FirstStage5Level = true });
        var vm = host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08, Ats: false));
        var table = vm.NewPageTable(levels: 5);
        const ulong high = 0x00AB_0000_0000_0000;
        table.Map(high, Buffer);
        var nested = vm.Fd.HwptAlloc(vm.Device(0x08).Id, vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, new IommuHwptVtdS1(0, table.Root, 57).ToBytes()).Value;
        Assert.True(vm.Fd.Replace(vm.Device(0x08).Id, null, nested.Id).IsOk);

        var r = vm.Device(0x08).Translate(high + 0x44, null, Access.Read);
        Assert.True(r.IsOk);
        Assert.Equal(vm.HpaOf(Buffer + 0x44), r.Hpa);
        var nonCanonical = vm.Device(0x08).Translate(1UL << 57, null, Access.Read);
        Assert.Equal(FaultReason.SmFirstStageNonCanonical, IntelVtdIommu.ReasonOf(nonCanonical.Fault!));
    }

    [Fact]
    public void NotPresentGuestEntryIsAStageOneFaultLoggedWithTheHostSidAndKeptForTheGuest()
    {
        var r = _plain.Translate(Iova + 0x10_0000, null, Access.Write);

        Assert.False(r.IsOk);
        Assert.Equal(TranslationStage.Stage1, r.Fault!.Stage);
        Assert.Equal(FaultKind.NotPresent, r.Fault.Kind);
        Assert.Equal(FaultReason.SmFirstStageEntryNotPresent, IntelVtdIommu.ReasonOf(r.Fault));
        Assert.True(Iommu.Faults.Fsts.Ppf);
        var record = Iommu.Faults.Record((int)Iommu.Faults.Fsts.Fri);
        Assert.True(record.F);
        Assert.Equal(_plain.PhysicalId, record.Sid);
        Assert.Equal(FaultReason.SmFirstStageEntryNotPresent, record.Fr);
        Assert.Equal(Iova + 0x10_0000, record.Fi);
        Assert.False(record.T); // T = 0: write
        Assert.False(record.Pp);

        // the record is in host memory at the fault-recording area, as the driver reads it
        Assert.True(_host.Host.TryReadUInt64(Iommu.FaultRecordBase + (Iommu.Faults.Fsts.Fri * 16) + 8, out var hi));
        Assert.Equal(record.GetWord(1), hi);

        var guest = new List<FaultRecord>();
        Assert.Equal(1, Iommu.TakeStage1Faults(_plain, guest));
        Assert.Equal(FaultReason.SmFirstStageEntryNotPresent, guest[0].Fr);
        Assert.Single(Iommu.DrainFaultRecords());
        Assert.False(Iommu.Faults.Fsts.Ppf);
    }

    [Fact]
    public void GuestPermissionFaultsAreStageOne()
    {
        _table.Map(Iova + 0x1000, Buffer + 0x1000, writable: false);
        _table.Map(Iova + 0x2000, Buffer + 0x2000, user: false);

        Assert.Equal(FaultReason.SmNoWrite, IntelVtdIommu.ReasonOf(_plain.Translate(Iova + 0x1000, null, Access.Write).Fault!));
        Assert.True(_plain.Translate(Iova + 0x1000, null, Access.Read).IsOk);
        var us = _plain.Translate(Iova + 0x2000, null, Access.Read).Fault!;
        Assert.Equal(FaultReason.SmFirstStageUserSupervisor, IntelVtdIommu.ReasonOf(us));
        Assert.Equal(TranslationStage.Stage1, us.Stage);
        Assert.Equal(FaultReason.SmFirstStageNonCanonical, IntelVtdIommu.ReasonOf(_plain.Translate(0x0000_8000_0000_0000, null, Access.Read).Fault!));
    }

    [Fact]
    public void SupervisorRequestsNeedSreAndWpeDecidesSupervisorWrites()
    {
        _table.Map(Iova + 0x1000, Buffer + 0x1000, writable: false, user: false);
        var sre = (HwptNested)_vm.Fd.HwptAlloc(_plain.Id, _vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, new IommuHwptVtdS1(IntelUapi.VtdS1Sre, _table.Root, 48).ToBytes()).Value;
        var sreWpe = (HwptNested)_vm.Fd.HwptAlloc(_plain.Id, _vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, new IommuHwptVtdS1(IntelUapi.VtdS1Sre | IntelUapi.VtdS1Wpe, _table.Root, 48).ToBytes()).Value;

        var noSre = _plain.Translate(Iova, null, Access.Read | Access.Privileged).Fault!;
        Assert.Equal(FaultReason.SmSreClear, IntelVtdIommu.ReasonOf(noSre));
        Assert.Equal(TranslationStage.Config, noSre.Stage);

        _vm.Fd.Replace(_plain.Id, null, sre.Id);
        Assert.True(_plain.Translate(Iova + 0x1000, null, Access.Write | Access.Privileged).IsOk);
        _vm.Fd.Replace(_plain.Id, null, sreWpe.Id);
        Assert.Equal(FaultReason.SmNoWrite, IntelVtdIommu.ReasonOf(_plain.Translate(Iova + 0x1000, null, Access.Write | Access.Privileged).Fault!));
    }

    [Fact]
    public void ReservedBitsInAGuestLargeLeafAreFault0x72()
    {
        _table.Map(0x4060_0000, 0x0060_0000, pageShift: 21);
        var pde = FirstStageLargePde.FromWords([_table.ReadLeafWord(0x4060_0000)]);
        _table.WriteLeafWord(0x4060_0000, pde.GetWord(0) | (1UL << 13)); // bit 13: reserved in a 2 MiB leaf
        Assert.True(FirstStageLargePde.FromWords([_table.ReadLeafWord(0x4060_0000)]).Validate().HasReservedBitsSet);

        var r = _plain.Translate(0x4060_0000, null, Access.Read);
        Assert.Equal(FaultReason.SmFirstStageEntryReserved, IntelVtdIommu.ReasonOf(r.Fault!));
        Assert.Equal(TranslationStage.Stage1, r.Fault!.Stage);
    }

    [Fact]
    public void GuestTablePointersOutsideStageTwoAreHostFaultsOfTheNestedWalk()
    {
        // FSPTPTR itself is not mapped by stage 2
        var rootless = AttachNestedRaw(0x0800_0000, _plain);
        var root = _plain.Translate(Iova, null, Access.Read).Fault!;
        Assert.Equal(TranslationStage.Stage2, root.Stage);
        Assert.Equal(FaultReason.SmNestedFirstStageRootReadPermission, IntelVtdIommu.ReasonOf(root));
        Assert.Equal(0x0800_0000UL + (FirstStagePml4Table.Index(Iova) * 8), root.FaultAddress);

        // a lower-level table pointer is not mapped
        var table = _vm.NewPageTable();
        table.Map(Iova, Buffer);
        _vm.Memory.TryReadUInt64(table.Root + (FirstStagePml4Table.Index(Iova) * 8), out var pml4e);
        _vm.Memory.TryWriteUInt64(table.Root + (FirstStagePml4Table.Index(Iova) * 8), FirstStageDirectoryEntry.FromWords([pml4e]).WithAddr(0x0900_0000).GetWord(0));
        AttachNestedRaw(table.Root, _plain);
        var lower = _plain.Translate(Iova, null, Access.Read).Fault!;
        Assert.Equal(TranslationStage.Stage2, lower.Stage);
        Assert.Equal(FaultReason.SmNestedFirstStageReadPermission, IntelVtdIommu.ReasonOf(lower));
        Assert.NotNull(rootless);

        // the output GPA is not mapped: a stage-2 translation fault
        _table.Map(Iova + 0x3000, 0x0A00_0000);
        _vm.Fd.Replace(_plain.Id, null, _nested.Id);
        var output = _plain.Translate(Iova + 0x3000, null, Access.Read).Fault!;
        Assert.Equal(TranslationStage.Stage2, output.Stage);
        Assert.Equal(FaultReason.SmSecondStagePermission, IntelVtdIommu.ReasonOf(output));
        Assert.Equal(0x0A00_0000UL, output.FaultAddress);
        Assert.DoesNotContain(StageOneRecords(_plain), r => r.Fr is FaultReason.SmSecondStagePermission or FaultReason.SmNestedFirstStageReadPermission);
    }

    [Fact]
    public void AccessedFlagUpdateThroughAReadOnlyStageTwoMappingIsFault0x77()
    {
        // guest tables in a region the host mapped read-only (what the SPR17 erratum forbids)
        const ulong roGpa = 0x0600_0000;
        var ro = _vm.Memory.AddRam(roGpa, 0x20_0000);
        Assert.True(_vm.Fd.IoasMap(_vm.Ioas.Id, roGpa, ro.Hpa, ro.Length, Access.Read).IsOk);
        var table = new IntelGuestPageTableBuilder(_vm.Memory, new GuestPageAllocator(_vm.Memory, roGpa, roGpa + ro.Length));
        table.Map(Iova, Buffer);
        AttachNestedRaw(table.Root, _plain);

        var r = _plain.Translate(Iova, null, Access.Read).Fault!;
        Assert.Equal(TranslationStage.Stage2, r.Stage);
        Assert.Equal(FaultReason.SmNestedFirstStageWritePermission, IntelVtdIommu.ReasonOf(r));
    }

    [Fact]
    public void WriteToStageTwoReadOnlyMemoryIsAStageTwoNoWrite()
    {
        const ulong roGpa = 0x0600_0000;
        var ro = _vm.Memory.AddRam(roGpa, 0x20_0000);
        _vm.Fd.IoasMap(_vm.Ioas.Id, roGpa, ro.Hpa, ro.Length, Access.Read);
        _table.Map(Iova + 0x5000, roGpa);

        Assert.True(_plain.Translate(Iova + 0x5000, null, Access.Read).IsOk);
        var w = _plain.Translate(Iova + 0x5000, null, Access.Write).Fault!;
        Assert.Equal(TranslationStage.Stage2, w.Stage);
        Assert.Equal(FaultReason.SmNoWrite, IntelVtdIommu.ReasonOf(w));
    }

    [Fact]
    public void UnconfiguredDevicesAndPasidsFaultInTheConfiguration()
    {
        var host = new IntelScenario();
        var vm = host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08), new IntelVmDevice(0x8080, 0x10, PasidBits: 8));
        var stranger = vm.Fd.BindDevice(host.Iommu, 0x4400, atsCapable: false, pasidBits: 0).Value;
        Assert.Equal(FaultReason.SmRootEntryNotPresent, IntelVtdIommu.ReasonOf(stranger.Translate(0, null, Access.Read).Fault!));

        var sameBus = vm.Fd.BindDevice(host.Iommu, 0x0110, atsCapable: false, pasidBits: 0).Value;
        Assert.Equal(FaultReason.SmContextEntryNotPresent, IntelVtdIommu.ReasonOf(sameBus.Translate(0, null, Access.Read).Fault!));

        // RID 0x0100 has no PASID capability: a request with PASID is refused by the context entry
        Assert.Equal(FaultReason.SmPasideClear, IntelVtdIommu.ReasonOf(vm.Device(0x08).Translate(0, 3, Access.Read).Fault!));

        // RID 0x8080 (upper context table) has 8-bit PASIDs: a PASID above its directory is refused, an unattached one is not present
        var upper = vm.Device(0x10);
        Assert.Equal(FaultReason.SmPasidAboveContextMax, IntelVtdIommu.ReasonOf(upper.Translate(0, 0xF_0000, Access.Read).Fault!));
        Assert.Equal(FaultReason.SmPasidDirectoryEntryNotPresent, IntelVtdIommu.ReasonOf(upper.Translate(0, 0x40, Access.Read).Fault!));
        Assert.Equal(FaultReason.SmPasidTableEntryNotPresent, IntelVtdIommu.ReasonOf(upper.Translate(0, 3, Access.Read).Fault!));
        Assert.True(upper.Translate(0x1000, null, Access.Read).IsOk); // RID_PASID: the nest parent (GPA = IOVA)
    }

    [Fact]
    public void PasidAttachmentTranslatesRequestsWithThatPasid()
    {
        var host = new IntelScenario();
        var vm = host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08, Ats: true, PasidBits: 20));
        var dev = vm.Device(0x08);
        var table = vm.NewPageTable();
        table.Map(Iova, Buffer + 0x3000);
        var nested = (HwptNested)vm.Fd.HwptAlloc(dev.Id, vm.NestParent.Id, HwptAllocFlags.Pasid, IntelUapi.HwptDataVtdS1, new IommuHwptVtdS1(0, table.Root, 48).ToBytes()).Value;
        Assert.True(vm.Fd.Attach(dev.Id, 0x123, nested.Id).IsOk);

        var r = dev.Translate(Iova, 0x123, Access.Read);
        Assert.True(r.IsOk);
        Assert.Equal(vm.HpaOf(Buffer + 0x3000), r.Hpa);
        Assert.True(host.Iommu.Iotlb.Contains(((IntelNestedDomain)nested.Domain).Did, 0x123, Iova));
        Assert.True(dev.Atc.Contains(0, 0x123, Iova));

        // the RID itself still translates through the parent
        Assert.Equal(vm.HpaOf(Iova & 0x1FF_FFFF), dev.Translate(Iova & 0x1FF_FFFF, null, Access.Read).Hpa);
    }

    [Fact]
    public void StageOneFaultOnAnIopfCapableHwptBecomesAPageRequestInTheFaultQueue()
    {
        var fault = _vm.Fd.FaultQueueAlloc().Value;
        var iopf = (HwptNested)_vm.Fd.HwptAlloc(_plain.Id, _vm.NestParent.Id, HwptAllocFlags.FaultIdValid, IntelUapi.HwptDataVtdS1, new IommuHwptVtdS1(0, _table.Root, 48).ToBytes(), faultId: fault.Id).Value;
        Assert.True(_vm.Fd.Replace(_plain.Id, null, iopf.Id).IsOk);
        Assert.Equal(Errno.EBUSY, _vm.Fd.Destroy(fault.Id).Error);

        var r = _plain.Translate(Iova + 0x7000, null, Access.Write);

        Assert.False(r.IsOk);
        Assert.Equal(1, fault.Pending);
        Assert.True(fault.TryRead(out var request));
        Assert.Equal(_plain.Id, request!.DeviceId);
        Assert.Null(request.Pasid);
        Assert.Equal(Iova + 0x7000, request.Address);
        Assert.Equal(Access.Write, request.Permissions);
        Assert.False(Iommu.Faults.Fsts.Ppf); // recoverable: no fault-recording register
        Assert.True(fault.Respond(request.Cookie).IsOk);

        // the hardware wrote a page request descriptor into the page-request queue in host memory
        var prq = new byte[PageRequestDescriptor.SizeBytes];
        Assert.True(_host.Host.TryRead(Iommu.PageRequestQueueBase, prq));
        var desc = PageRequestDescriptor.Read(prq);
        Assert.Equal(_plain.PhysicalId, desc.Rid);
        Assert.True(desc.Wrr && desc.Lpig && !desc.Pp);
        Assert.Equal(Iova + 0x7000, desc.Addr);
    }

    [Fact]
    public void FaultRecordingOverflowsWhenEveryRegisterIsPending()
    {
        var host = new IntelScenario(new IntelVtdOptions { FaultRecordCount = 2 });
        var vm = host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08));
        var strangers = Enumerable.Range(0, 3).Select(i => vm.Fd.BindDevice(host.Iommu, (uint)(0x2000 + (i << 8)), false, 0).Value).ToArray();
        foreach (var s in strangers)
        {
            s.Translate(0, null, Access.Read);
        }

        Assert.True(host.Iommu.Faults.Fsts.Pfo);
        Assert.Equal(1, host.Iommu.Faults.Dropped);
        Assert.Equal(2, host.Iommu.DrainFaultRecords().Count);
        Assert.False(host.Iommu.Faults.Fsts.Pfo);
    }

    [Fact]
    public void FpdInThePasidEntrySuppressesQualifiedFaultRecords()
    {
        Assert.True(Iommu.TryReadPasidEntry(_plain, null, out var pe));
        Assert.True(Iommu.TryReadContext(_plain.PhysicalId, out var ctx, out _));
        _host.Host.TryReadUInt64(ctx.Pasiddirptr, out var dirWord);
        var entryAddress = PasidDirectoryEntry.FromWords([dirWord]).Smptblptr;
        var bytes = new byte[64];
        pe.WithFpd(true).WriteTo(bytes);
        _host.Host.TryWrite(entryAddress, bytes);

        var r = _plain.Translate(Iova + 0x10_0000, null, Access.Read);
        Assert.False(r.IsOk);
        Assert.False(Iommu.Faults.Fsts.Ppf);
    }

    [Fact]
    public void UnmappingGuestRamFlushesNestedTranslationsAndAtcs()
    {
        const ulong extraGpa = 0x0400_0000;
        var extra = _vm.Memory.AddRam(extraGpa, 0x20_0000);
        _vm.Fd.IoasMap(_vm.Ioas.Id, extraGpa, extra.Hpa, extra.Length, Access.ReadWrite);
        _table.Map(Iova + 0x1000, extraGpa);
        Assert.True(_ats.Translate(Iova + 0x1000, null, Access.Read).IsOk);
        Assert.True(_ats.Translate(Iova, null, Access.Read).IsOk);
        Assert.Equal(2, _ats.Atc.Count);

        Assert.True(_vm.Fd.IoasUnmap(_vm.Ioas.Id, extraGpa, extra.Length).IsOk);

        Assert.Equal(0, _ats.Atc.Count);
        Assert.Equal(0, Iommu.Iotlb.Count);
        var f = _ats.Translate(Iova + 0x1000, null, Access.Read).Fault!;
        Assert.Equal(TranslationStage.Stage2, f.Stage);
        Assert.True(_ats.Translate(Iova, null, Access.Read).IsOk);
    }

    private HwptNested AttachNested(IntelGuestPageTableBuilder table, params Device[] devices) => AttachNestedRaw(table.Root, devices);

    private HwptNested AttachNestedRaw(ulong root, params Device[] devices)
    {
        var nested = (HwptNested)_vm.Fd.HwptAlloc(devices[0].Id, _vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, new IommuHwptVtdS1(0, root, 48).ToBytes()).Value;
        foreach (var d in devices)
        {
            Assert.True(_vm.Fd.Replace(d.Id, null, nested.Id).IsOk);
        }

        return nested;
    }

    private List<FaultRecord> StageOneRecords(Device d)
    {
        var list = new List<FaultRecord>();
        Iommu.TakeStage1Faults(d, list);
        return list;
    }
}
