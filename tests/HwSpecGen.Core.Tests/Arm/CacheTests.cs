using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>IOTLB (VMID + ASID), ATC and configuration cache: entries stay stale until the architected invalidation.</summary>
public sealed class CacheTests
{
    private const ulong Va = ArmTestVm.Va;

    [Fact]
    public void ASecondTranslationHitsTheIotlbTaggedWithVmidAndAsid()
    {
        var t = new ArmTestVm();
        var first = t.Device.Translate(Va, null, Access.Read);
        var second = t.Device.Translate(Va + 8, null, Access.Read);

        Assert.Equal(TranslationSource.Walk, first.Source);
        Assert.Equal(TranslationSource.Iotlb, second.Source);
        Assert.Equal(first.Hpa + 8, second.Hpa);
        var key = Assert.Single(t.Smmu.Iotlb.Entries).Key;
        Assert.Equal((t.Vm.Vmid, 5UL, Va), (key.Tag, key.Space, key.Base));
    }

    [Fact]
    public void AGuestPteChangeWithoutInvalidationStillReturnsTheStaleIotlbTranslation()
    {
        var t = new ArmTestVm();
        var before = t.Device.Translate(Va, null, Access.Read);
        var moved = t.Vm.AllocateBuffer(0x1000);
        t.Domain.PageTable.Remap(Va, moved, Access.ReadWrite);

        var stale = t.Device.Translate(Va, null, Access.Read);
        Assert.Equal(before.Hpa, stale.Hpa);

        t.Vm.Guest.Submit(TlbiNhVa.Create().WithAsid(5).WithAddress(Va).WithLeaf(true).ToBytes());
        var seq = t.Vm.Guest.Sync();
        Assert.True(t.Vm.Guest.SyncDone(seq));
        var fresh = t.Device.Translate(Va, null, Access.Read);
        Assert.Equal(t.Hpa(moved), fresh.Hpa);
    }

    [Fact]
    public void AnAtsDeviceKeepsItsStaleAtcEntryUntilAtcInv()
    {
        var t = new ArmTestVm(ats: true);
        Assert.True(t.Smmu.IsAtsEnabled(t.Device));
        var before = t.Device.Translate(Va, null, Access.Read);
        t.Domain.PageTable.Unmap(Va, 0x1000);
        t.Vm.Guest.Submit(TlbiNhAsid.Create().WithAsid(5).ToBytes());
        t.Vm.Guest.Sync();

        var stale = t.Device.Translate(Va, null, Access.Read);
        Assert.Equal((TranslationSource.Atc, before.Hpa), (stale.Source, stale.Hpa));

        t.Vm.Guest.Submit(AtcInv.ForRange(1, 0, Va, 0x1000).ToBytes());
        t.Vm.Guest.Sync();
        Assert.Equal("F_TRANSLATION", t.Device.Translate(Va, null, Access.Read).Fault!.Code);
    }

    [Fact]
    public void WithoutEatsTheDeviceHasNoAtc()
    {
        var t = new ArmTestVm(ats: false);
        var dev = t.Vm.Devices[1];
        Assert.False(dev.AtsEnabled);
        t.Device.Translate(Va, null, Access.Read);
        Assert.Equal(0, dev.Atc.Count);
    }

    [Fact]
    public void AChangedCdIsIgnoredUntilCfgiCd()
    {
        var t = new ArmTestVm();
        Assert.True(t.Device.Translate(Va, null, Access.Read).IsOk); // caches STE and CD
        var pt = new SmmuV3GuestPageTable(t.Vm.Memory, t.Vm.Allocator);
        var other = t.Vm.AllocateBuffer(0x1000);
        pt.Map(Va + 0x10_0000, other, 0x1000, Access.ReadWrite);
        t.Domain.Cds.Write(0, SmmuV3GuestCdTable.MakeS1Cd(6, pt.Root));

        var stale = t.Device.Translate(Va + 0x10_0000, null, Access.Read);
        Assert.Equal("F_TRANSLATION", stale.Fault!.Code); // still walking the old TTB0

        t.Vm.Guest.Submit(CfgiCd.Create().WithSid(1).WithSsid(0).WithLeaf(true).ToBytes());
        t.Vm.Guest.Sync();
        Assert.Equal(t.Hpa(other), t.Device.Translate(Va + 0x10_0000, null, Access.Read).Hpa);
        Assert.Equal(1, t.Smmu.CachedCdCount);
    }

