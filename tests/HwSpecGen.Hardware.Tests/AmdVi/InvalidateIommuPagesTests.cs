using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>INVALIDATE_IOMMU_PAGES (0x3) against Linux build_inv_iommu_pages and QEMU amdvi_inval_pages.</summary>
public sealed class InvalidateIommuPagesTests
{
    // Linux build_inv_iommu_pages(cmd, address = 0x8000_0000_0000_0000, last = 0x8000_0000_0000_0FFF, domid = 0x8000,
    // pasid = 0x80000, flags = GN | PDE):
    //   build_inv_address: fls64(address ^ last) = 12 -> one page, inv_address = 0x8000_0000_0000_0000 (S = 0)
    //   data[1] |= domid | 3 << 28 = 0x30008000; data[2] = 0 | flags = 0x6; data[3] = 0x80000000; data[0] |= pasid (GN set)
    private static readonly byte[] LinuxVector1 = FromDwords(0x00080000, 0x30008000, 0x00000006, 0x80000000);

    // build_inv_iommu_pages(cmd, 0x8000_0000_0020_0000, 0x8000_0000_003F_FFFF, domid = 0xFFFF, pasid = 0x12345, flags = PDE):
    //   fls64(0x1F_FFFF) = 21 -> address |= GENMASK(19, 12) -> 0x8000_0000_002F_F000 | S
    //   data[0] = 0 (GN clear: PASID not written); data[1] = 0x3000FFFF; data[2] = 0x002FF000 | S | PDE = 0x002FF003
    private static readonly byte[] LinuxVector2 = FromDwords(0x00000000, 0x3000FFFF, 0x002FF003, 0x80000000);

    [Fact]
    public void LinuxVector1SinglePageWithPasid()
    {
        Assert.True(InvalidateIommuPages.TryDecode(LinuxVector1, out var cmd, out _));
        Assert.Equal(0x80000UL, cmd.Pasid);
        Assert.Equal(0x8000UL, cmd.DomainId);
        Assert.False(cmd.S);
        Assert.True(cmd.Pde);
        Assert.True(cmd.Gn);
        Assert.Equal(0x8000_0000_0000_0000UL, cmd.Address);
        Assert.True(cmd.Validate().IsValid);
        Assert.Equal(new InvalidationRange(0x8000_0000_0000_0000, 0x8000_0000_0000_0FFF), cmd.CoveredRange);
    }

    [Fact]
    public void LinuxVector2TwoMegabyteBlock()
    {
        Assert.True(InvalidateIommuPages.TryDecode(LinuxVector2, out var cmd, out _));
        Assert.Equal(0UL, cmd.Pasid);
        Assert.Equal(0xFFFFUL, cmd.DomainId);
        Assert.True(cmd.S);
        Assert.True(cmd.Pde);
        Assert.False(cmd.Gn);
        Assert.Equal(0x8000_0000_002F_F000UL, cmd.Address);
        Assert.True(cmd.Validate().IsValid);
        Assert.Equal(new InvalidationRange(0x8000_0000_0020_0000, 0x8000_0000_003F_FFFF), cmd.CoveredRange);
    }

    [Fact]
    public void LinuxVector3PasidFlushOfAnEightKilobyteBlock()
    {
        // amd_iommu_dev_flush_pasid_pages(dev_data, pasid = 0xFFFFF, 0xFFFF_FFFF_FFFF_E000, U64_MAX) with gcr3_info.domid = 0x8001:
        //   build_inv_iommu_pages(..., flags = GN | PDE): fls64(0x1FFF) = 13 -> S, no ones to add
        //   data[0] = pasid = 0x000FFFFF; data[1] = 0x30008001; data[2] = 0xFFFFE000 | S | PDE | GN = 0xFFFFE007; data[3] = 0xFFFFFFFF
        var linux = FromDwords(0x000FFFFF, 0x30008001, 0xFFFFE007, 0xFFFFFFFF);
        Assert.True(InvalidateIommuPages.TryDecode(linux, out var cmd, out _));
        Assert.Equal((0xF_FFFFUL, 0x8001UL, true, true, true, 0xFFFF_FFFF_FFFF_E000UL), (cmd.Pasid, cmd.DomainId, cmd.S, cmd.Pde, cmd.Gn, cmd.Address));
        Assert.Equal(new InvalidationRange(0xFFFF_FFFF_FFFF_E000, ulong.MaxValue), cmd.CoveredRange);
        Assert.Equal(linux, InvalidateIommuPages.FromRange(0xFFFF_FFFF_FFFF_E000, ulong.MaxValue, 0x8001, pde: true, gn: true, pasid: 0xF_FFFF).ToBytes());
    }

