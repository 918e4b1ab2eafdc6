using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>The nested walk end to end: guest STE/CD/page tables in guest memory, the host's nested STE, stage 2, DMA.</summary>
public sealed class NestedTranslationTests
{
    private const ulong Va = 0x8000_0000;

    [Fact]
    public void DmaThroughGuestStage1AndHostStage2ReachesTheGuestBuffer()
    {
        var host = new ArmScenario();
        var vm = host.CreateVm("vm", 16 << 20, (0x100, 1, false));
        var dom = vm.ConfigureStage1(vsid: 1, asid: 7, ats: false);
        var buffer = vm.AllocateBuffer(0x2000);
        dom.PageTable.Map(Va, buffer, 0x2000, Access.ReadWrite);
        var dev = vm.Devices[1];

        var r = dev.Write(Va + 0x1008, null, [0xDE, 0xAD, 0xBE, 0xEF]);

        Assert.True(r.IsOk, r.ToString());
        Assert.True(vm.Memory.TryTranslate(buffer + 0x1008, out var hpa));
        Assert.Equal(hpa, r.Hpa);
        var back = new byte[4];
        vm.Memory.TryRead(buffer + 0x1008, back);
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, back);
    }

    [Fact]
    public void AttachBuildsANestedSteFromTheGuestSteAndTheParent()
    {
        var host = new ArmScenario();
        var vm = host.CreateVm("vm", 16 << 20, (0x100, 1, true));
        var dom = vm.ConfigureStage1(vsid: 1, asid: 7, ats: true);

        Assert.True(host.Smmu.StreamTable.TryRead(0x100, out var ste, out _, out _));
        Assert.True(ste.V);
        Assert.Equal(SteConfig.Nested, ste.Config);
        Assert.Equal(vm.Vmid, ste.S2Vmid);
        Assert.Equal(vm.Parent.PageTable.Root, ste.S2Ttb);
        Assert.Equal(dom.Cds.Base, ste.S1ContextPtr);
        Assert.Equal(AtsConfig.FullAts, ste.Eats);
        Assert.True(ste.Mev);
        Assert.True(ste.S2R);
        Assert.True(ste.Validate().IsValid);
    }
}
