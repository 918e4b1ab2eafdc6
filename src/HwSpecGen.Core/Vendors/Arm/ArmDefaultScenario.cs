using System;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Scenarios;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// The built-in SMMUv3 simulation: a VM with two ATS-capable devices behind one physical SMMUv3; stage 2 from the IOAS;
/// the guest's CD and stage-1 tables in guest memory and its STE installed through CFGI_STE on its Command queue (the VMM
/// allocates the nested HWPT); DMA through both stages; a guest unmap that stays visible (stale IOTLB/ATC) until the
/// guest's TLBI_NH_VA + ATC_INV + CMD_SYNC complete (MSI and interrupt); the stage-1 fault that follows reaching the
/// guest's Event queue with the vSID; and hostile commands refused with CERROR_ILL while the other device's
/// translations stay intact.
/// </summary>
public static class ArmDefaultScenario
{
    /// <summary>Runs the scenario; with <paramref name="trace"/> every walk step and processed command is added as a trace line.</summary>
    public static ScenarioReport Run(bool trace)
    {
        var rec = new ScenarioRecorder(trace);
        const ulong va = 0x4000_0000;
        const ulong va2 = 0x4020_0000;
        var host = new ArmScenario();
        var smmu = host.Smmu;
        if (trace)
        {
            smmu.Trace = s => rec.TraceLine($"    walk {s.Stage} L{s.Level} @0x{s.Address:X}: {s.Decoded}");
            smmu.CommandTrace = rec.TraceLine;
        }

        // ---- setup
        rec.Phase = "setup";
        var vm = host.CreateVm("vm0", 16 << 20, (0x0100, 0x1, true), (0x0108, 0x2, true));
        if (trace)
        {
            vm.Vsmmu.CommandProcessed = t => rec.TraceLine($"  vSMMU {t}");
        }

        var syncs = 0;
        vm.Vsmmu.SyncCompleted = s => syncs++;
        var dev1 = vm.Devices[1];
        var dev2 = vm.Devices[2];
        var info = new byte[ArmSmmuV3Uapi.HwInfoLength];
        var hw = vm.Fd.GetHwInfo(dev1.Id, info);
        var idr0 = Idr0.Read(info.AsSpan(8, 4));
        rec.Check(hw.IsOk && hw.Value.Type == ArmSmmuV3Uapi.HwInfoType && idr0.S1p && idr0.S2p, "GET_HW_INFO type ARM_SMMUV3 with IDR0.S1P and S2P", $"IOMMU_GET_HW_INFO -> type {hw.Value.Type}, {hw.Value.KernelDataLength} bytes", idr0.ToString());
        rec.Check(vm.Viommu.ViommuType == ArmSmmuV3Uapi.ViommuType && vm.Vmid == vm.Parent.DomainTag, "the vIOMMU takes the S2 parent's VMID", $"IOMMU_VIOMMU_ALLOC(ARM_SMMUV3) -> VMID {vm.Vmid}");

        // ---- stage 2 only (devices start on the parent)
        rec.Phase = "stage 2";
        var probe = vm.AllocateBuffer(0x1000);
        var s2 = smmu.Translate(dev1, null, probe, Access.Read);
        vm.Memory.TryTranslate(probe, out var probeHpa);
        smmu.StreamTable.TryRead(dev1.PhysicalId, out var s2Ste, out _, out _);
        rec.Check(s2.IsOk && s2.Hpa == probeHpa, $"GPA 0x{probe:X} -> HPA 0x{probeHpa:X} through the nest parent", $"S2-only STE: {s2}", s2Ste.ToString());

        // ---- the guest configures stage 1 on both devices
        rec.Phase = "guest stage 1";
        var dom1 = vm.ConfigureStage1(vsid: 1, asid: 1, ats: true);
        var dom2 = vm.ConfigureStage1(vsid: 2, asid: 2, ats: true);
        smmu.StreamTable.TryRead(dev1.PhysicalId, out var nested, out _, out _);
        rec.Check(nested.Config == SteConfig.Nested && nested.S2Vmid == vm.Vmid && nested.S1ContextPtr == dom1.Cds.Base && nested.Eats == AtsConfig.FullAts,
            "CFGI_STE made the VMM install a nested STE: guest S1ContextPtr (an IPA), parent S2TTB/VMID, EATS", "guest STE + CFGI_STE + CMD_SYNC", nested.ToString());
        var buf1 = vm.AllocateBuffer(0x4000);
        var buf2 = vm.AllocateBuffer(0x1000);
        dom1.PageTable.Map(va, buf1, 0x4000, Access.ReadWrite);
        dom2.PageTable.Map(va2, buf2, 0x1000, Access.ReadWrite);

        // ---- DMA
        rec.Phase = "DMA";
        byte[] pattern = [0x53, 0x4D, 0x4D, 0x55, 0x76, 0x33];
        var w = dev1.Write(va + 0x10, null, pattern);
        var landed = new byte[pattern.Length];
        vm.Memory.TryRead(buf1 + 0x10, landed);
        rec.Check(w.IsOk && landed.SequenceEqual(pattern), $"device 1 writes IOVA 0x{va + 0x10:X}; the guest sees the bytes at GPA 0x{buf1 + 0x10:X}", $"DMA write -> {w}");
        var r2 = dev2.Translate(va2, null, Access.Read);
        rec.Check(r2.IsOk, "device 2 translates through its own CD (ASID 2)", $"translate 0x{va2:X} -> {r2}");
        var again = dev1.Translate(va, null, Access.Read);
        rec.Check(again.Source == TranslationSource.Atc, "a repeated ATS translation hits the device's ATC", $"translate 0x{va:X} -> {again}");

        // ---- guest unmap + invalidation
        rec.Phase = "guest unmap + invalidation";
        dom1.PageTable.Unmap(va, 0x1000);
        var stale = dev1.Translate(va, null, Access.Read);
        rec.Check(stale.IsOk, "without invalidation the unmapped page is still translated (stale ATC/IOTLB entry)", $"translate after the PTE was cleared -> {stale}");
        var cmds = new[]
        {
            TlbiNhVa.Create().WithAsid(1).WithVmid(0x77).WithTg(TlbiGranule.None).WithLeaf(true).WithAddress(va).ToBytes(),
            AtcInv.ForRange(1, 0, va, 0x1000).ToBytes(),
        };
        var before = syncs;
        vm.Guest.Submit(cmds);
        var seq = vm.Guest.Sync();
        rec.Check(vm.Guest.SyncDone(seq) && syncs == before + 1 && !vm.Vsmmu.Cmdq.ErrorActive, "TLBI_NH_VA + ATC_INV + CMD_SYNC complete: MSI written, completion interrupt raised", $"guest CMDQ PROD={vm.Vsmmu.Cmdq.Prod.Wr} CONS={vm.Vsmmu.Cmdq.Cons.Rd}");
        rec.Check(!smmu.Iotlb.Contains(vm.Vmid, 1, va) && !dev1.Atc.Contains(0, Device.NoPasid, va), "the IOTLB entry (VMID, ASID 1) and the ATC entry are gone", "after the sync");

        // ---- fault
        rec.Phase = "fault";
        var fault = dev1.Translate(va, null, Access.Read);
        rec.Check(!fault.IsOk && fault.Fault!.Code == "F_TRANSLATION" && fault.Fault.Stage == TranslationStage.Stage1, "the next DMA faults at stage 1 with F_TRANSLATION", $"translate 0x{va:X} -> {fault}");
        var delivered = vm.Vsmmu.DeliverEvents();
        var got = vm.Guest.TryReadEvent(out var evt) && evt.TryGet(out FTranslation ft) && ft.Sid == 1 && ft.InputAddr == va && !ft.S2;
        rec.Check(delivered == 1 && got, "the event reaches the guest's Event queue through the vEVENTQ with StreamID = vSID 1", $"{delivered} record(s) delivered", evt.ToString());

        // ---- hostile commands
        rec.Phase = "hostile command";
        var keep = dev2.Translate(va2, null, Access.Read);
        var hostile = CfgiCd.Create().WithSid(0x77).WithSsid(0).WithLeaf(true);
        vm.Guest.Submit(hostile.ToBytes());
        var q = vm.Vsmmu.Cmdq;
        var stoppedAt = q.Cons.Rd;
        rec.Check(q.Cons.Err == CommandError.Ill && vm.Vsmmu.Gerror.CmdqErr != vm.Vsmmu.Gerrorn.CmdqErr && q.Prod.Wr != q.Cons.Rd,
            "CFGI_CD for a vSID with no vDEVICE: CMDQ_CONS.ERR = CERROR_ILL, GERROR.CMDQ_ERR active, the queue halted on it", "guest submits it", CommandSet.Decode(hostile.ToBytes()).ToString());
        var s12 = TlbiS12Vmall.Create().WithVmid(vm.Vmid).ToBytes();
        vm.Guest.AcknowledgeCommandError();
        vm.Guest.Submit(s12);
        rec.Check(q.Cons.Err == CommandError.Ill && q.Cons.Rd != stoppedAt, "after the guest skipped it, TLBI_S12_VMALL (a stage-2 command) is refused the same way", "GERRORN ack, then the next command", CommandSet.Decode(s12).ToString());
        vm.Guest.AcknowledgeCommandError();
        var seq2 = vm.Guest.Sync();
        var still = dev2.Translate(va2, null, Access.Read);
        rec.Check(vm.Guest.SyncDone(seq2) && still.IsOk && still.Hpa == keep.Hpa && smmu.Iotlb.Contains(vm.Vmid, 2, va2) && smmu.HostCommandErrors.Count == 0,
            "the refused commands changed nothing: device 2 still translates, its IOTLB entry survives, the queue runs again", $"translate 0x{va2:X} -> {still}");

        return rec.Report("SMMUv3 nested translation and guest invalidation", "arm-smmuv3");
    }
}