    [Fact]
    public void FromRangeReproducesLinuxBuildInvIommuPages()
    {
        var v1 = InvalidateIommuPages.FromRange(0x8000_0000_0000_0000, 0x8000_0000_0000_0FFF, 0x8000, pde: true, gn: true, pasid: 0x80000);
        var v2 = InvalidateIommuPages.FromRange(0x8000_0000_0020_0000, 0x8000_0000_003F_FFFF, 0xFFFF, pde: true, gn: false, pasid: 0x12345);
        Assert.Equal(LinuxVector1, v1.ToBytes());
        Assert.Equal(LinuxVector2, v2.ToBytes());
    }

    [Fact]
    public void QemuAmdviInvalPagesReadsOurEncoding()
    {
        var bytes = InvalidateIommuPages.FromRange(0xFFFF_FFFF_FFE0_0000, 0xFFFF_FFFF_FFFF_FFFF, 0x8001, pde: true).ToBytes();
        var cmd0 = Qword(bytes, 0);
        var cmd1 = Qword(bytes, 1);

        var domid = Extract64(cmd0, 32, 16);
        var addr = Extract64(cmd1, 12, 52) << 12;
        var flags = Extract64(cmd1, 0, 3);
        var illegal = Extract64(cmd0, 20, 12) != 0 || Extract64(cmd0, 48, 12) != 0 || Extract64(cmd1, 3, 9) != 0;

        Assert.Equal(0x3UL, Extract64(cmd0, 60, 4));
        Assert.Equal(0x8001UL, domid);
        Assert.Equal(0xFFFF_FFFF_FFEF_F000UL, addr);
        Assert.Equal(0b011UL, flags); // S | PDE
        Assert.False(illegal);

        // amdvi_decode_invalidation_size: fzbit = cto64(addr | 0xFFF) = 20 -> size 2 MiB; amdvi_sync_domain: addr &= ~(size - 1).
        var fzbit = System.Numerics.BitOperations.TrailingZeroCount(~(addr | 0xFFF));
        var size = 1UL << (fzbit + 1);
        Assert.Equal(20, fzbit);
        Assert.Equal(new InvalidationRange(addr & ~(size - 1), (addr & ~(size - 1)) + size - 1), InvalidateIommuPages.Read(bytes).CoveredRange);
    }

    [Fact]
    public void LinuxFullFlushWithUnmaskedSentinelSetsReservedBitsQemuRejects()
    {
        // build_inv_iommu_pages(cmd, 0, U64_MAX, domid = 0x1234, IOMMU_NO_PASID, PDE) in the newest iommu.c returns
        // CMD_INV_IOMMU_ALL_PAGES_ADDRESS | S unmasked; with the header value read (0x7FFF_FFFF_FFFF_FFFF) data[2] = 0xFFFFFFFF.
        var linux = FromDwords(0x00000000, 0x30001234, 0xFFFFFFFF, 0x7FFFFFFF);
        var cmd = InvalidateIommuPages.Read(linux);
        Assert.Equal(0x1FFUL << 3, cmd.Validate().ReservedBitsSet(1));           // bits 75:67 flagged ...
        Assert.NotEqual(0UL, Extract64(Qword(linux, 1), 3, 9));                  // ... exactly what QEMU checks
        Assert.True(cmd.CoveredRange.IsWholeAddressSpace);

        // Our FromRange keeps the sentinel's address bits but never spills into 75:64.
        var ours = InvalidateIommuPages.FromRange(0, ulong.MaxValue, 0x1234, pde: true);
        Assert.Equal(InvalidationAddress.AllPagesAddress, ours.Address);
        Assert.True(ours.S);
        Assert.True(ours.Pde);
        Assert.False(ours.Gn);
        Assert.True(ours.Validate().IsValid);
        Assert.Equal(FromDwords(0x00000000, 0x30001234, 0xFFFFF003, 0x7FFFFFFF), ours.ToBytes());
        Assert.True(ours.CoveredRange.IsWholeAddressSpace);
    }

    [Fact]
    public void ReservedBitsMatchQemuCheck()
    {
        ulong[] words = [0x3UL << 60 | 1UL << 20 | 1UL << 31 | 1UL << 48 | 1UL << 59, 1UL << 3 | 1UL << 11];
        var v = InvalidateIommuPages.FromWords(words).Validate();
        Assert.Equal(1UL << 20 | 1UL << 31 | 1UL << 48 | 1UL << 59, v.ReservedBitsSet(0));
        Assert.Equal(1UL << 3 | 1UL << 11, v.ReservedBitsSet(1));
    }
}
