using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>
/// Two vectors per event format with the top bit of every multi-bit field set, laid out as Linux iommu_print_event and
/// its helpers read u32 event[4]: event[0] = DeviceID | PASID[19:16] (EVENT_DOMID_MASK_HI, in place); event[1] =
/// PASID/DomainID[15:0] | flags &lt;&lt; EVENT_FLAGS_SHIFT | type &lt;&lt; EVENT_TYPE_SHIFT; event[3]:event[2] = address.
/// </summary>
public sealed class EventTopBitVectorTests
{
    private static byte[] LinuxEvent(uint code, uint devid, uint pasid, uint flags, ulong address) =>
        FromDwords(devid | (pasid & 0xF0000), (pasid & 0xFFFF) | flags << 16 | code << 28, (uint)address, (uint)(address >> 32));

    [Theory]
    [InlineData(0x8001u, 0x8_0001u, 0x800u, 0x8000_0000_0000_0000UL)]
    [InlineData(0xFFFFu, 0xF_FFFFu, 0xFFFu, 0xFFFF_FFFF_FFFF_FFFFUL)]
    public void DeviceIdPasidFlagsAddressEvents(uint devid, uint pasid, uint flags, ulong address)
    {
        var ill = IllegalDevTableEntryEvent.Read(LinuxEvent(1, devid, pasid, flags, address));
        Assert.Equal(((ulong)devid, (ulong)pasid, (ulong)flags, address), (ill.DeviceId, ill.Pasid, ill.Flags, ill.Address));
        Assert.Equal(LinuxEvent(1, devid, pasid, flags, address), IllegalDevTableEntryEvent.Create().WithDeviceId(devid).WithPasid(pasid).WithFlags(flags).WithAddress(address).ToBytes());

        var fault = IoPageFaultEvent.Read(LinuxEvent(2, devid, pasid, flags, address));
        Assert.Equal(((ulong)devid, (ulong)pasid, (ulong)flags, address), (fault.DeviceId, fault.DomainOrPasid, fault.Flags, fault.Address));
        Assert.Equal(LinuxEvent(2, devid, pasid, flags, address), IoPageFaultEvent.Create().WithDeviceId(devid).WithDomainOrPasid(pasid).WithFlags(flags).WithAddress(address).ToBytes());

        var page = PageTabHardwareErrorEvent.Read(LinuxEvent(4, devid, pasid, flags, address));
        Assert.Equal(((ulong)devid, (ulong)pasid, (ulong)flags, address), (page.DeviceId, page.DomainOrPasid, page.Flags, page.Address));
        Assert.Equal(LinuxEvent(4, devid, pasid, flags, address), PageTabHardwareErrorEvent.Create().WithDeviceId(devid).WithDomainOrPasid(pasid).WithFlags(flags).WithAddress(address).ToBytes());

        var request = InvalidDeviceRequestEvent.Read(LinuxEvent(8, devid, pasid, flags, address));
        Assert.Equal(((ulong)devid, (ulong)pasid, (ulong)flags, address), (request.DeviceId, request.Pasid, request.Flags, request.Address));
        Assert.Equal(LinuxEvent(8, devid, pasid, flags, address), InvalidDeviceRequestEvent.Create().WithDeviceId(devid).WithPasid(pasid).WithFlags(flags).WithAddress(address).ToBytes());
    }