    [Fact]
    public void IoasUnmapFlushesTheVmidInTheIotlbAndEveryAtcBehindTheParent()
    {
        var t = new ArmTestVm(ats: true);
        t.Device.Translate(Va, null, Access.Read);
        Assert.True(t.Smmu.Iotlb.Count > 0 && t.Device.Atc.Count > 0);
        var extra = t.Host.RamAllocator.Allocate(0x1000);
        Assert.True(t.Vm.Fd.IoasMap(t.Vm.Ioas.Id, 0x2000_0000, extra, 0x1000, Access.ReadWrite).IsOk);

        Assert.Equal(0x1000UL, t.Vm.Fd.IoasUnmap(t.Vm.Ioas.Id, 0x2000_0000, 0x1000).Value);

        Assert.DoesNotContain(t.Smmu.Iotlb.Entries, e => e.Key.Tag == t.Vm.Vmid);
        Assert.Equal(0, t.Device.Atc.Count);
    }

    [Fact]
    public void ReplacingTheDomainFlushesTheAtcAndDestroyKeepsTheBusyRules()
    {
        var t = new ArmTestVm(ats: true);
        t.Device.Translate(Va, null, Access.Read);
        var installed = t.Vm.Vsmmu.InstalledHwpts[1];
        Assert.Equal(Errno.EBUSY, t.Vm.Fd.Destroy(installed).Error);

        Assert.True(t.Vm.Fd.Replace(t.Device.Id, null, t.Vm.Parent.Id).IsOk);
        Assert.Equal(0, t.Device.Atc.Count);
        Assert.True(t.Smmu.StreamTable.TryRead(0x100, out var ste, out _, out _));
        Assert.Equal(SteConfig.S2Trans, ste.Config);
        Assert.True(t.Vm.Fd.Destroy(installed).IsOk);
        Assert.True(t.Vm.Fd.Detach(t.Device.Id, null).IsOk);
        Assert.True(t.Smmu.StreamTable.TryRead(0x100, out ste, out _, out _));
        Assert.Equal((true, SteConfig.Abort), (ste.V, ste.Config));
    }

    [Fact]
    public void NestedHwptsNeedAVdeviceToTranslateButNotToAbortOrBypass()
    {
        var host = new ArmScenario();
        var vm = host.CreateVm("vm", 8 << 20, (0x10, 1, false));
        var stranger = vm.Fd.BindDevice(host.Smmu, 0x11, false, 20).Value;
        var s1 = HwInfoAndAllocationTests.Vste(Ste.Create().WithV(true).WithConfig(SteConfig.S1Trans).WithS1ContextPtr(0x1000).GetWord(0), 0);
        var bypass = HwInfoAndAllocationTests.Vste(Ste.Create().WithV(true).WithConfig(SteConfig.Bypass).GetWord(0), 0);
        var h1 = vm.Fd.HwptAlloc(stranger.Id, vm.Viommu.Id, 0, ArmSmmuV3Uapi.HwptDataType, s1).Value;
        var h2 = vm.Fd.HwptAlloc(stranger.Id, vm.Viommu.Id, 0, ArmSmmuV3Uapi.HwptDataType, bypass).Value;

        Assert.Equal(Errno.ENOENT, vm.Fd.Attach(stranger.Id, null, h1.Id).Error);
        Assert.True(vm.Fd.Attach(stranger.Id, null, h2.Id).IsOk);
        var gpa = vm.AllocateBuffer(0x1000);
        Assert.True(vm.Memory.TryTranslate(gpa, out var hpa));
        Assert.Equal(hpa, host.Smmu.Translate(stranger, null, gpa, Access.Write).Hpa); // bypass vSTE = stage 2 only
        Assert.True(vm.Fd.VdeviceAlloc(vm.Viommu.Id, stranger.Id, 9).IsOk);
        Assert.True(vm.Fd.Replace(stranger.Id, null, h1.Id).IsOk);
    }
}
