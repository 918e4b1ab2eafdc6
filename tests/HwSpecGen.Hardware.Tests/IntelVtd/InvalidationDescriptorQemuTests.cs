using HwSpecGen.Hardware.IntelVtd;
using static HwSpecGen.Hardware.Tests.IntelVtd.QemuVtdMacros;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>
/// QEMU's view of our encoders: descriptors built with the generated With… methods are taken apart with
/// QEMU's VTD_INV_DESC_* extraction macros (hw/i386/intel_iommu_internal.h) and checked against its
/// reserved-bit masks, as vtd_process_inv_desc would.
/// </summary>
public sealed class InvalidationDescriptorQemuTests
{
    [Fact]
    public void ContextCacheInvalidateAsVtdProcessContextCacheDescReadsIt()
    {
        var d = ContextCacheInvalidate.Create().WithG(ContextCacheGranularity.DeviceSelective).WithDid(0x8001).WithSid(0x8002).WithFm(FunctionMask.ThreeBits);
        ulong lo = d.GetWord(0), hi = d.GetWord(1);
        Assert.Equal(0x1UL, InvDescType(lo));
        Assert.Equal(3UL << 4, InvDescCcG(lo));
        Assert.Equal(0x8001UL, InvDescCcDid(lo));
        Assert.Equal(0x8002UL, InvDescCcSid(lo));
        Assert.Equal(3UL, InvDescCcFm(lo));
        Assert.Equal(0UL, lo & InvDescCcRsvd);
        Assert.Equal(0UL, hi & InvDescAllOne);
        Assert.Equal(InvDescCcRsvd, ContextCacheInvalidate.Layout.MustBeZeroMask(0));
        Assert.Equal(InvDescAllOne, ContextCacheInvalidate.Layout.MustBeZeroMask(1));
    }

    [Fact]
    public void IotlbInvalidateAsVtdProcessIotlbDescReadsIt()
    {
        var d = IotlbInvalidate256.Create().WithG(IotlbGranularity.PageSelective).WithDid(0xFFFF).WithDw(true).WithDr(true)
            .WithAm(0x12).WithIh(true).WithAddr(0xFFFF_FFFF_C000_0000);
        ulong lo = d.GetWord(0), hi = d.GetWord(1);
        Assert.Equal(0x2UL, InvDescType(lo));
        Assert.Equal(3UL << 4, InvDescIotlbG(lo));
        Assert.Equal(0xFFFFUL, InvDescIotlbDid(lo));
        Assert.Equal(0x12UL, InvDescIotlbAm(hi));
        Assert.True(InvDescIotlbAm(hi) <= Mamv);
        Assert.Equal(0xFFFF_FFFF_C000_0000UL | 1UL << 6 | 0x12UL, hi); // ADDR | IH | AM
        Assert.Equal(0xFFFF_FFFF_C000_0000UL, InvDescIotlbAddr(hi) & ~0x7FUL);
        Assert.Equal(0UL, lo & InvDescIotlbRsvdLo);
        Assert.Equal(0UL, hi & InvDescIotlbRsvdHi);
        Assert.Equal(0UL, d.GetWord(2) | d.GetWord(3));
        Assert.Equal(InvDescIotlbRsvdLo, IotlbInvalidate256.Layout.MustBeZeroMask(0));
        Assert.Equal(InvDescIotlbRsvdHi, IotlbInvalidate256.Layout.MustBeZeroMask(1));
        Assert.Equal(InvDescAllOne, IotlbInvalidate256.Layout.MustBeZeroMask(2));
        Assert.Equal(InvDescAllOne, IotlbInvalidate256.Layout.MustBeZeroMask(3));
    }

    [Fact]
    public void DeviceTlbInvalidateAsVtdProcessDeviceIotlbDescReadsIt()
    {
        var d = DeviceTlbInvalidate.Create().WithSid(0x8100).WithMip(0x1F).WithAtsRange(0x10_0000, 8);
        ulong lo = d.GetWord(0), hi = d.GetWord(1);
        Assert.Equal(0x3UL, InvDescType(lo));
        Assert.Equal(0x8100UL, InvDescDeviceIotlbSid(lo));
        Assert.Equal(1UL, InvDescDeviceIotlbSize(hi));
        Assert.Equal(0x17_F000UL, InvDescDeviceIotlbAddr(hi)); // bits 18:12 set, bit 19 clear: 2^8 pages
        Assert.Equal(0UL, lo & InvDescDeviceIotlbRsvdLo);
        Assert.Equal(0UL, hi & InvDescDeviceIotlbRsvdHi);
        Assert.True(d.Validate().IsValid);

        // QEMU reserves the PFSID bits too; our layout models them as a field plus the PfsidRequiresDit rule.
        var pfsidBits = 0xFFF0_0000_0000_F000UL;
        Assert.Equal(InvDescDeviceIotlbRsvdLo, DeviceTlbInvalidate.Layout.MustBeZeroMask(0) | pfsidBits);
        Assert.Equal(InvDescDeviceIotlbRsvdHi, DeviceTlbInvalidate.Layout.MustBeZeroMask(1));
        var withPfsid = d.WithPfsid(0x8001);
        Assert.NotEqual(0UL, withPfsid.GetWord(0) & InvDescDeviceIotlbRsvdLo);
        Assert.False(withPfsid.Validate().IsValid);
    }

