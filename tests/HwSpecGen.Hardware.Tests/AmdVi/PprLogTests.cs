using HwSpecGen.Hardware.AmdVi;
using HwSpecGen.Runtime;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>PPR and GA log entries against Linux's PPR_* / GA_* macros (amd_iommu_types.h) and ppr.c.</summary>
public sealed class PprLogTests
{
    // raw[0] built as the IOMMU writes it, per Linux's decoders:
    //   PPR_REQ_TYPE = 63:60, PPR_FLAGS = 59:48, PPR_PASID2 = 45:42, PPR_TAG = 41:32, PPR_PASID1 = 31:16, PPR_DEVID = 15:0.
    [Theory]
    //          devid    pasid       tag     flags    address
    [InlineData(0x8001UL, 0x8_0000UL, 0x200UL, 0x924UL, 0x8000_0000_0000_0000UL)] // GN | WRITE | READ | bit 11
    [InlineData(0xFFFFUL, 0xF_FFFFUL, 0x3FFUL, 0x9E6UL, 0xFFFF_FFFF_FFFF_F000UL)] // GN | RVSD | US | WRITE | READ | EXEC | bit 11
    public void LinuxPprMacrosReadOurEntry(ulong devid, ulong pasid, ulong tag, ulong flags, ulong address)
    {
        var raw0 = 0x1UL << 60 | flags << 48 | (pasid >> 16) << 42 | tag << 32 | (pasid & 0xFFFF) << 16 | devid;
        var bytes = FromQwords(raw0, address);

        Assert.True(PprLogEntry.TryDecode(bytes, out var entry, out _));
        Assert.Equal((devid, pasid, tag, flags, address), (entry.DeviceId, entry.Pasid, entry.Tag, entry.Flags, entry.Address));
        Assert.Equal(1UL, entry.RequestType); // PPR_REQ_FAULT

        var ours = PprLogEntry.Create().WithDeviceId(devid).WithPasid(pasid).WithTag(tag).WithFlags(flags).WithAddress(address).ToBytes();
        var q0 = Qword(ours, 0);
        Assert.Equal(raw0, q0);
        Assert.Equal(0x1UL, (q0 >> 60) & 0xF);                                 // PPR_REQ_TYPE
        Assert.Equal(flags, (q0 >> 48) & 0xFFF);                               // PPR_FLAGS
        Assert.Equal(devid, q0 & 0xFFFF);                                      // PPR_DEVID
        Assert.Equal(tag, (q0 >> 32) & 0x3FF);                                 // PPR_TAG
        Assert.Equal(pasid, (((q0 >> 42) & 0xF) << 16) | ((q0 >> 16) & 0xFFFF)); // PPR_PASID
        Assert.Equal(address & ~0xFFFUL, Qword(ours, 1) & ~0xFFFUL);           // prm.addr = raw[1] & PAGE_MASK
    }

    [Fact]
    public void PprValidityAsPprIsValidSeesIt()
    {
        // ppr_is_valid: reject when !(flags & PPR_FLAG_GN) or (flags & PPR_FLAG_RVSD).
        var ok = PprLogEntry.Create().WithFlags(0x100 | 0x004);
        Assert.NotEqual(0UL, ok.Flags & 0x100);
        Assert.Equal(0UL, ok.Flags & 0x080);
        Assert.Equal(0x1UL << 56 | 0x1UL << 50 | 0x1UL << 60, ok.GetWord(0));
    }

    [Fact]
    public void EntryNotYetWrittenFailsTheTypeCheck()
    {
        // amd_iommu_poll_ppr_log waits while PPR_REQ_TYPE(raw[0]) == 0.
        Assert.False(PprLogEntry.TryDecode(new byte[16], out _, out var error));
        Assert.Equal(DecodeError.ConstantMismatch, error);
    }

    [Theory]
    // GA_TAG = 31:0, GA_DEVID = 47:32, GA_REQ_TYPE = 63:60 (GA_GUEST_NR = 1)
    [InlineData(0x8000_0001UL, 0x8001UL)]
    [InlineData(0xFFFF_FFFFUL, 0xFFFFUL)]
    public void LinuxGaMacrosReadOurGaLogEntry(ulong tag, ulong devid)
    {
        var raw = 0x1UL << 60 | devid << 32 | tag;
        Assert.True(GaLogEntry.TryDecode(FromQwords(raw), out var entry, out _));
        Assert.Equal((tag, devid, 1UL), (entry.GaTag, entry.DeviceId, entry.RequestType));
        var ours = GaLogEntry.Create().WithGaTag(tag).WithDeviceId(devid).GetWord(0);
        Assert.Equal(raw, ours);
        Assert.Equal((uint)tag, (uint)(ours & 0xFFFF_FFFF));   // GA_TAG
        Assert.Equal((ushort)devid, (ushort)((ours >> 32) & 0xFFFF)); // GA_DEVID
        Assert.Equal(1UL, (ours >> 60) & 0xF);                 // GA_REQ_TYPE == GA_GUEST_NR
    }
}
