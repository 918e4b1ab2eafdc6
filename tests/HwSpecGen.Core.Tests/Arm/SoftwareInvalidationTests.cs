using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>
/// IOMMU_HWPT_INVALIDATE on the vIOMMU with IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 entries, as
/// <c>arm_vsmmu_cache_invalidate</c> handles them (the selftest <c>vdevice_cache</c> checklist with SMMUv3 data).
/// </summary>
public sealed class SoftwareInvalidationTests
{
    private const ulong Va = ArmTestVm.Va;
    private readonly ArmTestVm _a;
    private readonly ArmTestVm _b;

    public SoftwareInvalidationTests()
    {
        _a = new ArmTestVm(ats: true, name: "a");
        _b = new ArmTestVm(ats: true, host: _a.Host, name: "b", sid: 0x200);
        _a.Device.Translate(Va, null, Access.Read);
        _b.Device.Translate(Va, null, Access.Read);
    }

    private SmmuV3Iommu Smmu => _a.Smmu;

    [Fact]
    public void NsnhAllBecomesNhAllOfTheCallersVmidOnly()
    {
        var r = Invalidate(_a, out var done, TlbiNsnhAll.Create().ToBytes());

        Assert.Equal((true, 1u), (r.IsOk, done));
        Assert.False(Smmu.Iotlb.Contains(_a.Vm.Vmid, 5, Va));
        Assert.True(Smmu.Iotlb.Contains(_b.Vm.Vmid, 5, Va));
    }

    [Fact]
    public void TheVmidOfNhCommandsIsOverwrittenSoAForeignVmidCannotBeReached()
    {
        var r = Invalidate(_a, out _, TlbiNhAsid.Create().WithVmid(_b.Vm.Vmid).WithAsid(5).ToBytes(), TlbiNhVa.Create().WithVmid(_b.Vm.Vmid).WithAsid(5).WithAddress(Va).ToBytes());

        Assert.True(r.IsOk);
        Assert.True(Smmu.Iotlb.Contains(_b.Vm.Vmid, 5, Va));
        Assert.False(Smmu.Iotlb.Contains(_a.Vm.Vmid, 5, Va));
    }

    [Fact]
    public void AtcInvIsTranslatedFromVsidToPsid()
    {
        Assert.True(Invalidate(_a, out _, AtcInv.ForRange(1, 0, 0, 0).ToBytes()).IsOk);

        Assert.Equal(0, _a.Device.Atc.Count);
        Assert.Equal(1, _b.Device.Atc.Count);
    }

    [Fact]
    public void AnUnknownVsidIsEioAndEntryNumIsItsIndex()
    {
        var r = Invalidate(_a, out var done, TlbiNhVaa.Create().WithAddress(Va).ToBytes(), CfgiCdAll.Create().WithSid(0x200).ToBytes(), TlbiNsnhAll.Create().ToBytes());

        Assert.Equal((Errno.EIO, 1u), (r.Error, done));
    }

    [Fact]
    public void AConversionErrorLeavesTheCommandsOfTheUnissuedBatchUnapplied()
    {
        // Linux arm_vsmmu_cache_invalidate converts in place and only issues a batch at its end: the NH_ASID before the
        // failing command is counted in entry_num but never reaches the command queue.
        var r = Invalidate(_a, out var done, TlbiNhAsid.Create().WithAsid(5).ToBytes(), CfgiSte.Create().WithSid(1).ToBytes());

        Assert.Equal((Errno.EIO, 1u), (r.Error, done));
        Assert.True(Smmu.Iotlb.Contains(_a.Vm.Vmid, 5, Va));
    }

    [Fact]
    public void OpcodesOtherThanTheEightAcceptedOnesAreEio()
    {
        var accepted = new HashSet<CommandKind> { CommandKind.TlbiNhAll, CommandKind.TlbiNhAsid, CommandKind.TlbiNhVa, CommandKind.TlbiNhVaa, CommandKind.TlbiNsnhAll, CommandKind.AtcInv, CommandKind.CfgiCd, CommandKind.CfgiCdAll };
        for (var op = 0; op < 256; op++)
        {
            var raw = new byte[16];
            raw[0] = (byte)op;
            raw[4] = 1; // vSID 1 for the SID-carrying ones
            var kind = CommandSet.Decode(raw).Kind;
            var r = Invalidate(_a, out var done, raw);
            Assert.True(accepted.Contains(kind) == r.IsOk, $"opcode 0x{op:X2} ({kind}) -> {r}");
            Assert.Equal(r.IsOk ? 1u : 0u, done);
        }
    }

