using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>INVALIDATE_INTERRUPT_TABLE (0x5) against Linux build_inv_irt and QEMU amdvi_inval_inttable.</summary>
public sealed class InvalidateInterruptTableTests
{
    // Linux build_inv_irt(cmd, devid): data[0] = devid; CMD_SET_TYPE(cmd, CMD_INV_IRT) -> data[1] = 5 << 28.
    [Theory]
    [InlineData(0x8000u)]
    [InlineData(0xFFFFu)]
    public void LinuxBuildInvIrtVectorsDecode(uint devid)
    {
        var bytes = FromDwords(devid, 0x50000000, 0, 0);
        Assert.True(InvalidateInterruptTable.TryDecode(bytes, out var cmd, out _));
        Assert.Equal((ulong)devid, cmd.DeviceId);
        Assert.Equal(0x5UL, cmd.Opcode);
        Assert.True(cmd.Validate().IsValid);
        Assert.Equal(bytes, InvalidateInterruptTable.Create().WithDeviceId(devid).ToBytes());
    }

    [Fact]
    public void QemuAmdviInvalInttableReservedCheckMatchesValidate()
    {
        var good = InvalidateInterruptTable.Create().WithDeviceId(0xFFFF).ToBytes();
        Assert.Equal(0x5UL, Extract64(Qword(good, 0), 60, 4));
        Assert.Equal(0UL, Extract64(Qword(good, 0), 16, 44) | Qword(good, 1));

        ulong[] bad = [0x5UL << 60 | 0xFFFUL << 40, 0x8000_0000_0000_0001];
        var v = InvalidateInterruptTable.FromWords(bad).Validate();
        Assert.Equal(Extract64(bad[0], 16, 44) << 16, v.ReservedBitsSet(0));
        Assert.Equal(bad[1], v.ReservedBitsSet(1));
    }
}
