using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>
/// The configuration cache: an STE (decoded and checked once) and a CD (with its ASID) are used without reading the
/// tables again — also after software changed them — until CFGI_STE / CFGI_STE_RANGE / CFGI_ALL / CFGI_CD / CFGI_CD_ALL.
/// </summary>
public sealed class ConfigCacheTests
{
    private const uint Sid = 0x100;

    [Fact]
    public void AHostSteChangedWithoutCfgiSteIsStillUsedUntilCfgiSte()
    {
        var t = new ArmTestVm();
        var va = ArmTestVm.Va;
        var expected = t.Device.Translate(va, null, Access.Read).Hpa;
        Assert.Equal(1, t.Smmu.CachedSteCount);
        Assert.True(t.Smmu.StreamTable.TryRead(Sid, out var ste, out _, out _));

        // (1) the driver rewrites the STE as abort without CFGI_STE: the cached STE stays in force
        t.Smmu.StreamTable.Write(Sid, ste.WithConfig(SteConfig.Abort));
        t.Smmu.Iotlb.InvalidateAll();
        Assert.Equal(expected, t.Device.Translate(va, null, Access.Read).Hpa);

        // CFGI_STE of another StreamID leaves it
        Assert.True(t.Smmu.IssueCommands(CfgiSte.Create().WithSid(Sid + 1).ToBytes(), sync: true).IsOk);
        Assert.Equal(expected, t.Device.Translate(va, null, Access.Read).Hpa);

        // (2) CFGI_STE: the STE is fetched again
        Assert.True(t.Smmu.IssueCommands(CfgiSte.Create().WithSid(Sid).ToBytes(), sync: true).IsOk);
        Assert.Equal(0, t.Smmu.CachedSteCount);
        Assert.Equal("ABORT", t.Device.Translate(va, null, Access.Read).Fault!.Code);
    }

    [Fact]
    public void AnIllegalSteWrittenWithoutInvalidationIsNotCheckedUntilCfgiAll()
    {
        var t = new ArmTestVm();
        var va = ArmTestVm.Va;
        var expected = t.Device.Translate(va, null, Access.Read).Hpa;
        Assert.True(t.Smmu.StreamTable.TryRead(Sid, out var ste, out _, out _));

        // a 64 KiB stage-2 granule is ILLEGAL on this SMMU; the hardware does not look at the table until invalidated
        t.Smmu.StreamTable.Write(Sid, ste.WithS2Tg(TranslationGranule.Granule64K));
        t.Smmu.Iotlb.InvalidateAll();
        Assert.Equal(expected, t.Device.Translate(va, null, Access.Read).Hpa);

        Assert.True(t.Smmu.IssueCommands(CfgiSteRange.CreateAll().ToBytes(), sync: true).IsOk);
        Assert.Equal("C_BAD_STE", t.Device.Translate(va, null, Access.Read).Fault!.Code);
        Assert.Equal(0, t.Smmu.CachedSteCount);

        // restored, CFGI_STE_RANGE covering the StreamID: translates again
        t.Smmu.StreamTable.Write(Sid, ste);
        Assert.True(t.Smmu.IssueCommands(CfgiSteRange.Create().WithSid(Sid & ~0xFUL).WithRange(4).ToBytes(), sync: true).IsOk);
        Assert.Equal(expected, t.Device.Translate(va, null, Access.Read).Hpa);
    }

    [Fact]
    public void ANewVmidInTheSteIsOnlyUsedForTheIotlbAfterCfgiSte()
    {
        var t = new ArmTestVm();
        var va = ArmTestVm.Va;
        t.Device.Translate(va, null, Access.Read);
        Assert.True(t.Smmu.StreamTable.TryRead(Sid, out var ste, out _, out _));
        var vmid = ste.S2Vmid;
        t.Smmu.StreamTable.Write(Sid, ste.WithS2Vmid(vmid + 0x40));

        // the cached STE still tags the IOTLB probe with the old VMID: a hit
        Assert.Equal(TranslationSource.Iotlb, t.Device.Translate(va, null, Access.Read).Source);

        Assert.True(t.Smmu.IssueCommands(CfgiSte.Create().WithSid(Sid).ToBytes(), sync: true).IsOk);
        Assert.Equal(TranslationSource.Walk, t.Device.Translate(va, null, Access.Read).Source);
        Assert.True(t.Smmu.Iotlb.Contains(vmid + 0x40, 5, va));
    }

    [Fact]
    public void AGuestCdChangedWithoutInvalidationIsStillUsedUntilCfgiCdAll()
    {
        var t = new ArmTestVm();
        var va = ArmTestVm.Va;
        var expected = t.Device.Translate(va, null, Access.Read).Hpa;
        Assert.Equal(1, t.Smmu.CachedCdCount);
        var pt = new Vendors.Arm.SmmuV3GuestPageTable(t.Vm.Memory, t.Vm.Allocator);
        var other = t.Vm.AllocateBuffer(0x1000);
        pt.Map(va, other, 0x1000, Access.ReadWrite);
        t.Domain.Cds.Write(0, Vendors.Arm.SmmuV3GuestCdTable.MakeS1Cd(6, pt.Root));

        // (1) stale: the cached CD (ASID 5) is used, and its IOTLB entries still hit
        t.Smmu.Iotlb.InvalidateAll();
        Assert.Equal(expected, t.Device.Translate(va, null, Access.Read).Hpa);

        // (2) the guest's CFGI_CD_ALL (forwarded by the VMM): the new CD (ASID 6, new TTB0) is used
        t.Vm.Guest.Submit(CfgiCdAll.Create().WithSid(1).ToBytes());
        t.Vm.Guest.Sync();
        Assert.Equal(t.Hpa(other), t.Device.Translate(va, null, Access.Read).Hpa);
        Assert.True(t.Smmu.Iotlb.Contains(t.Vm.Vmid, 6, va));
    }
}
