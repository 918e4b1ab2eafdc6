using HwSpecGen.Hardware.AmdVi;
using HwSpecGen.Runtime;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>
/// Event log entries: QEMU's encoder (amd_iommu.c amdvi_encode_event: DeviceID at bit 0, 16-bit info = flags |
/// code &lt;&lt; 12 at bit 48, address at bit 64) decoded by our structs, and Linux's decoder (iommu.c iommu_print_event
/// on u32 event[4]) applied to our encoder's output.
/// </summary>
public sealed class EventLogTests
{
    private static ulong[] QemuEncodeEvent(ushort devid, ulong addr, ushort info) => [devid | (ulong)info << 48, addr];

    // iommu_print_event's extraction.
    private static (uint Type, uint DevId, uint Pasid, uint Flags, ulong Address) LinuxPrintEvent(byte[] evt)
    {
        var e0 = Dword(evt, 0);
        var e1 = Dword(evt, 1);
        return ((e1 >> 28) & 0xF, e0 & 0xFFFF, (e0 & 0xF0000) | (e1 & 0xFFFF), (e1 >> 16) & 0xFFF, (ulong)Dword(evt, 3) << 32 | Dword(evt, 2));
    }

    [Theory]
    // amdvi_log_illegaldevtab_error(s, devid, s->devtab + devid * 32, 0)
    [InlineData((ushort)0x8001, 0x0008_0000_0010_0000UL + 0x8001UL * 32)]
    [InlineData((ushort)0xFFFF, 0x8000_0000_0000_0000UL + 0xFFFFUL * 32)]
    public void QemuIllegalDevTableEntryEventDecodes(ushort devid, ulong dteAddress)
    {
        var bytes = FromQwords(QemuEncodeEvent(devid, dteAddress, 0x1 << 12));
        var set = EventSet.Decode(bytes);
        Assert.Equal(EventKind.IllegalDevTableEntryEvent, set.Kind);
        Assert.True(set.TryGet(out IllegalDevTableEntryEvent evt));
        Assert.Equal((ulong)devid, evt.DeviceId);
        Assert.Equal(0UL, evt.Pasid);
        Assert.Equal(0UL, evt.Flags);
        Assert.Equal(dteAddress, evt.Address);
    }

    [Fact]
    public void LinuxReadsOurIllegalDevTableEntryEvent()
    {
        var evt = IllegalDevTableEntryEvent.Create().WithDeviceId(0x8001).WithPasid(0x8_0001).WithFlags(0x800).WithAddress(0x8000_0000_0000_1000);
        var linux = LinuxPrintEvent(evt.ToBytes());
        Assert.Equal(1u, linux.Type);        // EVENT_TYPE_ILL_DEV
        Assert.Equal(0x8001u, linux.DevId);
        Assert.Equal(0x8_0001u, linux.Pasid); // EVENT_DOMID_MASK_HI | EVENT_DOMID_MASK_LO
        Assert.Equal(0x800u, linux.Flags);
        Assert.Equal(0x8000_0000_0000_1000UL, linux.Address);
    }

    [Fact]
    public void QemuIoPageFaultFlagsAndLinuxReading()
    {
        // amdvi_page_fault(s, devid = devfn 0x80, addr, info = AMDVI_PERM_WRITE): info |= AMDVI_EVENT_IOPF_I | AMDVI_EVENT_IOPF.
        var bytes = FromQwords(QemuEncodeEvent(0x80, 0xFFFF_FFFF_FFFF_F000, 0x2 | 0x8 | 0x2 << 12));
        Assert.True(IoPageFaultEvent.TryDecode(bytes, out var evt, out _));
        Assert.Equal(0x80UL, evt.DeviceId);
        Assert.Equal(0x00AUL, evt.Flags);
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL, evt.Address);