    [Fact]
    public void InterruptEntryCacheInvalidateAsVtdProcessInvIecDescReadsIt()
    {
        var d = InterruptEntryCacheInvalidate.Create().WithG(InterruptEntryCacheGranularity.IndexSelective).WithIm(0x1F).WithIidx(0xFFFF);
        var lo = d.GetWord(0);
        Assert.Equal(0x4UL, InvDescType(lo));
        Assert.Equal(1UL, InvDescIecGranularity(lo));
        Assert.Equal(0x1FUL, InvDescIecIndexMask(lo));
        Assert.Equal(0xFFFFUL, InvDescIecIndex(lo));
        Assert.Equal(0UL, lo & InvDescIecRsvd);
        Assert.Equal(InvDescIecRsvd, InterruptEntryCacheInvalidate.Layout.MustBeZeroMask(0));
        Assert.Equal(InvDescAllOne, InterruptEntryCacheInvalidate.Layout.MustBeZeroMask(1));
    }

    [Fact]
    public void InvalidationWaitAsVtdProcessWaitDescReadsIt()
    {
        var d = InvalidationWait.Create().WithSw(true).WithFn(true).WithStatusData(0x8000_0001).WithStatusAddress(0x8000_0000_0000_0004);
        ulong lo = d.GetWord(0), hi = d.GetWord(1);
        Assert.Equal(0x5UL, InvDescType(lo));
        Assert.NotEqual(0UL, lo & InvDescWaitSw);
        Assert.NotEqual(0UL, lo & InvDescWaitFn);
        Assert.Equal(0UL, lo & InvDescWaitIf);
        Assert.Equal(0x8000_0001UL, (uint)(lo >> InvDescWaitDataShift));
        Assert.Equal(0x8000_0000_0000_0004UL, hi); // QEMU uses the whole hi word as the status address
        Assert.Equal(0UL, lo & InvDescWaitRsvdLo);
        Assert.Equal(0UL, hi & InvDescWaitRsvdHi);
        Assert.True(d.Validate().IsValid);

        // QEMU's mask also covers PD (bit 7); we model PD as a field with the PageRequestDrainRequiresPds rule.
        Assert.Equal(InvDescWaitRsvdLo, InvalidationWait.Layout.MustBeZeroMask(0) | 1UL << 7);
        Assert.Equal(InvDescWaitRsvdHi, InvalidationWait.Layout.MustBeZeroMask(1));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => d.WithStatusAddress(0x1002)); // not DWORD aligned
    }

    [Fact]
    public void PasidIotlbInvalidateAsVtdProcessPiotlbDescReadsIt()
    {
        var d = PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PageSelectiveWithinPasid).WithDid(0x8000).WithPasid(0xF_FFFF)
            .WithAm(0x3F).WithIh(true).WithAddr(0x8000_0000_0000_0000);
        ulong lo = d.GetWord(0), hi = d.GetWord(1);
        Assert.Equal(0x6UL, InvDescType(lo));
        Assert.Equal(3UL << 4, InvDescPiotlbG(lo));
        Assert.Equal(0x8000UL, InvDescPiotlbDid(lo));
        Assert.Equal(0xF_FFFFUL, InvDescPiotlbPasid(lo));
        Assert.Equal(0x3FUL, InvDescPiotlbAm(hi));
        Assert.Equal(1UL, InvDescPiotlbIh(hi));
        Assert.Equal(0x8000_0000_0000_0000UL, InvDescPiotlbAddr(hi) & ~0x7FUL);
        Assert.Equal(InvDescPiotlbRsvdVal0, PasidIotlbInvalidate256.Layout.MustBeZeroMask(0));
        Assert.Equal(InvDescPiotlbRsvdVal1, PasidIotlbInvalidate256.Layout.MustBeZeroMask(1));
        Assert.Equal(InvDescAllOne, PasidIotlbInvalidate256.Layout.MustBeZeroMask(2));
        Assert.Equal(InvDescAllOne, PasidIotlbInvalidate256.Layout.MustBeZeroMask(3));
    }

    [Fact]
    public void PasidCacheInvalidateAsVtdProcessPasidDescReadsIt()
    {
        var d = PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.Global).WithDid(0x8000).WithPasid(0x8_0000);
        var lo = d.GetWord(0);
        Assert.Equal(0x7UL, InvDescType(lo));
        Assert.Equal(3UL, InvDescPasidcG(lo));
        Assert.Equal(0x8000UL, InvDescPasidcDid(lo));
        Assert.Equal(0x8_0000UL, InvDescPasidcPasid(lo));
        Assert.Equal(InvDescPasidcRsvdVal0, PasidCacheInvalidate256.Layout.MustBeZeroMask(0));
        Assert.Equal(InvDescAllOne, PasidCacheInvalidate256.Layout.MustBeZeroMask(1));

        // G = 2 is reserved: QEMU's series raises IQE; our strict enum reports it.
        var reserved = PasidCacheInvalidate256.FromWords([lo & ~(3UL << 4) | 2UL << 4, 0, 0, 0]);
        Assert.False(reserved.Validate().IsValid);
        Assert.Equal(1, reserved.Validate().Count);
    }

    [Fact]
    public void PasidDeviceTlbInvalidateAsVtdProcessDevicePiotlbDescReadsIt()
    {
        var d = PasidDeviceTlbInvalidate256.Create().WithSid(0x8001).WithPasid(0x8_0001).WithG(true).WithAtsRange(0x4000_0000, 18);
        ulong lo = d.GetWord(0), hi = d.GetWord(1);
        Assert.Equal(0x8UL, InvDescType(lo));
        Assert.Equal(0x8001UL, InvDescPasidDeviceIotlbSid(lo));
        Assert.Equal(0x8_0001UL, InvDescPasidDeviceIotlbPasid(lo));
        Assert.Equal(1UL, InvDescPasidDeviceIotlbGlobal(hi));
        Assert.Equal(1UL, InvDescPasidDeviceIotlbSize(hi));
        Assert.Equal(0x4000_0000UL | 0x1FFF_F000UL, InvDescPasidDeviceIotlbAddr(hi));
        Assert.Equal(0UL, lo & InvDescPasidDeviceIotlbRsvdVal0);
        Assert.Equal(0UL, hi & InvDescPasidDeviceIotlbRsvdVal1);
        Assert.Equal(new InvalidationRange(0x4000_0000, 0x7FFF_FFFF), d.CoveredRange); // 2^18 pages = 1 GiB
        Assert.Equal(InvDescPasidDeviceIotlbRsvdVal1, PasidDeviceTlbInvalidate256.Layout.MustBeZeroMask(1));
        Assert.Equal(InvDescPasidDeviceIotlbRsvdVal0, PasidDeviceTlbInvalidate256.Layout.MustBeZeroMask(0) | 0xFFF0_0000_0000_F000UL);
    }

    [Fact]
    public void PageGroupResponseAsVtdProcessPageGroupResponseDescReadsIt()
    {
        var d = PageGroupResponse256.Create().WithPp(true).WithRc(PageResponseCode.ResponseFailure).WithRid(0xFFFF).WithPasid(0xF_FFFF).WithPrgi(0x1FF);
        ulong lo = d.GetWord(0), hi = d.GetWord(1);
        Assert.Equal(0x9UL, InvDescType(lo));
        Assert.Equal(1UL, InvDescPgrespPp(lo));
        Assert.Equal(0xFUL, InvDescPgrespRc(lo));
        Assert.Equal(0xFFFFUL, InvDescPgrespRid(lo));
        Assert.Equal(0xF_FFFFUL, InvDescPgrespPasid(lo));
        Assert.Equal(0x1FFUL, InvDescPgrespPrgi(hi));
        Assert.Equal(0UL, lo & InvDescPgrespRsvdLo);
        Assert.Equal(0UL, hi & InvDescPgrespRsvdHi);
        Assert.Equal(InvDescPgrespRsvdLo, PageGroupResponse256.Layout.MustBeZeroMask(0));
        Assert.Equal(InvDescPgrespRsvdHi, PageGroupResponse256.Layout.MustBeZeroMask(1));
        Assert.Equal(0UL, PageGroupResponse256.Layout.MustBeZeroMask(2)); // QEMU does not check qw2/qw3
    }
}
