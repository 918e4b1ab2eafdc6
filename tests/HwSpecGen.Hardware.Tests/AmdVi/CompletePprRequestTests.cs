using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>COMPLETE_PPR_REQUEST (0x7) against Linux build_complete_ppr and QEMU amdvi_complete_ppr.</summary>
public sealed class CompletePprRequestTests
{
    // Linux build_complete_ppr(cmd, devid, pasid, status, tag, gn):
    //   data[0] = devid; if (gn) { data[1] = pasid; data[2] = CMD_INV_IOMMU_PAGES_GN_MASK; }
    //   data[3] = tag & 0x1ff; data[3] |= (status & PPR_STATUS_MASK) << PPR_STATUS_SHIFT; CMD_SET_TYPE(7).
    [Theory]
    //          devid     pasid      status tag     gn     data[0]      data[1]      data[2] data[3]
    [InlineData(0x8001u, 0x80000u, 0xFu, 0x1FFu, true, 0x00008001u, 0x70080000u, 4u, 0x0000F1FFu)]
    [InlineData(0xFFFFu, 0xFFFFFu, 0x8u, 0x12Au, true, 0x0000FFFFu, 0x700FFFFFu, 4u, 0x0000812Au)]
    [InlineData(0x0010u, 0x01234u, 0x1u, 0x3FFu, false, 0x00000010u, 0x70000000u, 0u, 0x000011FFu)]
    public void LinuxBuildCompletePprVectorsDecode(uint devid, uint pasid, uint status, uint tag, bool gn, uint d0, uint d1, uint d2, uint d3)
    {
        var bytes = FromDwords(d0, d1, d2, d3);
        Assert.True(CompletePprRequest.TryDecode(bytes, out var cmd, out _));
        Assert.Equal((ulong)devid, cmd.DeviceId);
        Assert.Equal(gn ? pasid : 0UL, cmd.Pasid);
        Assert.Equal(gn, cmd.Gn);
        Assert.Equal((ulong)(tag & 0x1FF), cmd.Tag); // Linux keeps 9 tag bits
        Assert.Equal((ulong)status, cmd.Status);
        Assert.True(cmd.Validate().IsValid);

        var built = CompletePprRequest.Create().WithDeviceId(devid).WithGn(gn).WithTag(tag & 0x1FF).WithStatus(status);
        if (gn)
        {
            built = built.WithPasid(pasid);
        }

        Assert.Equal(bytes, built.ToBytes());
    }

    [Fact]
    public void QemuAmdviCompletePprAcceptsOurEncoding()
    {
        var bytes = CompletePprRequest.Create().WithDeviceId(0xFFFF).WithPasid(0xFFFFF).WithGn(true).WithTag(0x1FF).WithStatus(0xF).ToBytes();
        var cmd0 = Qword(bytes, 0);
        var cmd1 = Qword(bytes, 1);
        Assert.Equal(0x7UL, Extract64(cmd0, 60, 4));
        var illegal = Extract64(cmd0, 16, 16) != 0 || Extract64(cmd0, 52, 8) != 0 || Extract64(cmd1, 0, 2) != 0 ||
            Extract64(cmd1, 3, 29) != 0 || Extract64(cmd1, 48, 16) != 0;
        Assert.False(illegal);
        Assert.Equal(0xF1FFUL, Extract64(cmd1, 32, 16)); // tag and status share the third dword
    }

    [Fact]
    public void ReservedBitsMatchQemuCheck()
    {
        ulong[] words = [0x7UL << 60 | 1UL << 16 | 1UL << 52, 1UL << 0 | 1UL << 3 | 1UL << 48 | 0x7UL << 41];
        var v = CompletePprRequest.FromWords(words).Validate();
        Assert.Equal(1UL << 16 | 1UL << 52, v.ReservedBitsSet(0));
        Assert.Equal(1UL << 0 | 1UL << 3 | 1UL << 48, v.ReservedBitsSet(1)); // 107:105 are ignored, not reported
    }
}