        // Linux: IS_IOMMU_MEM_TRANSACTION(flags) is ((flags & EVENT_FLAG_I) == 0) and IS_WRITE_REQUEST is (flags & EVENT_FLAG_RW):
        // QEMU's DMA fault reads as an interrupt request and its write permission (flags bit 1) is not Linux's RW (0x020).
        var linux = LinuxPrintEvent(bytes);
        Assert.Equal(2u, linux.Type);
        Assert.NotEqual(0u, linux.Flags & 0x008);
        Assert.Equal(0u, linux.Flags & 0x020);
    }

    [Fact]
    public void LinuxReadsOurIoPageFaultEvent()
    {
        // A DMA write fault as Linux expects it: I clear, RW (0x020) set; domain/PASID 0x8_FFFF.
        var evt = IoPageFaultEvent.Create().WithDeviceId(0xFFFF).WithDomainOrPasid(0x8_FFFF).WithFlags(0x820).WithAddress(0x8000_0000_DEAD_B000);
        var linux = LinuxPrintEvent(evt.ToBytes());
        Assert.Equal(2u, linux.Type);
        Assert.Equal(0xFFFFu, linux.DevId);
        Assert.Equal(0x8_FFFFu, linux.Pasid);
        Assert.Equal(0u, linux.Flags & 0x008); // memory transaction
        Assert.NotEqual(0u, linux.Flags & 0x020); // write
        Assert.Equal(0x8000_0000_DEAD_B000UL, linux.Address);
    }

    [Theory]
    [InlineData(0x3, (ushort)0x8001, 0x0008_0000_0010_0000UL)] // amdvi_log_devtab_error(s, devid, devtab + offset, 0)
    [InlineData(0x4, (ushort)0x00FF, 0x8000_0000_1234_5008UL)] // amdvi_log_pagetab_error(s, devfn, pte_addr, 0)
    [InlineData(0x6, (ushort)0x0000, 0x8000_0000_0000_1FF0UL)] // amdvi_log_command_error(s, cmdbuf + head): devid 0
    public void QemuHardwareErrorEventsDecode(int code, ushort devid, ulong address)
    {
        var bytes = FromQwords(QemuEncodeEvent(devid, address, (ushort)(code << 12)));
        var set = EventSet.Decode(bytes);
        Assert.Equal((ulong)code, set.Opcode);
        switch (code)
        {
            case 3:
                Assert.True(set.TryGet(out DevTabHardwareErrorEvent dev));
                Assert.Equal((ulong)devid, dev.DeviceId);
                Assert.Equal(address, dev.Address);
                break;
            case 4:
                Assert.True(set.TryGet(out PageTabHardwareErrorEvent page));
                Assert.Equal((ulong)devid, page.DeviceId);
                Assert.Equal(0UL, page.DomainOrPasid);
                Assert.Equal(address, page.Address);
                break;
            default:
                Assert.True(set.TryGet(out CommandHardwareErrorEvent cmd));
                Assert.Equal(address, cmd.Address);
                Assert.Equal(0UL, cmd.Flags);
                break;
        }

        Assert.True(set.Validate().IsValid);
    }

    [Theory]
    [InlineData(0x3UL, 0x8000_0000_0000_0000UL)] // e.g. amdvi_inval_pages with reserved bits set: opcode 3
    [InlineData(0xFUL, 0x0000_0000_0000_FFF0UL)] // amdvi_cmdbuf_exec default branch (opcode from the command's bits 127:124)
    public void QemuIllegalCommandEventCarriesTheOpcodeInFlags(ulong opcode, ulong commandAddress)
    {
        // amdvi_log_illegalcom_error(s, opcode, s->cmdbuf + s->cmdbuf_head): info = opcode | AMDVI_EVENT_ILLEGAL_COMMAND_ERROR, devid 0
        var bytes = FromQwords(QemuEncodeEvent(0, commandAddress, (ushort)(opcode | 0x5 << 12)));
        Assert.True(IllegalCommandErrorEvent.TryDecode(bytes, out var evt, out _));
        Assert.Equal(opcode, evt.Flags & 0xF);
        Assert.Equal(commandAddress, evt.Address);
        Assert.Equal(commandAddress, LinuxPrintEvent(bytes).Address); // dump_command(address)
    }

    [Fact]
    public void LinuxOnlyEventsRoundTripThroughLinuxExtraction()
    {
        var timeout = IotlbInvTimeoutEvent.Create().WithDeviceId(0x8001).WithAddress(0x8000_0000_0000_2010).ToBytes();
        Assert.Equal((7u, 0x8001u, 0x8000_0000_0000_2010UL), (LinuxPrintEvent(timeout).Type, LinuxPrintEvent(timeout).DevId, LinuxPrintEvent(timeout).Address));

        var request = InvalidDeviceRequestEvent.Create().WithDeviceId(0xFFFF).WithPasid(0xF_FFFF).WithFlags(0xFFF).WithAddress(ulong.MaxValue).ToBytes();
        var linux = LinuxPrintEvent(request);
        Assert.Equal((8u, 0xFFFFu, 0xF_FFFFu, 0xFFFu, ulong.MaxValue), (linux.Type, linux.DevId, linux.Pasid, linux.Flags, linux.Address));
        Assert.Equal(EventKind.InvalidDeviceRequestEvent, EventSet.Decode(request).Kind);
    }

    [Fact]
    public void InvalidPprRequestUsesThePprLogLayout()
    {
        // amd_iommu_report_ppr_err: pasid = PPR_PASID(*(u64 *)event) (bits 31:16 | bits 45:42 << 16), tag = event[1] & 0x3FF.
        var evt = InvalidPprRequestEvent.Create().WithDeviceId(0x8001).WithPasid(0x8_8001).WithTag(0x200).WithFlags(0x801).WithAddress(0x8000_0000_0000_0000);
        var bytes = evt.ToBytes();
        var raw0 = Qword(bytes, 0);
        Assert.Equal(0x8_8001UL, (((raw0 >> 42) & 0xF) << 16) | ((raw0 >> 16) & 0xFFFF));
        Assert.Equal(0x200u, Dword(bytes, 1) & 0x3FF);
        Assert.Equal(9u, LinuxPrintEvent(bytes).Type);
        Assert.Equal(0x801u, LinuxPrintEvent(bytes).Flags);
        Assert.Equal(EventKind.InvalidPprRequestEvent, EventSet.Decode(bytes).Kind);
    }

    [Fact]
    public void RmpEventsMatchLinuxReporters()
    {
        // amd_iommu_report_rmp_fault: flags_rmp = (event[0] >> 16) & 0xFF; vmg_tag = event[1] & 0xFFFF; gpa = event[3]:event[2]
        var fault = FromDwords(0x00FF_8001, 0xD800_8001, 0x0000_F000, 0x8000_0000);
        Assert.True(RmpPageFaultEvent.TryDecode(fault, out var f, out _));
        Assert.Equal((0x8001UL, 0xFFUL, 0x8001UL, 0x800UL, 0x8000_0000_0000_F000UL), (f.DeviceId, f.RmpFlags, f.VmgTag, f.Flags, f.Gpa));

        // amd_iommu_report_rmp_hw_error: spa = event[3] << 32 | (event[2] & 0xFFFFFFF8)
        var hw = FromDwords(0x0000_FFFF, 0xE800_FFFF, 0xFFFF_FFFF, 0x8000_0000);
        Assert.True(RmpHwErrorEvent.TryDecode(hw, out var h, out _));
        Assert.Equal((0xFFFFUL, 0xFFFFUL, 0x800UL), (h.DeviceId, h.VmgTag, h.Flags));
        Assert.Equal(0x8000_0000_FFFF_FFF8UL, h.Spa);
        Assert.Equal(EventKind.RmpHwErrorEvent, EventSet.Decode(hw).Kind);
    }

    [Fact]
    public void UnwrittenEntryHasNoEventCode()
    {
        // iommu_print_event retries while type == 0 (hardware erratum): code 0 is no event.
        var set = EventSet.Decode(new byte[16]);
        Assert.False(set.IsKnown);
        Assert.Equal(DecodeError.UnknownOpcode, set.Error);
    }
}
