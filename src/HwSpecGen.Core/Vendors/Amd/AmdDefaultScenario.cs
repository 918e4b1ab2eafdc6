using System;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Scenarios;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// The built-in AMD-Vi scenario <c>hwspec simulate</c> runs: a VM with two ATS-capable devices behind one AMD IOMMU, the nest
/// parent's stage 2, the guest's GCR3 and v2 tables shadowed from its DTEs into a nested HWPT, DMA, a guest unmap that stays
/// stale until the guest's forwarded invalidation and COMPLETION_WAIT, a stage-1 fault reported to host and guest, and hostile
/// commands rejected with ILLEGAL_COMMAND_ERROR while a second VM's translations stay intact.
/// </summary>
public static class AmdDefaultScenario
{
    /// <summary>Scenario name.</summary>
    public const string Name = "amd-vi: nested translation, forwarded invalidation, isolation";

    /// <summary>Runs the scenario; with <paramref name="trace"/> every walk step, guest command and host command is kept.</summary>
    public static ScenarioReport Run(bool trace)
    {
        var rec = new ScenarioRecorder(trace);
        var host = new AmdScenario();
        var iommu = host.Iommu;
        if (trace)
        {
            iommu.Trace = s => rec.TraceLine($"    walk {s.Stage} L{s.Level} @HPA 0x{s.Address:X} {s.Format}: {s.Decoded}");
            iommu.CommandTrace = line => rec.TraceLine("    " + line);
        }

        // ---------------------------------------------------------------------------------------------------------------
        rec.Phase = "setup";
        var vm = host.CreateVm("vm-a", 32UL << 20, new AmdDeviceSpec(0x0100, 0x0008, Name: "vm-a/nic"), new AmdDeviceSpec(0x0200, 0x0010, Name: "vm-a/nvme"));
        if (trace)
        {
            vm.GuestIommu.Trace = t => rec.TraceLine("  vm-a " + t);
        }

        var nic = vm.Device(0x0008);
        var nvme = vm.Device(0x0010);
        var info = new byte[AmdUapi.HwInfoAmdSize];
        var hw = vm.Context.GetHwInfo(nic.Id, info);
        var efr = ExtendedFeatures.Read(info);
        rec.Check(hw.IsOk && hw.Value.Type == AmdUapi.HwInfoTypeAmd && efr.GtSup && efr.GIoSup, "GET_HW_INFO: IOMMU_HW_INFO_TYPE_AMD, EFR with GTSup and GIoSup", $"type {hw.Value.Type}, {hw.Value.KernelDataLength} bytes", efr.ToString());

        // ---------------------------------------------------------------------------------------------------------------
        rec.Phase = "stage 2";
        var buffer = vm.DmaAllocator.Allocate(0x20_0000, 0x20_0000);
        var small = vm.DmaAllocator.Allocate(0x3000);
        var s2 = vm.Parent.PageTable.Walk(buffer + 0x1234, Access.Read, iommu.Trace);
        rec.Check(s2.IsOk && s2.Hpa == vm.Ram.Hpa + buffer + 0x1234 && s2.PageShift == 21, "the nest parent's v1 table maps GPA → HPA with 2 MiB leaves", $"GPA 0x{buffer + 0x1234:X} → {s2}");

        // ---------------------------------------------------------------------------------------------------------------
        rec.Phase = "nested domain";
        const ulong gDom = 0x1;
        const ulong iovaBig = 0x4000_0000;
        const ulong iovaSmall = 0x8000_0000;
        var gcr3 = vm.NewGcr3Table();
        var pt = vm.NewPageTable();
        gcr3.Set(0, pt.RootGpa);
        pt.Map(iovaBig, buffer, 0x20_0000);
        pt.Map(iovaSmall, small, 0x3000);
        var configured = vm.ConfigureDevice(0x0008, AmdVm.NestedDte(gDom, gcr3)) & vm.ConfigureDevice(0x0010, AmdVm.NestedDte(gDom, gcr3));
        var hostDte = iommu.ReadDte(nic.PhysicalId);
        var mapped = vm.Driver.TryMapDomain(gDom, out var hDom);
        rec.Check(
            configured && mapped && hostDte.Gv && hostDte.DomainId == hDom && hostDte.Gcr3Root == gcr3.RootGpa && hostDte.HostPageTableRoot == vm.Parent.PageTable.Root,
            "INVALIDATE_DEVTAB_ENTRY shadows each guest DTE into a nested HWPT; the host DTE gets GV, the host DomainID, the guest's GCR3 GPA and the parent's v1 root",
            $"gDomID 0x{gDom:X} → hDomID 0x{hDom:X}",
            hostDte.ToString());
        rec.Check(vm.Driver.DomainMap[gDom].Users == 2 && vm.GuestIommu.ShadowHwpts.Count == 2, "both nested HWPTs share one host DomainID (refcount 2)", $"users {vm.Driver.DomainMap[gDom].Users}");

        // ---------------------------------------------------------------------------------------------------------------
        rec.Phase = "DMA";
        byte[] payload = [0xde, 0xad, 0xbe, 0xef];
        var w = nic.Write(iovaBig + 0x1234, null, payload);
        var seen = new byte[4];
        vm.Memory.TryRead(buffer + 0x1234, seen);
        rec.Check(w.IsOk && w.Hpa == vm.Ram.Hpa + buffer + 0x1234 && seen.SequenceEqual(payload), "DMA through GCR3 → v2 tables → stage 2 lands at the right HPA", w.ToString());
        var again = nic.Translate(iovaBig + 0x1234, null, Access.Read);
        rec.Check(again.IsOk && again.Source == TranslationSource.Atc, "the second access hits the device's ATC", again.ToString());

        // ---------------------------------------------------------------------------------------------------------------
        rec.Phase = "guest unmap";
        var before = nvme.Translate(iovaSmall, null, Access.Read);
        pt.Unmap(iovaSmall);
        var stale = nvme.Translate(iovaSmall, null, Access.Read);
        rec.Check(before.IsOk && stale.IsOk && stale.Hpa == before.Hpa && iommu.Iotlb.Contains(hDom, 0, iovaSmall), "after the guest clears its PTE without invalidating, the ATC and the IOTLB still translate (stale until invalidated)", stale.ToString());

        // ---------------------------------------------------------------------------------------------------------------
        rec.Phase = "invalidation + completion";
        var interrupts = vm.CompletionInterrupts;
        vm.Queue(InvalidateIommuPages.FromRange(iovaSmall, iovaSmall + 0xFFF, gDom, pde: true, gn: true, pasid: 0));
        vm.Queue(InvalidateIotlbPages.FromRange(iovaSmall, iovaSmall + 0xFFF, 0x0010, 0));
        var completed = vm.Sync();
        rec.Check(completed && vm.CompletionInterrupts == interrupts + 1, "COMPLETION_WAIT after the forwarded INVALIDATE_IOMMU_PAGES/INVALIDATE_IOTLB_PAGES stores its data at the guest semaphore and raises the completion interrupt", $"semaphore reached, {vm.CompletionInterrupts - interrupts} interrupt(s)");
        rec.Check(!iommu.Iotlb.Contains(hDom, 0, iovaSmall) && !nvme.Atc.Contains(0, Device.NoPasid, iovaSmall), "the (hDomID, PASID 0) IOTLB entry and the device's ATC entry are gone", "gDomID → hDomID, vDeviceID 0x10 → DeviceID 0x200");
        rec.Check(nic.Translate(iovaBig, null, Access.Read).IsOk, "the other mapping of the domain is still translated", string.Empty);

        // ---------------------------------------------------------------------------------------------------------------
        rec.Phase = "fault";
        var fault = nvme.Translate(iovaSmall, null, Access.Read);
        var hostEvent = IoPageFaultEvent.Read(iommu.HostEvents[^1]);
        var guestEvents = vm.ReadGuestEvents();
        var guestFault = guestEvents.Count == 1 ? IoPageFaultEvent.Read(guestEvents[0]) : default;
        rec.Check(!fault.IsOk && fault.Fault!.Stage == TranslationStage.Stage1 && fault.Fault.Code == AmdIommu.IoPageFaultCode, "DMA after the completed invalidation faults at stage 1 (never the stale page)", fault.ToString());
        rec.Check(hostEvent.DeviceId == nvme.PhysicalId && hostEvent.Address == iovaSmall, "IO_PAGE_FAULT in the host event log names the host DeviceID", string.Empty, hostEvent.ToString());
        rec.Check(guestFault.DeviceId == 0x0010 && guestFault.Address == iovaSmall && vm.EventInterrupts > 0, "the VM gets the fault in its own event log with its DeviceID (vEVENTQ → emulated event log, event interrupt)", string.Empty, guestFault.ToString());

        // ---------------------------------------------------------------------------------------------------------------
        rec.Phase = "hostile commands";
        var other = host.CreateVm("vm-b", 16UL << 20, new AmdDeviceSpec(0x0300, 0x0008, Name: "vm-b/gpu"));
        var gpu = other.Device(0x0008);
        var bGcr3 = other.NewGcr3Table();
        var bPt = other.NewPageTable();
        bGcr3.Set(0, bPt.RootGpa);
        var bBuffer = other.DmaAllocator.Allocate(0x1000);
        bPt.Map(iovaSmall, bBuffer, 0x1000);
        other.ConfigureDevice(0x0008, AmdVm.NestedDte(0x7, bGcr3));
        other.Driver.TryMapDomain(0x7, out var bDom);
        var bWarm = gpu.Translate(iovaSmall, null, Access.Read);

        var badGpa = vm.NextCommandGpa;
        vm.Queue(InvalidateIommuPages.FromRange(0, ulong.MaxValue, 0x7)); // VM B's guest DomainID: not mapped in VM A
        var hostileCompleted = vm.Sync();
        var illegal = vm.ReadGuestEvents();
        var evt = illegal.Count == 1 ? IllegalCommandErrorEvent.Read(illegal[0]) : default;
        rec.Check(
            !hostileCompleted && illegal.Count == 1 && evt.Address == badGpa && evt.Flags == InvalidateIommuPages.OpcodeValue && !vm.GuestIommu.StatusRegister.CmdBufRun,
            "INVALIDATE_IOMMU_PAGES naming a DomainID VM A does not own → ILLEGAL_COMMAND_ERROR with the command's GPA, command buffer stopped",
            $"head stays at 0x{vm.GuestIommu.CommandHead.Offset:X}",
            evt.ToString());
        rec.Check(iommu.Iotlb.Contains(bDom, 0, iovaSmall) && gpu.Atc.Contains(0, Device.NoPasid, iovaSmall) && gpu.Translate(iovaSmall, null, Access.Read).Hpa == bWarm.Hpa, "VM B's IOTLB and ATC entries are untouched", $"VM B hDomID 0x{bDom:X}");

        vm.RestartCommandBuffer();
        var resumed = vm.Sync();
        Span<byte> unknown = stackalloc byte[16];
        InvalidateIommuAll.Create().WriteTo(unknown);
        AmdCommandBytes.SetOpcode(unknown, 0xF); // no such command
        badGpa = vm.NextCommandGpa;
        vm.QueueRaw(unknown);
        vm.Doorbell();
        var unknownEvents = vm.ReadGuestEvents();
        var unknownEvt = unknownEvents.Count == 1 ? IllegalCommandErrorEvent.Read(unknownEvents[0]) : default;
        rec.Check(resumed && unknownEvt.Address == badGpa && unknownEvt.Flags == 0xF && !vm.GuestIommu.StatusRegister.CmdBufRun, "after a restart the queue runs again; an unknown opcode → ILLEGAL_COMMAND_ERROR (opcode in Flags), stopped again", string.Empty, unknownEvt.ToString());
        rec.Check(gpu.Translate(iovaSmall, null, Access.Read).IsOk && iommu.Iotlb.Contains(bDom, 0, iovaSmall), "VM B still translates", string.Empty);

        return rec.Report(Name, "amd-vi");
    }
}
