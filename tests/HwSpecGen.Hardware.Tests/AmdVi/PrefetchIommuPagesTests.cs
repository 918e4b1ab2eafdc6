using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>PREFETCH_IOMMU_PAGES (0x6): Linux never builds it; QEMU amdvi_prefetch_pages only checks reserved bits.</summary>
public sealed class PrefetchIommuPagesTests
{
    // QEMU amdvi_prefetch_pages: ILLEGAL_COMMAND_ERROR when extract64(cmd[0], 16, 8) || extract64(cmd[0], 52, 8) ||
    // extract64(cmd[1], 1, 1) || extract64(cmd[1], 3, 1) || extract64(cmd[1], 5, 7).
    private static bool QemuFlagsIllegal(ulong cmd0, ulong cmd1) =>
        Extract64(cmd0, 16, 8) != 0 || Extract64(cmd0, 52, 8) != 0 ||
        Extract64(cmd1, 1, 1) != 0 || Extract64(cmd1, 3, 1) != 0 || Extract64(cmd1, 5, 7) != 0;

    [Theory]
    [InlineData(0x8000UL, 0x80UL, 0x8_0000UL, 0x8000_0000_0000_0000UL)]
    [InlineData(0xFFFFUL, 0xFFUL, 0xF_FFFFUL, 0xFFFF_FFFF_FFFF_F000UL)]
    public void EveryFieldLandsOnBitsQemuLeavesUnchecked(ulong devid, ulong pfCount, ulong pasid, ulong address)
    {
        var cmd = PrefetchIommuPages.Create().WithDeviceId(devid).WithPfCount(pfCount).WithPasid(pasid)
            .WithS(true).WithGn(true).WithInval(true).WithAddress(address);
        var bytes = cmd.ToBytes();
        var cmd0 = Qword(bytes, 0);
        var cmd1 = Qword(bytes, 1);

        Assert.Equal(0x6UL, Extract64(cmd0, 60, 4));
        Assert.False(QemuFlagsIllegal(cmd0, cmd1));
        Assert.Equal(devid, Extract64(cmd0, 0, 16));
        Assert.Equal(pfCount, Extract64(cmd0, 24, 8));
        Assert.Equal(pasid, Extract64(cmd0, 32, 20));
        Assert.Equal(0b10101UL, Extract64(cmd1, 0, 5)); // S (64), GN (66), Inval (68)
        Assert.Equal(address, Extract64(cmd1, 12, 52) << 12);
        Assert.True(cmd.Validate().IsValid);
        Assert.True(PrefetchIommuPages.TryDecode(bytes, out var back, out _));
        Assert.Equal(cmd, back);
    }

    [Fact]
    public void EachReservedBitTripsBothQemuAndValidate()
    {
        int[] reservedBits = [16, 23, 52, 59, 65, 67, 69, 75];
        foreach (var bit in reservedBits)
        {
            ulong[] words = [0x6UL << 60, 0];
            words[bit / 64] |= 1UL << (bit % 64);
            Assert.True(QemuFlagsIllegal(words[0], words[1]));
            var v = PrefetchIommuPages.FromWords(words).Validate();
            Assert.Equal(1, v.Count);
            Assert.Equal(1UL << (bit % 64), v.ReservedBitsSet(bit / 64));
        }
    }
}
