using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Intel;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Tests.Intel;

/// <summary>
/// GET_HW_INFO, IOMMU_HWPT_ALLOC with IOMMU_HWPT_DATA_VTD_S1 and attach, with the checks of
/// <c>intel_iommu_domain_alloc_nested</c> and <c>intel_pasid_setup_nested</c> (selftest checklist 6.1, 6.2, 6.4).
/// </summary>
public sealed class NestedAllocationTests
{
    private readonly IntelScenario _host;
    private readonly IntelVm _vm;
    private readonly Device _dev;

    public NestedAllocationTests()
    {
        _host = new IntelScenario();
        _vm = _host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08), new IntelVmDevice(0x0108, 0x10, Ats: false));
        _dev = _vm.Device(0x08);
    }

    private IommufdContext Fd => _vm.Fd;

    private static byte[] S1(ulong pgtbl = 0x10_0000, uint width = 48, ulong flags = 0) => new IommuHwptVtdS1(flags, pgtbl, width).ToBytes();

    [Fact]
    public void HwInfoCarriesTheCapabilityRegistersTruncatedOrZeroFilled()
    {
        var exact = new byte[IommuHwInfoVtd.Size];
        var r = Fd.GetHwInfo(_dev.Id, exact);
        Assert.True(r.IsOk);
        Assert.Equal(IntelUapi.HwInfoTypeIntelVtd, r.Value.Type);
        Assert.Equal((uint)IommuHwInfoVtd.Size, r.Value.KernelDataLength);
        var info = IommuHwInfoVtd.Read(exact);
        Assert.Equal(_host.Iommu.Cap, info.Cap);
        Assert.Equal(_host.Iommu.Ecap, info.Ecap);
        Assert.True(info.Ecap.Nest && info.Ecap.Smts && info.Ecap.Flts && info.Ecap.Slts);

        var larger = new byte[40];
        larger.AsSpan().Fill(0xAA);
        Assert.True(Fd.GetHwInfo(_dev.Id, larger).IsOk);
        Assert.Equal(exact, larger[..24]);
        Assert.All(larger[24..], b => Assert.Equal(0, b));

        var smaller = new byte[12];
        Assert.True(Fd.GetHwInfo(_dev.Id, smaller).IsOk);
        Assert.Equal(exact[..12], smaller);
        Assert.True(Fd.GetHwInfo(_dev.Id, Span<byte>.Empty).IsOk);
        Assert.Equal(Errno.ENOENT, Fd.GetHwInfo(9999, exact).Error);
    }

    [Fact]
    public void Spr17ErratumIsReportedInTheFlags()
    {
        var host = new IntelScenario(new IntelVtdOptions { Errata772415Spr17 = true });
        var vm = host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08));
        var buf = new byte[IommuHwInfoVtd.Size];
        vm.Fd.GetHwInfo(vm.Device(0x08).Id, buf);
        Assert.Equal(IntelUapi.HwInfoVtdErrata772415Spr17, IommuHwInfoVtd.Read(buf).Flags);
    }

    [Fact]
    public void NestedAllocationChecksFollowTheCoreThenTheDriver()
    {
        var parent = _vm.NestParent;
        var plain = Fd.HwptAlloc(_dev.Id, _vm.Ioas.Id, HwptAllocFlags.None).Value;

        Assert.Equal(Errno.ENOENT, Fd.HwptAlloc(9999, parent.Id, 0, IntelUapi.HwptDataVtdS1, S1()).Error);
        Assert.Equal(Errno.EINVAL, Fd.HwptAlloc(_dev.Id, _dev.Id, 0, IntelUapi.HwptDataVtdS1, S1()).Error);
        Assert.Equal(Errno.EINVAL, Fd.HwptAlloc(_dev.Id, parent.Id, 0, IommufdContext.HwptDataNone, S1()).Error);
        Assert.Equal(Errno.EOPNOTSUPP, Fd.HwptAlloc(_dev.Id, parent.Id, 0, IntelUapi.HwptDataVtdS1 + 1, S1()).Error);
        Assert.Equal(Errno.EINVAL, Fd.HwptAlloc(_dev.Id, parent.Id, 0, IntelUapi.HwptDataVtdS1, S1(), dataLength: 23).Error);
        Assert.Equal(Errno.EINVAL, Fd.HwptAlloc(_dev.Id, parent.Id, 0, IntelUapi.HwptDataVtdS1, [.. S1(), 0]).Error);
        Assert.Equal(Errno.EFAULT, Fd.HwptAlloc(_dev.Id, parent.Id, 0, IntelUapi.HwptDataVtdS1, null, dataLength: 24).Error);
        Assert.Equal(Errno.EOPNOTSUPP, Fd.HwptAlloc(_dev.Id, parent.Id, HwptAllocFlags.NestParent, IntelUapi.HwptDataVtdS1, S1()).Error);
        Assert.Equal(Errno.EINVAL, Fd.HwptAlloc(_dev.Id, plain.Id, 0, IntelUapi.HwptDataVtdS1, S1()).Error);

        var n0 = Fd.HwptAlloc(_dev.Id, parent.Id, 0, IntelUapi.HwptDataVtdS1, S1()).Value;
        var n1 = Fd.HwptAlloc(_dev.Id, parent.Id, HwptAllocFlags.Pasid, IntelUapi.HwptDataVtdS1, S1(0x20_0000)).Value;
        Assert.Equal(Errno.EINVAL, Fd.HwptAlloc(_dev.Id, n0.Id, 0, IntelUapi.HwptDataVtdS1, S1()).Error);
        Assert.Equal(2, _host.Iommu.NestedChildren(parent).Count);
        Assert.Equal(Errno.EBUSY, Fd.Destroy(parent.Id).Error);

        // alloc_nested validates nothing of the stage-1 data itself (flags, width, reserved): attach does
        var odd = Fd.HwptAlloc(_dev.Id, parent.Id, 0, IntelUapi.HwptDataVtdS1, new IommuHwptVtdS1(0xFF, 0x1234, 39, 7).ToBytes());
        Assert.True(odd.IsOk);

        Assert.True(Fd.Destroy(n0.Id).IsOk);
        Assert.True(Fd.Destroy(n1.Id).IsOk);
        Assert.True(Fd.Destroy(odd.Value.Id).IsOk);
        Assert.Empty(_host.Iommu.NestedChildren(parent));
    }

    [Fact]
    public void HardwareWithoutNestingRefusesNestedAllocation()
    {
        var host = new IntelScenario(new IntelVtdOptions { NestedTranslation = false });
        var vm = host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08));
        var r = vm.Fd.HwptAlloc(vm.Device(0x08).Id, vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, S1());
        Assert.Equal(Errno.EOPNOTSUPP, r.Error);
    }

    [Fact]
    public void VtdHasNoViommuType()
    {
        Assert.Equal(Errno.EOPNOTSUPP, Fd.ViommuAlloc(_dev.Id, _vm.NestParent.Id, 1).Error);
    }

    [Theory]
    [InlineData(39u, 0UL, false, false)]
    [InlineData(57u, 0UL, false, false)]
    [InlineData(57u, 0UL, true, true)]
    [InlineData(48u, IntelUapi.VtdS1Eafe, false, false)]
    [InlineData(48u, IntelUapi.VtdS1Sre | IntelUapi.VtdS1Wpe, false, true)]
    public void AttachChecksTheStageOneConfigurationAgainstTheHardware(uint width, ulong flags, bool fiveLevel, bool accepted)
    {
        var host = new IntelScenario(new IntelVtdOptions { FirstStage5Level = fiveLevel });
        var vm = host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08));
        var dev = vm.Device(0x08);
        var before = dev.Attached;
        host.Iommu.TryReadPasidEntry(dev, null, out var entryBefore);
        var nested = vm.Fd.HwptAlloc(dev.Id, vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, S1(0x10_0000, width, flags)).Value;

        var r = vm.Fd.Replace(dev.Id, null, nested.Id);

        Assert.Equal(accepted, r.IsOk);
        host.Iommu.TryReadPasidEntry(dev, null, out var entryAfter);
        if (accepted)
        {
            Assert.Equal(PasidGranularTranslationType.Nested, entryAfter.Pgtt);
            Assert.Equal(width == 57 ? FirstStagePagingMode.FiveLevel : FirstStagePagingMode.FourLevel, entryAfter.Flpm);
            Assert.Equal((flags & IntelUapi.VtdS1Sre) != 0, entryAfter.Sre);
            Assert.Equal((flags & IntelUapi.VtdS1Wpe) != 0, entryAfter.Wpe);
        }
        else
        {
            Assert.Equal(Errno.EINVAL, r.Error);
            Assert.Same(before, dev.Attached);
            Assert.Equal(entryBefore, entryAfter);
        }
    }

    [Fact]
    public void AttachProgramsTheHostContextAndPasidEntries()
    {
        var nested = (HwptNested)Fd.HwptAlloc(_dev.Id, _vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, S1(0x12_3000)).Value;
        Assert.True(Fd.Replace(_dev.Id, null, nested.Id).IsOk);

        Assert.True(_host.Iommu.TryReadContext(_dev.PhysicalId, out var ctx, out _));
        Assert.True(ctx.P && ctx.Dte && !ctx.Fpd);
        Assert.Equal(0UL, ctx.RidPasid);
        Assert.True(_host.Iommu.TryReadPasidEntry(_dev, null, out var pe));
        var domain = (IntelNestedDomain)nested.Domain;
        Assert.True(pe.P);
        Assert.Equal(PasidGranularTranslationType.Nested, pe.Pgtt);
        Assert.Equal(0x12_3000UL, pe.Fsptptr);
        Assert.Equal(_vm.NestParent.PageTable.Root, pe.Slptptr);
        Assert.Equal(SecondStageAddressWidth.FourLevel, pe.Aw);
        Assert.Equal(domain.Did, (ushort)pe.Did);
        Assert.NotEqual(_vm.NestParent.DomainTag, pe.Did);
        Assert.True(pe.Validate().IsValid);

        // the device without ATS gets no DTE, so it never uses an ATC
        var other = _vm.Device(0x10);
        Fd.Replace(other.Id, null, nested.Id);
        Assert.True(_host.Iommu.TryReadContext(other.PhysicalId, out var ctx2, out _));
        Assert.False(ctx2.Dte);
        Assert.False(other.AtsEnabled);
        Assert.True(_dev.AtsEnabled);
    }

    [Fact]
    public void NestedDomainHoldsAHostDidOnlyWhileAttached()
    {
        var nested = (HwptNested)Fd.HwptAlloc(_dev.Id, _vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, S1()).Value;
        var domain = (IntelNestedDomain)nested.Domain;
        Assert.Equal(0, domain.Did);

        Fd.Replace(_dev.Id, null, nested.Id);
        Fd.Replace(_vm.Device(0x10).Id, null, nested.Id);
        var did = domain.Did;
        Assert.NotEqual(0, did);
        Assert.Equal(2, domain.DidUsers);

        Fd.Replace(_dev.Id, null, _vm.NestParent.Id);
        Assert.Equal(did, domain.Did);
        Assert.Equal(Errno.EBUSY, Fd.Destroy(nested.Id).Error);
        Fd.Replace(_vm.Device(0x10).Id, null, _vm.NestParent.Id);
        Assert.Equal(0, domain.Did);
        Assert.True(Fd.Destroy(nested.Id).IsOk);
    }

    [Fact]
    public void ReplaceSwitchesNestedHwptsAndDestroyFollowsTheReferences()
    {
        var n0 = (HwptNested)Fd.HwptAlloc(_dev.Id, _vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, S1(0x10_0000)).Value;
        var n1 = (HwptNested)Fd.HwptAlloc(_dev.Id, _vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, S1(0x20_0000)).Value;
        Assert.True(Fd.Replace(_dev.Id, null, n0.Id).IsOk);
        Assert.Equal(Errno.EBUSY, Fd.Destroy(n0.Id).Error);

        Assert.True(Fd.Replace(_dev.Id, null, n1.Id).IsOk);
        _host.Iommu.TryReadPasidEntry(_dev, null, out var pe);
        Assert.Equal(0x20_0000UL, pe.Fsptptr);
        Assert.Equal(((IntelNestedDomain)n1.Domain).Did, (ushort)pe.Did);
        Assert.Equal(Errno.EBUSY, Fd.Destroy(n1.Id).Error);
        Assert.True(Fd.Destroy(n0.Id).IsOk);

        Assert.True(Fd.Replace(_dev.Id, null, _vm.NestParent.Id).IsOk);
        _host.Iommu.TryReadPasidEntry(_dev, null, out pe);
        Assert.Equal(PasidGranularTranslationType.SecondStageOnly, pe.Pgtt);
        Assert.True(Fd.Destroy(n1.Id).IsOk);

        Assert.True(Fd.Detach(_dev.Id, null).IsOk);
        _host.Iommu.TryReadPasidEntry(_dev, null, out pe);
        Assert.False(pe.P);
        var blocked = _dev.Translate(0x1000, null, Access.Read);
        Assert.Equal(TranslationStage.Config, blocked.Fault!.Stage);
        Assert.Equal(FaultReason.SmPasidTableEntryNotPresent, IntelVtdIommu.ReasonOf(blocked.Fault));
    }

    [Fact]
    public void PasidAttachNeedsAPasidCapableHwptAndDevice()
    {
        var host = new IntelScenario();
        var vm = host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, 0x08, PasidBits: 20), new IntelVmDevice(0x0108, 0x10));
        var dev = vm.Device(0x08);
        var noPasid = vm.Fd.HwptAlloc(dev.Id, vm.NestParent.Id, 0, IntelUapi.HwptDataVtdS1, S1()).Value;
        var withPasid = vm.Fd.HwptAlloc(dev.Id, vm.NestParent.Id, HwptAllocFlags.Pasid, IntelUapi.HwptDataVtdS1, S1()).Value;

        Assert.Equal(Errno.EINVAL, vm.Fd.Attach(dev.Id, 5, noPasid.Id).Error);
        Assert.Equal(Errno.EINVAL, vm.Fd.Attach(vm.Device(0x10).Id, 5, withPasid.Id).Error);
        Assert.True(vm.Fd.Attach(dev.Id, 5, withPasid.Id).IsOk);
        Assert.Equal(Errno.EBUSY, vm.Fd.Attach(dev.Id, 5, withPasid.Id).Error);

        Assert.True(host.Iommu.TryReadPasidEntry(dev, 5, out var pe));
        Assert.Equal(PasidGranularTranslationType.Nested, pe.Pgtt);
        Assert.True(host.Iommu.TryReadContext(dev.PhysicalId, out var ctx, out _));
        Assert.True(ctx.Paside);
        Assert.Equal(7UL, ctx.Pdts); // 2^14 directory entries for 20-bit PASIDs
    }
}
