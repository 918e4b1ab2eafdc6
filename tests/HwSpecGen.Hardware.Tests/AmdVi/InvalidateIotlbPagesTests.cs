using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>INVALIDATE_IOTLB_PAGES (0x4) against Linux build_inv_iotlb_pages and QEMU iommu_inval_iotlb.</summary>
public sealed class InvalidateIotlbPagesTests
{
    // Linux build_inv_iotlb_pages(cmd, devid = 0x8010, qdep = 0x1FF, 0x8000_0000_0000_0000, 0x8000_0000_0000_0FFF, pasid = 0x8001, gn):
    //   data[0] = devid | (qdep & 0xff) << 24 | ((pasid >> 8) & 0xff) << 16 = 0x8010 | 0xFF000000 | 0x800000 = 0xFF808010
    //   data[1] = devid | (pasid & 0xff) << 16 | 4 << 28                    = 0x8010 | 0x10000 | 0x40000000 = 0x40018010
    //   data[2] = lower_32_bits(0x8000_0000_0000_0000) | GN = 0x00000004; data[3] = 0x80000000
    private static readonly byte[] LinuxVector1 = FromDwords(0xFF808010, 0x40018010, 0x00000004, 0x80000000);

    // build_inv_iotlb_pages(cmd, devid = 0xFFFF, qdep = 0x80, 0xFFFF_FFFF_C000_0000, U64_MAX, pasid = 0xFFFF, gn):
    //   fls64(0x3FFF_FFFF) = 30 -> address |= GENMASK(28, 12) -> 0xFFFF_FFFF_DFFF_F000 | S
    //   data[0] = 0xFFFF | 0x80 << 24 | 0xFF << 16 = 0x80FFFFFF; data[1] = 0xFFFF | 0xFF << 16 | 0x40000000 = 0x40FFFFFF
    //   data[2] = 0xDFFFF000 | S | GN = 0xDFFFF005; data[3] = 0xFFFFFFFF
    private static readonly byte[] LinuxVector2 = FromDwords(0x80FFFFFF, 0x40FFFFFF, 0xDFFFF005, 0xFFFFFFFF);

    [Fact]
    public void LinuxVector1DecodesWithSplitPasid()
    {
        Assert.True(InvalidateIotlbPages.TryDecode(LinuxVector1, out var cmd, out _));
        Assert.Equal(0x8010UL, cmd.DeviceId);
        Assert.Equal(0x8001UL, cmd.Pasid);   // PASID[7:0] from 55:48, PASID[15:8] from 23:16
        Assert.Equal(0xFFUL, cmd.MaxPend);
        Assert.Equal(0x8010UL, cmd.QueueId); // Linux repeats the DeviceID here
        Assert.False(cmd.S);
        Assert.True(cmd.Gn);
        Assert.Equal(0x8000_0000_0000_0000UL, cmd.Address);
        Assert.True(cmd.Validate().IsValid);
    }

    [Fact]
    public void LinuxVector2DecodesOneGigabyteBlock()
    {
        Assert.True(InvalidateIotlbPages.TryDecode(LinuxVector2, out var cmd, out _));
        Assert.Equal(0xFFFFUL, cmd.DeviceId);
        Assert.Equal(0xFFFFUL, cmd.Pasid);
        Assert.Equal(0x80UL, cmd.MaxPend);
        Assert.Equal(0xFFFFUL, cmd.QueueId);
        Assert.True(cmd.S);
        Assert.True(cmd.Gn);
        Assert.Equal(0xFFFF_FFFF_DFFF_F000UL, cmd.Address);
        Assert.Equal(new InvalidationRange(0xFFFF_FFFF_C000_0000, 0xFFFF_FFFF_FFFF_FFFF), cmd.CoveredRange);
        Assert.True(cmd.Validate().IsValid);
    }

    [Fact]
    public void FromRangeReproducesLinuxBuildInvIotlbPages()
    {
        var v1 = InvalidateIotlbPages.FromRange(0x8000_0000_0000_0000, 0x8000_0000_0000_0FFF, 0x8010, queueDepth: 0x1FF, gn: true, pasid: 0x8001);
        var v2 = InvalidateIotlbPages.FromRange(0xFFFF_FFFF_C000_0000, ulong.MaxValue, 0xFFFF, queueDepth: 0x80, gn: true, pasid: 0xFFFF);
        Assert.Equal(LinuxVector1, v1.ToBytes());
        Assert.Equal(LinuxVector2, v2.ToBytes());
    }

    [Fact]
    public void PasidBytesAreWhereLinuxPutsThem()
    {
        var bytes = InvalidateIotlbPages.Create().WithPasid(0xABCD).ToBytes();
        Assert.Equal(0xABUL, Extract64(Qword(bytes, 0), 16, 8)); // (pasid >> 8) & 0xff -> data[0] bits 23:16
        Assert.Equal(0xCDUL, Extract64(Qword(bytes, 0), 48, 8)); // pasid & 0xff -> data[1] bits 23:16
        Assert.Throws<System.ArgumentOutOfRangeException>(() => InvalidateIotlbPages.Create().WithPasid(0x1_0000));
    }

    [Fact]
    public void QemuIommuInvalIotlbReadsOurEncoding()
    {
        var single = InvalidateIotlbPages.FromRange(0x0000_7FFF_FFFF_F000, 0x0000_7FFF_FFFF_FFFF, 0x0100, 0x20).ToBytes();
        var cmd0 = Qword(single, 0);
        var cmd1 = Qword(single, 1);
        var illegal = Extract64(cmd1, 1, 1) != 0 || Extract64(cmd1, 3, 1) != 0 || Extract64(cmd1, 6, 6) != 0;
        Assert.False(illegal);
        Assert.Equal(0x4UL, Extract64(cmd0, 60, 4));
        Assert.Equal(0x0100UL, Extract64(cmd0, 0, 16));                       // devid
        Assert.Equal(0UL, Extract64(cmd1, 0, 1));                             // S = 0: remove one page ...
        Assert.Equal(0x0000_7FFF_FFFF_F000UL, Extract64(cmd1, 12, 52) << 12); // ... at this address

        var all = InvalidateIotlbPages.FromRange(0, ulong.MaxValue, 0x0100, 0x20).ToBytes();
        Assert.Equal(1UL, Extract64(Qword(all, 1), 0, 1)); // S = 1: QEMU drops every entry of the device
        var allCmd1 = Qword(all, 1);
        Assert.False(Extract64(allCmd1, 1, 1) != 0 || Extract64(allCmd1, 3, 1) != 0 || Extract64(allCmd1, 6, 6) != 0);
    }

    [Fact]
    public void ReservedBitsMatchQemuCheckAndUncheckedBitsAreIgnored()
    {
        ulong[] words = [0x4UL << 60 | 0xFUL << 56, 1UL << 1 | 1UL << 3 | 0x3UL << 4 | 0x3FUL << 6];
        var v = InvalidateIotlbPages.FromWords(words).Validate();
        Assert.Equal(0UL, v.ReservedBitsSet(0));                          // 59:56 not checked by QEMU
        Assert.Equal(1UL << 1 | 1UL << 3 | 0x3FUL << 6, v.ReservedBitsSet(1)); // 69:68 not checked by QEMU
    }
}