    [Fact]
    public void TheArrayChecksFollowTheFullArrayCopyHelper()
    {
        var entry = TlbiNsnhAll.Create().ToBytes();
        uint n = 1;
        Assert.Equal(Errno.EINVAL, _a.Vm.Fd.HwptInvalidate(_a.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType + 1, 16, entry, ref n).Error);
        Assert.Equal(0u, n);
        n = 0;
        Assert.Equal(Errno.EINVAL, _a.Vm.Fd.HwptInvalidate(_a.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, 16, entry, ref n).Error);
        n = 1;
        Assert.Equal(Errno.EINVAL, _a.Vm.Fd.HwptInvalidate(_a.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, 0, entry, ref n).Error);
        n = 1;
        Assert.Equal(Errno.EINVAL, _a.Vm.Fd.HwptInvalidate(_a.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, 16, entry, ref n, nullPointer: true).Error);
        n = 1;
        Assert.True(_a.Vm.Fd.HwptInvalidate(_a.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, 17, [.. entry, 0], ref n).IsOk);
        n = 1;
        Assert.Equal((Errno.E2BIG, 0u), (_a.Vm.Fd.HwptInvalidate(_a.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, 17, [.. entry, 1], ref n).Error, n));
        n = 1;
        Assert.True(_a.Vm.Fd.HwptInvalidate(_a.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, 8, entry[..8], ref n).IsOk); // zero-extended
        n = 1;
        Assert.Equal(Errno.EINVAL, _a.Vm.Fd.HwptInvalidate(_a.Vm.Parent.Id, ArmSmmuV3Uapi.InvalidateDataType, 16, entry, ref n).Error);
        n = 1;
        Assert.Equal(Errno.EOPNOTSUPP, _a.Vm.Fd.HwptInvalidate(_a.Vm.Vsmmu.InstalledHwpts[1], ArmSmmuV3Uapi.InvalidateDataType, 16, entry, ref n).Error);
    }

    [Fact]
    public void LongArraysAreIssuedInBatchesOf63WithASyncEach()
    {
        var cmds = Enumerable.Range(0, 130).SelectMany(i => TlbiNhAsid.Create().WithAsid((ulong)i).ToBytes()).ToArray();
        var before = Smmu.CommandQueue.Cons.Rd;
        uint n = 130;

        Assert.True(_a.Vm.Fd.HwptInvalidate(_a.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, 16, cmds, ref n).IsOk);

        Assert.Equal(130u, n);
        var consumed = SmmuV3QueueIndex.Count(Smmu.CommandQueue.Cons.Rd, before, Smmu.CommandQueue.Log2Size);
        Assert.Equal(130UL + 3, consumed); // 63 + 63 + 4, each followed by CMD_SYNC
    }

    [Fact]
    public void AMalformedForwardedCommandIsRefusedByTheHostQueueAndSkippedAsLinuxDoes()
    {
        // TG = 4K with NUM = SCALE = TTL = 0 is reserved; Linux does not check it, the SMMU raises CERROR_ILL and
        // __arm_smmu_cmdq_skip_err replaces it with a CMD_SYNC: the ioctl succeeds, the invalidation never happens.
        var bad = TlbiNhVa.Create().WithAsid(5).WithTg(TlbiGranule.Granule4K).WithAddress(Va).ToBytes();

        Assert.True(Invalidate(_a, out var done, bad).IsOk);

        Assert.Equal(1u, done);
        var err = Assert.Single(Smmu.HostCommandErrors);
        Assert.Equal(CommandError.Ill, err.Error);
        Assert.True(Smmu.Iotlb.Contains(_a.Vm.Vmid, 5, Va));
        Assert.False(Smmu.CommandQueue.ErrorActive);
    }

    private static IommufdResult Invalidate(ArmTestVm vm, out uint done, params byte[][] commands)
    {
        var data = commands.SelectMany(c => c).ToArray();
        done = (uint)commands.Length;
        return vm.Vm.Fd.HwptInvalidate(vm.Vm.Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, 16, data, ref done);
    }
}
