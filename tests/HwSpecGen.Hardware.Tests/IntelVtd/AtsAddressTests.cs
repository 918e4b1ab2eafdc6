using System;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>The ATS address/size encoding helper against Linux's encoders and QEMU's decoder.</summary>
public sealed class AtsAddressTests
{
    [Theory]
    [InlineData(0x8000_0000_0000_0000UL, 3, 0x8000_0000_0000_3000UL)] // qi_desc_dev_iotlb_pasid, size_order 3
    [InlineData(0x8000_0000_0000_0000UL, 4, 0x8000_0000_0000_7000UL)] // qi_desc_dev_iotlb, mask 4
    [InlineData(0UL, 52, 0x7FFF_FFFF_FFFF_F000UL)]                  // MAX_AGAW_PFN_WIDTH
    [InlineData(0x20_0000UL, 1, 0x20_0000UL)]                       // 2 pages: bit 12 is the zero bit
    public void EncodeMatchesLinux(ulong address, int sizeOrder, ulong expected)
    {
        var (encoded, s) = AtsAddress.Encode(address, sizeOrder);
        Assert.Equal(expected, encoded);
        Assert.True(s);
    }

    [Fact]
    public void SinglePageHasNoSizeBit()
    {
        Assert.Equal((0x1234_5000UL, false), AtsAddress.Encode(0x1234_5FFF, 0));
        Assert.Equal(new InvalidationRange(0x1234_5000, 0x1234_5FFF), AtsAddress.Decode(0x1234_5000, false));
    }

    [Fact]
    public void EncodeThenQemuDecodeGivesTheAlignedRange()
    {
        for (var order = 1; order < 52; order++)
        {
            var size = 4096UL << order;
            var address = 0xABCD_0000_0000_0000UL & ~(size - 1);
            var (encoded, s) = AtsAddress.Encode(address, order);
            Assert.Equal(new InvalidationRange(address, address + size - 1), AtsAddress.Decode(encoded, s));
        }

        Assert.True(AtsAddress.Decode(AtsAddress.Encode(0, 52).Address, true).IsAll);
        Assert.True(AtsAddress.Decode(ulong.MaxValue, true).IsAll); // 52 trailing ones
    }

    [Fact]
    public void SizeOrderOutOfRangeThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AtsAddress.Encode(0, 53));
        Assert.Throws<ArgumentOutOfRangeException>(() => AtsAddress.Encode(0, -1));
    }

    [Fact]
    public void IotlbAddressMaskCoversTwoToTheAmPages()
    {
        // QEMU vtd_iotlb_page_invalidate / vtd_piotlb_page_invalidate: gfn mask ~((1 << am) - 1).
        var d = IotlbInvalidate.Create().WithG(IotlbGranularity.PageSelective).WithAm(9).WithAddr(0x4020_0000);
        Assert.Equal(512UL, d.PageCount);
        Assert.Equal(new InvalidationRange(0x4020_0000, 0x403F_FFFF), d.CoveredRange);
        var p = PasidIotlbInvalidate.Create().WithAm(0).WithAddr(0x7000);
        Assert.Equal(new InvalidationRange(0x7000, 0x7FFF), p.CoveredRange);
        Assert.True(PasidIotlbInvalidate256.Create().WithAm(63).CoveredRange.IsAll);
    }
}
