using System;
using System.Collections.Generic;
using System.Text;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Scenarios;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// The built-in VT-d simulation (<c>hwspec simulate</c>): a VM with two ATS-capable devices behind one remapping unit,
/// stage 2 from the IOAS, a guest that enables its emulated VT-d and points both devices at its own first-stage tables
/// (the VMM shadows that into a nested HWPT), DMA, a guest unmap followed by its PASID-IOTLB and device-TLB
/// invalidations and a wait (status write and completion interrupt), a stale-read check, stage-1 and stage-2 faults,
/// and hostile commands rejected with the architected errors.
/// </summary>
public static class IntelDefaultScenario
{
    /// <summary>Runs the scenario; with <paramref name="trace"/> every decoded command and walk step is kept.</summary>
    public static ScenarioReport Run(bool trace)
    {
        var rec = new ScenarioRecorder(trace);
        try
        {
            Execute(rec);
        }
        catch (Exception e)
        {
            rec.Check(false, "the scenario runs to the end", $"threw {e.GetType().Name}: {e.Message}");
        }

        return rec.Report("VT-d nested translation and guest invalidation", "intel-vtd");
    }

    private static void Execute(ScenarioRecorder rec)
    {
        const ushort vridA = 0x0008;
        const ushort vridB = 0x0010;
        const ushort guestDid = 5;
        const ulong iova = 0x4000_0000;
        const ulong iovaHuge = 0x4020_0000;
        const ulong buffer = 0x0180_0000;
        const ulong hugeBuffer = 0x0140_0000 & ~0x1F_FFFFUL;

        var host = new IntelScenario();
        var iommu = host.Iommu;
        if (rec.Tracing)
        {
            iommu.Trace = s => rec.TraceLine($"  walk {s.Stage} L{s.Level} @0x{s.Address:X}: {s.Decoded}");
            iommu.CommandTrace = s => rec.TraceLine("  " + s);
        }

        rec.Phase = "setup";
        var vm = host.CreateVm("vm0", 0x0200_0000, new IntelVmDevice(0x0300, vridA), new IntelVmDevice(0x0308, vridB));
        if (rec.Tracing)
        {
            vm.Viommu.Trace = s => rec.TraceLine("vIOMMU " + s);
        }

        var devA = vm.Device(vridA);
        var devB = vm.Device(vridB);
        var info = new byte[IommuHwInfoVtd.Size];
        var hw = vm.Fd.GetHwInfo(devA.Id, info);
        var vtd = IommuHwInfoVtd.Read(info);
        rec.Check(hw.IsOk && hw.Value.Type == IntelUapi.HwInfoTypeIntelVtd && vtd.Ecap.Nest && vtd.Ecap.Smts, "GET_HW_INFO reports VT-d with ECAP.SMTS and ECAP.NEST", "IOMMU_GET_HW_INFO", vtd.Ecap.ToString());
        var s2 = vm.NestParent.PageTable.Walk(buffer, Access.ReadWrite);
        rec.Check(s2.IsOk && s2.Hpa == vm.HpaOf(buffer) && s2.PageShift == 21, "the nest parent maps guest RAM GPA→HPA with 2 MiB second-stage pages", "walk the second-stage table", s2.ToString());

        rec.Phase = "guest enables its IOMMU";
        var queue = vm.EnableGuestIommu();
        var table = vm.NewPageTable();
        table.Map(iova, buffer, writable: true);
        table.Map(iovaHuge, hugeBuffer, writable: false, pageShift: 21);
        var attached = vm.GuestAttach(vridA, guestDid, table) & vm.GuestAttach(vridB, guestDid, table);
        var hwpt = vm.Viommu.BoundHwpt(vridA) as HwptNested;
        iommu.TryReadPasidEntry(devA, null, out var pe);
        rec.Check(attached && hwpt is not null && vm.Viommu.BoundHwpt(vridB) == hwpt, "the VMM shadows the guest's PASID entries into one nested HWPT for guest DID 5, attached to both devices", "PASID-cache + context-cache invalidation, wait → IOMMU_HWPT_ALLOC(VTD_S1) + attach", hwpt?.ToString() ?? "none");
        rec.Check(pe.P && pe.Pgtt == PasidGranularTranslationType.Nested && pe.Fsptptr == table.Root && pe.Slptptr == vm.NestParent.PageTable.Root && pe.Did != guestDid && pe.Did == ((IntelNestedDomain)hwpt!.Domain).Did,
            "the host PASID entry is PGTT=nested with FSPTPTR = the guest root (GPA), SLPTPTR = the parent's stage 2, DID = a host DID", "read the host PASID-table entry", pe.ToString());

        rec.Phase = "DMA";
        var wrote = devA.Write(iova + 0x10, null, Encoding.ASCII.GetBytes("hello"));
        var check = new byte[5];
        vm.Memory.TryRead(buffer + 0x10, check);
        rec.Check(wrote.IsOk && wrote.Hpa == vm.HpaOf(buffer + 0x10) && Encoding.ASCII.GetString(check) == "hello", "device A's DMA write lands at the guest buffer's HPA", "device A writes \"hello\" at IOVA 0x40000010", wrote.ToString());
        var readB = devB.Read(iova + 0x10, null, check);
        rec.Check(readB.IsOk && Encoding.ASCII.GetString(check) == "hello", "device B reads it through the same nested HWPT", "device B reads IOVA 0x40000010", readB.ToString());
        var huge = devA.Translate(iovaHuge + 0x1234, null, Access.Read);
        rec.Check(huge.IsOk && huge.Hpa == vm.HpaOf(hugeBuffer + 0x1234) && huge.PageShift == 21, "a 2 MiB guest page over 2 MiB stage-2 pages gives a 2 MiB translation", "device A translates IOVA 0x40201234", huge.ToString());
        var hugeWrite = devA.Translate(iovaHuge, null, Access.Write);
        rec.Check(!hugeWrite.IsOk && hugeWrite.Fault!.Stage == TranslationStage.Stage1 && IntelVtdIommu.ReasonOf(hugeWrite.Fault) == FaultReason.SmNoWrite, "a write to the guest's read-only page is a stage-1 fault 0x85 (SM_NO_WRITE)", "device A writes the read-only 2 MiB page", hugeWrite.ToString());
        iommu.DrainFaultRecords();
        vm.Viommu.InjectStage1Faults();
        for (var i = 0; i < vm.Viommu.Faults.Count; i++)
        {
            vm.Viommu.WriteRegister(VtdRegister.FaultRecord + (i * FaultRecord.SizeBytes) + 8, FaultRecord.Create().WithF(true).GetWord(1));
        }

        var cached = devA.Translate(iova, null, Access.Read);
        rec.Check(cached.Source == TranslationSource.Atc && devA.Atc.Count > 0 && iommu.Iotlb.Contains(pe.Did, IntelVtdIommu.RidPasid, iova),
            "the translation is cached in device A's ATC and in the IOTLB under (host DID, PASID 0)", "device A translates IOVA 0x40000000 again", cached.ToString());

        rec.Phase = "guest unmap + invalidation";
        table.Unmap(iova);
        var stale = devA.Translate(iova, null, Access.Read);
        rec.Check(stale.IsOk && stale.Source == TranslationSource.Atc, "before the guest invalidates, device A still gets the stale translation from its ATC", "guest clears the PTE; device A translates IOVA 0x40000000", stale.ToString());
        var interrupts = 0;
        vm.Viommu.CompletionInterrupt = () => interrupts++;
        vm.Viommu.WriteRegister(VtdRegister.InvalidationEventControl, 0); // unmask IECTL.IM
        var absorbedBefore = vm.Viommu.DeviceTlbDescriptorsAbsorbed;
        var synthesizedBefore = iommu.DeviceTlbDescriptorsSynthesized;
        QiCommands.PasidIotlb(guestDid, 0, iova).WriteTo(queue);
        QiCommands.DeviceTlb(vridA, iova).WriteTo(queue);
        var slot = queue.WriteWait(interrupt: true);
        queue.Ring();
        rec.Check(queue.IsDone(slot) && interrupts == 1 && vm.Viommu.Ics.Iwc, "the wait descriptor completes: QI_DONE written to guest memory, ICS.IWC set, completion interrupt raised", "guest queue: PASID-IOTLB(DID 5, PASID 0, 0x40000000, AM 0) + device-TLB(vRID 0x0008) + wait(SW, IF); doorbell (IQT)", $"IQH {vm.Viommu.HeadIndex}, IQT {vm.Viommu.TailIndex}");
        rec.Check(vm.Viommu.DeviceTlbDescriptorsAbsorbed == absorbedBefore + 1 && iommu.DeviceTlbDescriptorsSynthesized == synthesizedBefore + 2,
            "the guest's device-TLB descriptor is completed without forwarding; the host synthesizes one device-TLB invalidation per ATS device of the nested domain", "IOMMU_HWPT_INVALIDATE(addr 0x40000000, npages 1) on the nested HWPT", $"host synthesized {iommu.DeviceTlbDescriptorsSynthesized - synthesizedBefore}");
        rec.Check(!devA.Atc.Contains(0, Device.NoPasid, iova) && !devB.Atc.Contains(0, Device.NoPasid, iova) && !iommu.Iotlb.Contains(pe.Did, IntelVtdIommu.RidPasid, iova),
            "the stale entry is gone from the IOTLB and from both ATCs", "inspect caches", string.Empty);

        rec.Phase = "DMA after completion";
        var after = devA.Read(iova, null, check);
        rec.Check(!after.IsOk && after.Fault!.Stage == TranslationStage.Stage1 && IntelVtdIommu.ReasonOf(after.Fault) == FaultReason.SmFirstStageEntryNotPresent,
            "DMA after the completed wait sees no stale entry: stage-1 fault 0x71 (first-stage entry not present), attributed to the guest", "device A reads IOVA 0x40000000", after.ToString());
        var records = iommu.DrainFaultRecords();
        rec.Check(records.Count >= 1 && records[^1].Fr == FaultReason.SmFirstStageEntryNotPresent && records[^1].Sid == devA.PhysicalId,
            "the hardware logged a fault-recording register in host memory with the host SID", "host driver reads FRCD (dmar_fault)", records.Count > 0 ? records[^1].ToString() : "none");
        var injected = vm.Viommu.InjectStage1Faults();
        var guestRecord = vm.Viommu.Faults.Record((int)vm.Viommu.Faults.Fsts.Fri);
        rec.Check(injected >= 1 && vm.Viommu.Faults.Fsts.Ppf && guestRecord.Sid == vridA && guestRecord.Fr == FaultReason.SmFirstStageEntryNotPresent,
            "the VMM injects the stage-1 fault into the guest's fault-recording register with the virtual RID", "VMM injects stage-1 faults", guestRecord.ToString());

        rec.Phase = "stage-2 fault";
        const ulong extraGpa = 0x0400_0000;
        var extra = vm.Memory.AddRam(extraGpa, 0x20_0000);
        vm.Fd.IoasMap(vm.Ioas.Id, extraGpa, extra.Hpa, extra.Length, Access.ReadWrite);
        table.Map(iova + 0x1000, extraGpa);
        queue.SubmitSync(QiCommands.PasidIotlb(guestDid, 0, iova + 0x1000));
        var ok = devA.Translate(iova + 0x1000, null, Access.Read);
        vm.Fd.IoasUnmap(vm.Ioas.Id, extraGpa, extra.Length);
        var s2Fault = devA.Translate(iova + 0x1000, null, Access.Read);
        rec.Check(ok.IsOk && !s2Fault.IsOk && s2Fault.Fault!.Stage == TranslationStage.Stage2 && IntelVtdIommu.ReasonOf(s2Fault.Fault) == FaultReason.SmSecondStagePermission && s2Fault.Fault.FaultAddress == extraGpa,
            "after the host unmaps guest RAM (IOAS unmap flushes the nested DIDs and ATCs), DMA faults in stage 2 (0x79), attributed to the host", "IOMMU_IOAS_UNMAP of GPA 0x4000000; device A reads", s2Fault.ToString());

        rec.Phase = "hostile commands";
        var headBefore = vm.Viommu.HeadIndex;
        var bad = PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PageSelectiveWithinPasid).WithDid(guestDid).WithAddr(iova + 0x2000).ToBytes();
        bad[1] |= 0x1; // qw0 bit 8: reserved
        queue.WriteRaw(bad);
        var badSlot = queue.WriteWait();
        queue.Ring();
        rec.Check(vm.Viommu.Faults.Fsts.Iqe && vm.Viommu.Iqercd.Iqei == InvalidationQueueErrorInfo.ReservedFieldViolation && vm.Viommu.HeadIndex == headBefore && !queue.IsDone(badSlot),
            "a descriptor with a reserved bit set: FSTS.IQE, IQERCD.IQEI = reserved-field violation, IQH left on it, the wait behind it not executed", "guest queue: PASID-IOTLB with qw0 bit 8 set + wait; doorbell", PasidIotlbInvalidate256.Read(bad).ToString());
        var stillOk = devB.Translate(iovaHuge + 0x10, null, Access.Read);
        rec.Check(stillOk.IsOk && stillOk.Hpa == vm.HpaOf(hugeBuffer + 0x10), "the rejected command changed no translation: device B still reaches the 2 MiB page", "device B translates IOVA 0x40200010", stillOk.ToString());
        queue.Ring();
        rec.Check(!queue.IsDone(badSlot), "the queue stays stopped while FSTS.IQE is set", "doorbell again", string.Empty);
        queue.RecoverFromError();
        var recovered = queue.SubmitSync();
        rec.Check(recovered && !vm.Viommu.Faults.Fsts.Iqe, "after the guest clears FSTS.IQE and rewrites the slot, the queue runs again", "FSTS write-1-to-clear IQE; new wait; doorbell", $"IQH {vm.Viommu.HeadIndex}");
        uint entryNum = 1;
        var sw = vm.Fd.HwptInvalidate(hwpt!.Id, IntelUapi.HwptInvalidateDataVtdS1, IommuHwptVtdS1Invalidate.Size, new IommuHwptVtdS1Invalidate(iova, 1, Flags: 0x2).ToBytes(), ref entryNum);
        rec.Check(sw.Error == Errno.EOPNOTSUPP && entryNum == 0, "IOMMU_HWPT_INVALIDATE with an unknown flag is refused with EOPNOTSUPP and entry_num 0", "IOMMU_HWPT_INVALIDATE(flags 0x2)", sw.ToString());
        var unknown = new byte[32];
        unknown[0] = 0xF; // type 15: no such descriptor
        queue.WriteRaw(unknown);
        queue.Ring();
        rec.Check(vm.Viommu.Faults.Fsts.Iqe && vm.Viommu.Iqercd.Iqei == InvalidationQueueErrorInfo.InvalidDescriptorType, "an unknown descriptor type: IQE with IQEI = invalid descriptor type", "guest queue: type 0xF; doorbell", QiDescriptor256Set.Decode(unknown).ToString());
        queue.RecoverFromError();
        vm.Viommu.WriteRegister(VtdRegister.InvalidationQueueTail, queue.TailRegisterValue(vm.Viommu.QueueSize + 3));
        rec.Check(vm.Viommu.Faults.Fsts.Iqe && vm.Viommu.Iqercd.Iqei == InvalidationQueueErrorInfo.InvalidTailPointer, "a tail beyond the queue: IQE with IQEI = invalid tail pointer", "IQT = queue size + 3", string.Empty);
    }
}
