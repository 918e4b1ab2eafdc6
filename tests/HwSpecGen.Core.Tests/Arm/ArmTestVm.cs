using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>A host with one VM whose device vSID 1 (StreamID 0x100) has a guest stage-1 domain mapping <see cref="Va"/> → a 16 KiB buffer.</summary>
internal sealed class ArmTestVm
{
    public const ulong Va = 0x4000_0000;

    public ArmTestVm(bool ats = false, int s1CdMax = 0, bool twoLevelCd = false, ArmScenario? host = null, string name = "vm", uint sid = 0x100)
    {
        Host = host ?? new ArmScenario();
        Vm = Host.CreateVm(name, 16 << 20, (sid, 1, ats));
        Domain = Vm.ConfigureStage1(1, asid: 5, ats, s1CdMax, twoLevelCd);
        Buffer = Vm.AllocateBuffer(0x4000);
        Domain.PageTable.Map(Va, Buffer, 0x4000, Access.ReadWrite);
    }

    public ArmScenario Host { get; }

    public ArmVm Vm { get; }

    public ArmGuestDomain Domain { get; }

    public ulong Buffer { get; }

    public Device Device => Vm.Devices[1];

    public SmmuV3Iommu Smmu => Host.Smmu;

    public ulong Hpa(ulong gpa)
    {
        Assert.True(Vm.Memory.TryTranslate(gpa, out var hpa));
        return hpa;
    }

    /// <summary>The guest rewrites CD <paramref name="ssid"/> and invalidates it (CFGI_CD + CMD_SYNC).</summary>
    public void RewriteCd(ulong ssid, Cd cd)
    {
        Domain.Cds.Write(ssid, cd);
        Vm.Guest.Produce(CfgiCd.Create().WithSid(1).WithSsid(ssid).WithLeaf(true).ToBytes());
        Vm.Guest.Produce(TlbiNhAll.Create().ToBytes());
        Vm.Guest.Sync();
        Assert.False(Vm.Vsmmu.Cmdq.ErrorActive);
    }

    /// <summary>The guest rewrites the STE of vSID 1 and installs it (CFGI_STE + CMD_SYNC).</summary>
    public void RewriteSte(Ste ste)
    {
        Vm.Guest.WriteSte(1, ste);
        Vm.Guest.Produce(CfgiSte.Create().WithSid(1).WithLeaf(true).ToBytes());
        Vm.Guest.Sync();
    }

    /// <summary>The last event the guest can read from its Event queue after the VMM delivered the vEVENTQ.</summary>
    public EventSet? GuestEvent()
    {
        Vm.Vsmmu.DeliverEvents();
        EventSet? last = null;
        while (Vm.Guest.TryReadEvent(out var e))
        {
            last = e;
        }

        return last;
    }
}