    [Theory]
    [InlineData(0x8001u, 0x800u, 0x8000_0000_0000_0000UL)]
    [InlineData(0xFFFFu, 0xFFFu, 0xFFFF_FFFF_FFFF_FFFFUL)]
    public void DeviceIdFlagsAddressEvents(uint devid, uint flags, ulong address)
    {
        var dev = DevTabHardwareErrorEvent.Read(LinuxEvent(3, devid, 0, flags, address));
        Assert.Equal(((ulong)devid, (ulong)flags, address), (dev.DeviceId, dev.Flags, dev.Address));
        Assert.Equal(LinuxEvent(3, devid, 0, flags, address), DevTabHardwareErrorEvent.Create().WithDeviceId(devid).WithFlags(flags).WithAddress(address).ToBytes());

        var timeout = IotlbInvTimeoutEvent.Read(LinuxEvent(7, devid, 0, 0, address));
        Assert.Equal(((ulong)devid, address), (timeout.DeviceId, timeout.Address));
        Assert.Equal(LinuxEvent(7, devid, 0, 0, address), IotlbInvTimeoutEvent.Create().WithDeviceId(devid).WithAddress(address).ToBytes());

        var illegal = IllegalCommandErrorEvent.Read(LinuxEvent(5, 0, 0, flags, address));
        Assert.Equal(((ulong)flags, address), (illegal.Flags, illegal.Address));
        Assert.Equal(LinuxEvent(5, 0, 0, flags, address), IllegalCommandErrorEvent.Create().WithFlags(flags).WithAddress(address).ToBytes());

        var hardware = CommandHardwareErrorEvent.Read(LinuxEvent(6, 0, 0, flags, address));
        Assert.Equal(((ulong)flags, address), (hardware.Flags, hardware.Address));
        Assert.Equal(LinuxEvent(6, 0, 0, flags, address), CommandHardwareErrorEvent.Create().WithFlags(flags).WithAddress(address).ToBytes());
    }

    [Theory]
    // amd_iommu_report_ppr_err: PPR_PASID over event[0..1] (31:16 and 45:42), tag = event[1] & 0x3FF
    [InlineData(0x8001u, 0x8_8000u, 0x200u, 0x800u, 0x8000_0000_0000_0000UL)]
    [InlineData(0xFFFFu, 0xF_FFFFu, 0x3FFu, 0xFFFu, 0xFFFF_FFFF_FFFF_FFFFUL)]
    public void InvalidPprRequestVectors(uint devid, uint pasid, uint tag, uint flags, ulong address)
    {
        var bytes = FromDwords(devid | (pasid & 0xFFFF) << 16, tag | (pasid >> 16) << 10 | flags << 16 | 9u << 28, (uint)address, (uint)(address >> 32));
        var evt = InvalidPprRequestEvent.Read(bytes);
        Assert.Equal(((ulong)devid, (ulong)pasid, (ulong)tag, (ulong)flags, address), (evt.DeviceId, evt.Pasid, evt.Tag, evt.Flags, evt.Address));
        Assert.Equal(bytes, InvalidPprRequestEvent.Create().WithDeviceId(devid).WithPasid(pasid).WithTag(tag).WithFlags(flags).WithAddress(address).ToBytes());
    }

    [Theory]
    [InlineData(0x8001u, 0x80u, 0x8001u, 0x800u, 0x8000_0000_0000_0000UL)]
    [InlineData(0xFFFFu, 0xFFu, 0xFFFFu, 0xFFFu, 0xFFFF_FFFF_FFFF_FFF8UL)]
    public void RmpVectors(uint devid, uint rmpFlags, uint vmgTag, uint flags, ulong address)
    {
        // amd_iommu_report_rmp_fault: flags_rmp = (event[0] >> 16) & 0xFF; vmg_tag = event[1] & 0xFFFF; gpa = event[3]:event[2]
        var fault = FromDwords(devid | rmpFlags << 16, vmgTag | flags << 16 | 0xDu << 28, (uint)address, (uint)(address >> 32));
        var f = RmpPageFaultEvent.Read(fault);
        Assert.Equal(((ulong)devid, (ulong)rmpFlags, (ulong)vmgTag, (ulong)flags, address), (f.DeviceId, f.RmpFlags, f.VmgTag, f.Flags, f.Gpa));
        Assert.Equal(fault, RmpPageFaultEvent.Create().WithDeviceId(devid).WithRmpFlags(rmpFlags).WithVmgTag(vmgTag).WithFlags(flags).WithGpa(address).ToBytes());

        // amd_iommu_report_rmp_hw_error: spa = event[3] << 32 | (event[2] & 0xFFFFFFF8)
        var hw = FromDwords(devid, vmgTag | flags << 16 | 0xEu << 28, (uint)address, (uint)(address >> 32));
        var h = RmpHwErrorEvent.Read(hw);
        Assert.Equal(((ulong)devid, (ulong)vmgTag, (ulong)flags, address & ~7UL), (h.DeviceId, h.VmgTag, h.Flags, h.Spa));
        Assert.Equal(hw, RmpHwErrorEvent.Create().WithDeviceId(devid).WithVmgTag(vmgTag).WithFlags(flags).WithSpa(address).ToBytes());
    }
}
