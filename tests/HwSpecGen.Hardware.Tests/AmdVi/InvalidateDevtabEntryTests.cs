using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>INVALIDATE_DEVTAB_ENTRY (0x2) against Linux build_inv_dte and QEMU amdvi_inval_devtab_entry.</summary>
public sealed class InvalidateDevtabEntryTests
{
    // Linux build_inv_dte(cmd, devid): data[0] = devid; CMD_SET_TYPE(cmd, CMD_INV_DEV_ENTRY) -> data[1] = 2 << 28.
    [Theory]
    [InlineData(0x8001u, 0x00008001u)]
    [InlineData(0xFFFFu, 0x0000FFFFu)]
    public void LinuxBuildInvDteVectorsDecode(uint devid, uint data0)
    {
        var bytes = FromDwords(data0, 0x20000000, 0, 0);
        Assert.True(InvalidateDevtabEntry.TryDecode(bytes, out var cmd, out _));
        Assert.Equal((ulong)devid, cmd.DeviceId);
        Assert.True(cmd.Validate().IsValid);
        Assert.Equal(bytes, InvalidateDevtabEntry.Create().WithDeviceId(devid).ToBytes());
    }

    [Fact]
    public void QemuAmdviInvalDevtabEntryReadsOurEncoding()
    {
        var bytes = InvalidateDevtabEntry.Create().WithDeviceId(0x8001).ToBytes();
        var cmd0 = Qword(bytes, 0);
        var cmd1 = Qword(bytes, 1);
        Assert.Equal(0x2UL, Extract64(cmd0, 60, 4));
        Assert.Equal(0x8001UL, Extract64(cmd0, 0, 16));
        Assert.False(Extract64(cmd0, 16, 44) != 0 || cmd1 != 0); // the reserved check passes, the command runs
    }

    [Fact]
    public void ReservedBitsMatchQemuCheck()
    {
        // QEMU drops the command when extract64(cmd[0], 16, 44) || cmd[1].
        ulong[] words = [0x2UL << 60 | 1UL << 16 | 1UL << 59 | 0x1234, 1UL << 63];
        var v = InvalidateDevtabEntry.FromWords(words).Validate();
        Assert.Equal(Extract64(words[0], 16, 44) << 16, v.ReservedBitsSet(0));
        Assert.Equal(words[1], v.ReservedBitsSet(1));
        Assert.Equal(3, v.Count);
    }
}
