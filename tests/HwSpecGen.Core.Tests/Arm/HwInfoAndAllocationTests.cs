using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>GET_HW_INFO, IOMMU_VIOMMU_ALLOC and IOMMU_HWPT_ALLOC with <c>struct iommu_hwpt_arm_smmuv3</c> as <c>arm_vsmmu_alloc_domain_nested</c> checks it.</summary>
public sealed class HwInfoAndAllocationTests
{
    private readonly ArmScenario _host = new();
    private readonly ArmVm _vm;
    private readonly Device _dev;

    public HwInfoAndAllocationTests()
    {
        _vm = _host.CreateVm("vm", 8 << 20, (0x40, 1, true));
        _dev = _vm.Devices[1];
    }

    [Fact]
    public void HwInfoIsTheRawIdRegisters()
    {
        var exact = new byte[40];
        var r = _vm.Fd.GetHwInfo(_dev.Id, exact);

        Assert.Equal((ArmSmmuV3Uapi.HwInfoType, 40u), (r.Value.Type, r.Value.KernelDataLength));
        Assert.Equal(_host.Smmu.Idr0, Idr0.Read(exact.AsSpan(8)));
        Assert.Equal(_host.Smmu.Idr1, Idr1.Read(exact.AsSpan(12)));
        Assert.Equal(_host.Smmu.Idr3, Idr3.Read(exact.AsSpan(20)));
        Assert.Equal(_host.Smmu.Idr5, Idr5.Read(exact.AsSpan(28)));
        Assert.Equal(0x43BU, BitConverter.ToUInt32(exact, 32));

        var larger = Enumerable.Repeat((byte)0xAA, 48).ToArray();
        var smaller = new byte[12];
        Assert.True(_vm.Fd.GetHwInfo(_dev.Id, larger).IsOk);
        Assert.True(_vm.Fd.GetHwInfo(_dev.Id, smaller).IsOk);
        Assert.True(_vm.Fd.GetHwInfo(_dev.Id, []).IsOk);
        Assert.Equal(exact, larger[..40]);
        Assert.All(larger[40..], b => Assert.Equal(0, b));
        Assert.Equal(exact[..12], smaller);
    }

    [Fact]
    public void ViommuOfAnotherTypeIsNotSupportedAndTakesTheParentVmid()
    {
        Assert.Equal(Errno.EOPNOTSUPP, _vm.Fd.ViommuAlloc(_dev.Id, _vm.Parent.Id, 2).Error);
        var second = _vm.Fd.ViommuAlloc(_dev.Id, _vm.Parent.Id, ArmSmmuV3Uapi.ViommuType).Value;
        Assert.Equal(_vm.Parent.DomainTag, ((SmmuV3Viommu)second.Driver).Vmid);
    }

    public static TheoryData<string, ulong, ulong> RejectedVstes => new()
    {
        { "reserved dword-0 bit 56", Ste.Create().WithV(true).WithConfig(SteConfig.S1Trans).GetWord(0) | (1UL << 56), 0 },
        { "S1ContextPtr bit 52", Ste.Create().WithV(true).WithConfig(SteConfig.S1Trans).WithS1ContextPtr(1UL << 52).GetWord(0), 0 },
        { "STRW (dword 1) not allowed", Ste.Create().WithV(true).WithConfig(SteConfig.S1Trans).GetWord(0), Ste.Create().WithStrw(StreamWorld.NsEl2).GetWord(1) },
        { "MEV (dword 1) not allowed", Ste.Create().WithV(true).WithConfig(SteConfig.S1Trans).GetWord(0), Ste.Create().WithMev(true).GetWord(1) },
        { "Config S2", Ste.Create().WithV(true).WithConfig(SteConfig.S2Trans).GetWord(0), 0 },
        { "Config nested", Ste.Create().WithV(true).WithConfig(SteConfig.Nested).GetWord(0), 0 },
        { "Config reserved abort 1", Ste.Create().WithV(true).WithConfig((SteConfig)1).GetWord(0), 0 },
        { "EATS split-stage", Ste.Create().WithV(true).WithConfig(SteConfig.S1Trans).GetWord(0), Ste.Create().WithEats(AtsConfig.SplitStage).GetWord(1) },
    };

    [Theory]
    [MemberData(nameof(RejectedVstes))]
    public void IllegalGuestSteDataIsEio(string what, ulong word0, ulong word1)
    {
        var r = _vm.Fd.HwptAlloc(_dev.Id, _vm.Viommu.Id, HwptAllocFlags.None, ArmSmmuV3Uapi.HwptDataType, Vste(word0, word1));
        Assert.True(r.Error == Errno.EIO, what);
    }

