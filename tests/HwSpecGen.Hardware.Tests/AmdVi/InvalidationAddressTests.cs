using System;
using System.Numerics;
using CsCheck;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>
/// The range helpers: encoding follows Linux build_inv_address(address, last) (iommu.c), decoding follows QEMU
/// amdvi_decode_invalidation_size + amdvi_sync_domain (amd_iommu.c).
/// </summary>
public sealed class InvalidationAddressTests
{
    // Each row was worked by hand through build_inv_address: address &= GENMASK(63, 12); k = fls64(address ^ last);
    // k <= 12 -> one page; k > 52 -> CMD_INV_IOMMU_ALL_PAGES_ADDRESS | S; else address |= GENMASK(k - 2, 12) (k > 13) | S.
    [Theory]
    [InlineData(0x1000UL, 0x1FFFUL, 0x1000UL, false)]                                       // k = 12
    [InlineData(0x1234UL, 0x1FFFUL, 0x1000UL, false)]                                       // bits 11:0 dropped
    [InlineData(0x2000UL, 0x3FFFUL, 0x2000UL, true)]                                        // k = 13: 8 KiB, no ones
    [InlineData(0x1000UL, 0x2FFFUL, 0x1000UL, true)]                                        // k = 14: bit 12 already set
    [InlineData(0x20_0000UL, 0x3F_FFFFUL, 0x2F_F000UL, true)]                               // 2 MiB: GENMASK(19, 12)
    [InlineData(0x7FFF_FFFF_F000UL, 0x8000_0000_0FFFUL, 0x7FFF_FFFF_F000UL, true)]          // k = 48
    [InlineData(0UL, 0x000F_FFFF_FFFF_FFFFUL, 0x0007_FFFF_FFFF_F000UL, true)]               // k = 52: GENMASK(50, 12)
    [InlineData(0UL, 0x0010_0000_0000_0000UL, InvalidationAddress.AllPagesAddress, true)]   // k = 53: all pages
    [InlineData(0UL, ulong.MaxValue, InvalidationAddress.AllPagesAddress, true)]            // amd_iommu_domain_flush_all
    public void EncodeMatchesLinuxBuildInvAddress(ulong address, ulong last, ulong expectedAddress, bool expectedS)
    {
        var (encoded, s) = InvalidationAddress.Encode(address, last);
        Assert.Equal(expectedAddress, encoded);
        Assert.Equal(expectedS, s);
    }

    // QEMU amdvi_decode_invalidation_size: S = 0 -> 4 KiB; S = 1 -> fzbit = cto64(addr | 0xFFF); fzbit >= 51 -> all pages,
    // else 2^(fzbit + 1) bytes; amdvi_sync_domain aligns the start down to the size.
    [Theory]
    [InlineData(0x1000UL, false, 0x1000UL, 0x1FFFUL)]
    [InlineData(0x2000UL, true, 0x2000UL, 0x3FFFUL)]                               // fzbit 12 -> 8 KiB
    [InlineData(0x2F_F000UL, true, 0x20_0000UL, 0x3F_FFFFUL)]                      // fzbit 20 -> 2 MiB
    [InlineData(0x0003_FFFF_FFFF_F000UL, true, 0UL, 0x0007_FFFF_FFFF_FFFFUL)]      // fzbit 50 -> 2^51 bytes
    [InlineData(0x0007_FFFF_FFFF_F000UL, true, 0UL, ulong.MaxValue)]               // fzbit 51 -> whole space
    [InlineData(InvalidationAddress.AllPagesAddress, true, 0UL, ulong.MaxValue)]    // Linux's sentinel
    [InlineData(0xFFFF_FFFF_FFFF_F000UL, true, 0UL, ulong.MaxValue)]               // cto64 = 64
    public void DecodeMatchesQemuAmdviDecodeInvalidationSize(ulong address, bool s, ulong first, ulong last)
    {
        Assert.Equal(new InvalidationRange(first, last), InvalidationAddress.Decode(address, s));
    }

    [Fact]
    public void LastBelowAddressIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InvalidationAddress.Encode(0x2000, 0x1FFF));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InvalidationRange(2, 1));
    }

    // Ranges of every scale: an address and a length drawn from [0, 2^k).
    private static readonly Gen<(ulong Address, ulong Last)> Ranges =
        Gen.Select(Gen.ULong, Gen.Int[0, 64], Gen.ULong).Select(t =>
        {
            var (address, k, r) = t;
            var length = k == 64 ? r : r & ((1UL << k) - 1);
            var last = length > ulong.MaxValue - address ? ulong.MaxValue : address + length;
            return (address, last);
        });

    [Fact]
    public void QemuDecodeOfLinuxEncodingCoversTheRangeWithTheSmallestAlignedBlock()
    {
        Ranges.Sample((address, last) =>
        {
            var page = address & ~0xFFFUL;
            var k = 64 - BitOperations.LeadingZeroCount(page ^ last);
            var command = InvalidateIommuPages.FromRange(address, last, 0x1234);
            var covered = InvalidateIommuPages.Read(command.ToBytes()).CoveredRange;

            Assert.True(covered.Contains(new InvalidationRange(page, last)));
            Assert.True(command.Validate().IsValid);
            if (k >= 52)
            {
                Assert.True(covered.IsWholeAddressSpace); // QEMU: first zero bit at 51 or above
                return;
            }

            var size = covered.Size!.Value;
            Assert.True(BitOperations.IsPow2(size));
            Assert.Equal(0UL, covered.Address & (size - 1));
            Assert.Equal(Math.Max(k, 12), BitOperations.Log2(size)); // smallest naturally aligned block
        });
    }

    [Fact]
    public void IotlbCommandCoversTheSameRangeAsIommuPagesCommand()
    {
        Ranges.Sample((address, last) =>
        {
            var iommu = InvalidateIommuPages.FromRange(address, last, 1);
            var iotlb = InvalidateIotlbPages.FromRange(address, last, 0x0100, 32);
            Assert.Equal(iommu.Address, iotlb.Address);
            Assert.Equal(iommu.S, iotlb.S);
            Assert.Equal(iommu.CoveredRange, iotlb.CoveredRange);
            Assert.True(iotlb.Validate().IsValid);
        });
    }

    [Fact]
    public void AnyCommandCoversItsOwnPage()
    {
        Gen.Select(Gen.ULong, Gen.Bool).Sample((raw, s) =>
        {
            var address = raw & ~0xFFFUL;
            var covered = InvalidateIommuPages.Create().WithAddress(address).WithS(s).CoveredRange;
            Assert.True(covered.Contains(address));
            Assert.True(covered.Contains(address | 0xFFF));
            Assert.Equal(s ? covered : new InvalidationRange(address, address | 0xFFF), covered);
        });
    }
}
