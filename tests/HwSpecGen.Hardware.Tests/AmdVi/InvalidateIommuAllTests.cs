using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>INVALIDATE_IOMMU_ALL (0x8) against Linux build_inv_all and QEMU amdvi_inval_all.</summary>
public sealed class InvalidateIommuAllTests
{
    // Linux build_inv_all(cmd): memset 0; CMD_SET_TYPE(cmd, CMD_INV_ALL) -> data[1] = 8 << 28.
    private static readonly byte[] LinuxVector = FromDwords(0, 0x80000000, 0, 0);

    [Fact]
    public void LinuxBuildInvAllDecodesAndIsReproduced()
    {
        Assert.True(InvalidateIommuAll.TryDecode(LinuxVector, out var cmd, out _));
        Assert.Equal(0x8UL, cmd.Opcode);
        Assert.True(cmd.Validate().IsValid);
        Assert.Equal(LinuxVector, InvalidateIommuAll.Create().ToBytes());
        Assert.Equal(0x8UL, InvalidateIommuAll.OpcodeValue);
    }

    [Theory]
    [InlineData(0x0FFF_FFFF_FFFF_FFFFUL, 0UL)]
    [InlineData(0x0800_0000_0000_0000UL, 0xFFFF_FFFF_FFFF_FFFFUL)]
    public void QemuAmdviInvalAllReservedCheckMatchesValidate(ulong low60, ulong word1)
    {
        ulong[] words = [0x8UL << 60 | low60, word1];
        var v = InvalidateIommuAll.FromWords(words).Validate();
        Assert.Equal(Extract64(words[0], 0, 60), v.ReservedBitsSet(0));
        Assert.Equal(words[1], v.ReservedBitsSet(1));
        Assert.True(InvalidateIommuAll.TryDecode(FromQwords(words), out _, out _)); // still decodes: reserved bits do not change the opcode
    }
}