    [Fact]
    public void AllowedFieldsAreAccepted()
    {
        var ste = Ste.Create().WithV(true).WithConfig(SteConfig.S1Trans).WithS1Fmt(S1Format.TwoLevel64K).WithS1ContextPtr(0xF_FFFF_FFC0).WithS1CdMax(20)
            .WithS1Dss(S1DefaultSubstream.Bypass).WithS1Cir(ContextCacheability.WriteBackReadAllocate).WithS1Cor(ContextCacheability.WriteThroughReadAllocate)
            .WithS1Csh(Shareability.InnerShareable).WithS1Stalld(true).WithEats(AtsConfig.FullAts);
        var r = _vm.Fd.HwptAlloc(_dev.Id, _vm.Viommu.Id, HwptAllocFlags.None, ArmSmmuV3Uapi.HwptDataType, Vste(ste.GetWord(0), ste.GetWord(1)));

        var domain = (SmmuV3NestedDomain)((HwptNested)r.Value).Domain;
        Assert.True(domain.EnableAts);
        Assert.Equal(ste.WithEats(AtsConfig.Abort), domain.Vste);
        Assert.Equal(_vm.Vmid, domain.DomainTag);
    }

    [Fact]
    public void AnInvalidVsteIsAcceptedZeroedAndActsAsAbort()
    {
        var garbage = Ste.Create().WithConfig(SteConfig.Nested).WithMev(true).GetWord(0) | (1UL << 57);
        var r = _vm.Fd.HwptAlloc(_dev.Id, _vm.Viommu.Id, HwptAllocFlags.None, ArmSmmuV3Uapi.HwptDataType, Vste(garbage, ulong.MaxValue));
        var domain = (SmmuV3NestedDomain)((HwptNested)r.Value).Domain;
        Assert.Equal(Ste.Create(), domain.Vste);

        Assert.True(_vm.Fd.Replace(_dev.Id, null, r.Value.Id).IsOk);
        _host.Smmu.StreamTable.TryRead(_dev.PhysicalId, out var ste, out _, out _);
        Assert.Equal((true, SteConfig.Abort), (ste.V, ste.Config));
        var dma = _host.Smmu.Translate(_dev, null, 0x1000, Access.Read);
        Assert.Equal(("ABORT", FaultKind.Blocked), (dma.Fault!.Code, dma.Fault.Kind));
        Assert.Empty(_host.Smmu.HostEvents);
    }

    [Fact]
    public void CopyRulesFlagsAndTargetsFollowTheKernel()
    {
        var ok = Vste(Ste.Create().WithV(true).WithConfig(SteConfig.Bypass).GetWord(0), 0);
        Assert.Equal(Errno.EINVAL, _vm.Fd.HwptAlloc(_dev.Id, _vm.Viommu.Id, 0, ArmSmmuV3Uapi.HwptDataType + 1, ok).Error);
        Assert.Equal(Errno.EINVAL, _vm.Fd.HwptAlloc(_dev.Id, _vm.Viommu.Id, 0, ArmSmmuV3Uapi.HwptDataType, ok[..15]).Error);
        Assert.Equal(Errno.EINVAL, _vm.Fd.HwptAlloc(_dev.Id, _vm.Viommu.Id, 0, ArmSmmuV3Uapi.HwptDataType, [.. ok, 0]).Error);
        Assert.Equal(Errno.EFAULT, _vm.Fd.HwptAlloc(_dev.Id, _vm.Viommu.Id, 0, ArmSmmuV3Uapi.HwptDataType, null, dataLength: 16).Error);
        Assert.Equal(Errno.EOPNOTSUPP, _vm.Fd.HwptAlloc(_dev.Id, _vm.Viommu.Id, HwptAllocFlags.Pasid, ArmSmmuV3Uapi.HwptDataType, ok).Error);
        Assert.Equal(Errno.EOPNOTSUPP, _vm.Fd.HwptAlloc(_dev.Id, _vm.Parent.Id, 0, ArmSmmuV3Uapi.HwptDataType, ok).Error);
        var fault = _vm.Fd.FaultQueueAlloc().Value;
        Assert.Equal(Errno.ENOENT, _vm.Fd.HwptAlloc(_dev.Id, _vm.Viommu.Id, HwptAllocFlags.FaultIdValid, ArmSmmuV3Uapi.HwptDataType, ok, faultId: uint.MaxValue).Error);
        Assert.True(_vm.Fd.HwptAlloc(_dev.Id, _vm.Viommu.Id, HwptAllocFlags.FaultIdValid, ArmSmmuV3Uapi.HwptDataType, ok, faultId: fault.Id).IsOk);
        Assert.Equal(Errno.EBUSY, _vm.Fd.Destroy(_vm.Viommu.Id).Error);
        Assert.Equal(Errno.EBUSY, _vm.Fd.Destroy(_vm.Parent.Id).Error);
    }

    internal static byte[] Vste(ulong word0, ulong word1)
    {
        var data = new byte[16];
        BitConverter.TryWriteBytes(data.AsSpan(0, 8), word0);
        BitConverter.TryWriteBytes(data.AsSpan(8, 8), word1);
        return data;
    }
}
