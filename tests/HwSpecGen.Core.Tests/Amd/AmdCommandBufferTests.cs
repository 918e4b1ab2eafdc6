using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Tests.Amd;

/// <summary>The queue path: the guest's command buffer in guest memory, the tail doorbell, completions, architected errors.</summary>
public sealed class AmdCommandBufferTests
{
    private readonly AmdTestBed _bed = AmdTestBed.Create();

    private AmdVm Vm => _bed.Vm;

    private AmdGuestIommu Emu => _bed.Vm.GuestIommu;

    [Fact]
    public void CompletionWaitStoresItsDataAndRaisesTheCompletionInterrupt()
    {
        var target = Vm.KernelAllocator.Allocate(0x1000);
        var interrupts = Vm.CompletionInterrupts;
        Vm.Queue(CompletionWait.Create().WithS(true).WithI(true).WithStoreAddress(target + 8).WithStoreData(0x1122_3344_5566_7788));
        Vm.Doorbell();
        Assert.True(Vm.Memory.TryReadUInt64(target + 8, out var value));
        Assert.Equal(0x1122_3344_5566_7788UL, value);
        Assert.True(Emu.StatusRegister.ComWaitInt);
        Assert.Equal(interrupts + 1, Vm.CompletionInterrupts);

        Emu.WriteMmio(AmdMmio.Status, Status.Create().WithComWaitInt(true).GetWord(0)); // write 1 to clear
        Assert.False(Emu.StatusRegister.ComWaitInt);
        Assert.True(Emu.StatusRegister.CmdBufRun); // read-only bits are not cleared

        // I without ComWaitIntEn: the status bit, no interrupt.
        Emu.WriteMmio(AmdMmio.Control, AmdVm.GuestControl.WithComWaitIntEn(false).GetWord(0));
        Vm.Queue(CompletionWait.Create().WithI(true));
        Vm.Doorbell();
        Assert.True(Emu.StatusRegister.ComWaitInt);
        Assert.Equal(interrupts + 1, Vm.CompletionInterrupts);
    }

    [Fact]
    public void CommandsRunOnlyWhenTheTailIsWrittenAndTheBufferIsEnabled()
    {
        var target = Vm.KernelAllocator.Allocate(0x1000);
        var head = Emu.CommandHead.Offset;
        Vm.Queue(CompletionWait.Create().WithS(true).WithStoreAddress(target).WithStoreData(1));
        Assert.Equal(head, Emu.CommandHead.Offset);
        Assert.True(Vm.Memory.TryReadUInt64(target, out var v) && v == 0);

        Emu.WriteMmio(AmdMmio.Control, AmdVm.GuestControl.WithCmdBufEn(false).GetWord(0));
        Vm.Doorbell();
        Assert.Equal(head, Emu.CommandHead.Offset);
        Assert.False(Emu.StatusRegister.CmdBufRun);

        Emu.WriteMmio(AmdMmio.Control, AmdVm.GuestControl.GetWord(0));
        Assert.Equal(head + 16, Emu.CommandHead.Offset);
        Assert.Equal(Emu.CommandTail.Offset, Emu.CommandHead.Offset);
        Assert.True(Vm.Memory.TryReadUInt64(target, out v) && v == 1);
    }

    public static TheoryData<ulong> Opcodes => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    [Theory]
    [MemberData(nameof(Opcodes))]
    public void AReservedBitInAnyCommandIsAnIllegalCommandErrorThatStopsTheBuffer(ulong opcode)
    {
        var member = CommandSet.Descriptor.Find(opcode)!;
        var words = new ulong[2];
        var bytes = new byte[16];
        AmdCommandBytes.SetOpcode(bytes, opcode);
        words[0] = BitConverter.ToUInt64(bytes, 0);
        for (var k = 0; k < 2; k++)
        {
            var mask = member.Layout.MustBeZeroMask(k);
            if (mask != 0)
            {
                words[k] |= mask & (ulong)-(long)mask; // the lowest must-be-zero bit
                break;
            }
        }

        member.Encode(words, bytes);
        AssertRejectedBetweenTwoStores(bytes, opcode, "reserved bits");
    }

    [Theory]
    [InlineData(0x0UL)]
    [InlineData(0x9UL)]
    [InlineData(0xAUL)]
    [InlineData(0xFUL)]
    public void AnUnknownOpcodeIsAnIllegalCommandErrorThatStopsTheBuffer(ulong opcode)
    {
        var bytes = new byte[16];
        AmdCommandBytes.SetOpcode(bytes, opcode);
        AssertRejectedBetweenTwoStores(bytes, opcode, "unknown opcode");
    }

    [Theory]
    [InlineData("devtab")]
    [InlineData("iotlb")]
    [InlineData("interrupt-table")]
    [InlineData("ppr")]
    [InlineData("domain")]
    public void AnIdTheVmDoesNotOwnIsAnIllegalCommandError(string variant)
    {
        byte[] bytes = variant switch
        {
            "devtab" => InvalidateDevtabEntry.Create().WithDeviceId(0x0200).ToBytes(), // the host DeviceID, not a guest one
            "iotlb" => InvalidateIotlbPages.FromRange(0, ulong.MaxValue, 0x0200, 0).ToBytes(),
            "interrupt-table" => InvalidateInterruptTable.Create().WithDeviceId(0x0FFF).ToBytes(),
            "ppr" => CompletePprRequest.Create().WithDeviceId(0x0FFF).ToBytes(),
            "domain" => InvalidateIommuPages.FromRange(0, ulong.MaxValue, _bed.HostDomain).ToBytes(), // the host DomainID is no guest DomainID
            _ => throw new ArgumentException(variant),
        };
        var opcode = CommandSet.Decode(bytes).Opcode;
        AssertRejectedBetweenTwoStores(bytes, opcode, "does not own");
    }

    [Fact]
    public void ABadIdInTheMiddleOfAForwardedBatchStopsTheBufferExactlyThere()
    {
        var a = _bed.Dev(0x0008);
        var b = _bed.Dev(0x0010);
        a.Translate(AmdTestBed.Iova, null, Access.Read);
        b.Translate(AmdTestBed.Iova, null, Access.Read);
        Vm.Queue(InvalidateIotlbPages.FromRange(0, ulong.MaxValue, 0x0008, 0));
        var badGpa = Vm.NextCommandGpa;
        Vm.Queue(InvalidateIotlbPages.FromRange(0, ulong.MaxValue, 0x0300, 0)); // not a device of this VM
        Vm.Queue(InvalidateIotlbPages.FromRange(0, ulong.MaxValue, 0x0010, 0));
        Assert.False(Vm.Sync());
        Assert.False(a.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova)); // handled before the bad one
        Assert.True(b.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova)); // after it: untouched
        Assert.Equal(badGpa, Vm.CommandBufferGpa + Emu.CommandHead.Offset);
        Assert.True(IllegalCommandErrorEvent.TryDecode(Assert.Single(Vm.ReadGuestEvents()), out var e, out _));
        Assert.Equal(badGpa, e.Address);
        Assert.Equal(InvalidateIotlbPages.OpcodeValue, e.Flags);

        Vm.RestartCommandBuffer();
        Assert.False(b.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova));
        Assert.True(Vm.Sync());
    }

    [Fact]
    public void TheGuestCanRepairTheCommandAndRestartWithoutSkippingIt()
    {
        var bytes = new byte[16];
        AmdCommandBytes.SetOpcode(bytes, 0xE);
        var slot = Vm.NextCommandGpa;
        Vm.QueueRaw(bytes);
        Assert.False(Vm.Sync());
        Assert.Equal(slot, Vm.CommandBufferGpa + Emu.CommandHead.Offset);

        var target = Vm.KernelAllocator.Allocate(0x1000);
        Vm.Memory.TryWrite(slot, CompletionWait.Create().WithS(true).WithStoreAddress(target).WithStoreData(0xAB).ToBytes());
        Vm.RestartCommandBuffer(skipFaultingCommand: false);
        Assert.True(Vm.Memory.TryReadUInt64(target, out var v) && v == 0xAB);
        Assert.Equal(Emu.CommandTail.Offset, Emu.CommandHead.Offset);
        Assert.True(Vm.Sync());
    }

    [Fact]
    public void ATailBeyondTheRingIsACommandHardwareError()
    {
        var ring = 16UL << AmdIommu.RingLengthLog2;
        Emu.WriteMmio(AmdMmio.CommandTail, CommandBufferTail.Create().WithOffset(ring + 0x100).GetWord(0));
        Assert.False(Emu.StatusRegister.CmdBufRun);
        var evt = Assert.Single(Vm.ReadGuestEvents());
        Assert.True(CommandHardwareErrorEvent.TryDecode(evt, out var e, out _));
        Assert.Equal(Vm.CommandBufferGpa + ring + 0x100, e.Address);
    }

    [Fact]
    public void ACommandBufferOutsideGuestRamIsACommandHardwareError()
    {
        const ulong nowhere = 0x40_0000_0000;
        Emu.WriteMmio(AmdMmio.CommandBufferBase, CommandBufferBase.Create().WithBase(nowhere).WithLength(8).GetWord(0));
        Emu.WriteMmio(AmdMmio.CommandTail, CommandBufferTail.Create().WithOffset(0x10).GetWord(0));
        var evt = Assert.Single(Vm.ReadGuestEvents());
        Assert.True(CommandHardwareErrorEvent.TryDecode(evt, out var e, out _));
        Assert.Equal(nowhere, e.Address);
        Assert.False(Emu.StatusRegister.CmdBufRun);
    }

    [Fact]
    public void ACompletionStoreOutsideGuestRamIsACommandHardwareError()
    {
        var slot = Vm.NextCommandGpa;
        Vm.Queue(CompletionWait.Create().WithS(true).WithStoreAddress(0x7_0000_0000).WithStoreData(5));
        Vm.Doorbell();
        var evt = Assert.Single(Vm.ReadGuestEvents());
        Assert.True(CommandHardwareErrorEvent.TryDecode(evt, out var e, out _));
        Assert.Equal(slot, e.Address);
        Assert.False(Emu.StatusRegister.CmdBufRun);
    }

    [Fact]
    public void ForwardedInvalidationsGoToTheHostInOneBatchWithTranslatedIds()
    {
        var traces = new List<AmdCommandTrace>();
        Emu.Trace = traces.Add;
        var dev = _bed.Dev(0x0010);
        dev.Translate(AmdTestBed.Iova, null, Access.Read);
        Assert.True(_bed.Guest(AmdTestBed.Pages(_bed.DomainId, AmdTestBed.Iova, AmdTestBed.Iova + 0xFFF), AmdTestBed.Iotlb(0x0010, AmdTestBed.Iova, AmdTestBed.Iova + 0xFFF)));
        Assert.False(_bed.Iommu.Iotlb.Contains(_bed.HostDomain, 0, AmdTestBed.Iova));
        Assert.False(dev.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova));
        Assert.Equal([AmdCommandOutcome.Forwarded, AmdCommandOutcome.Forwarded, AmdCommandOutcome.Applied], traces.Select(t => t.Outcome));
        Assert.Contains($"hDomID 0x{_bed.HostDomain:X}", traces[0].Translated, StringComparison.Ordinal);
        Assert.Contains("DeviceID 0x200", traces[1].Translated, StringComparison.Ordinal);
        Assert.Contains("entry 2/2", traces[1].Effect, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidateDevtabEntryReReadsTheGuestDte()
    {
        var dev = _bed.Dev(0x0008);
        var oldHwpt = Emu.ShadowHwpts[0x0008];

        // A second address space for the same guest domain: same IOVA, another buffer.
        var gcr3 = Vm.NewGcr3Table();
        var table = Vm.NewPageTable();
        var other = Vm.DmaAllocator.Allocate(0x1000);
        table.Map(AmdTestBed.Iova, other, 0x1000);
        gcr3.Set(0, table.RootGpa);
        Vm.WriteDte(0x0008, AmdVm.NestedDte(_bed.DomainId, gcr3));
        Vm.Sync();
        Assert.Equal(oldHwpt, Emu.ShadowHwpts[0x0008]); // no INVALIDATE_DEVTAB_ENTRY: nothing re-read

        Assert.True(_bed.Guest(vm => vm.Queue(InvalidateDevtabEntry.Create().WithDeviceId(0x0008))));
        var newHwpt = Emu.ShadowHwpts[0x0008];
        Assert.NotEqual(oldHwpt, newHwpt);
        Assert.Null(Vm.Context.Get<HwptNested>(oldHwpt));
        Assert.Equal(newHwpt, dev.Attached!.Id);
        Assert.Equal(gcr3.RootGpa, _bed.Iommu.ReadDte(0x0100).Gcr3Root);
        Assert.Equal(2, Vm.Driver.DomainMap[_bed.DomainId].Users);

        // Same DomainID, same PASID: the old address space's entries stay until the guest flushes them.
        Assert.True(_bed.Guest(AmdTestBed.Pages(_bed.DomainId, 0, ulong.MaxValue), AmdTestBed.Iotlb(0x0008, 0, ulong.MaxValue)));
        Assert.Equal(Vm.Ram.Hpa + other, dev.Translate(AmdTestBed.Iova, null, Access.Read).Hpa);
    }

    [Fact]
    public void TheGuestDteDecidesBetweenNestedPassThroughAndBlocked()
    {
        var dev = _bed.Dev(0x0008);

        Assert.True(Vm.ConfigureDevice(0x0008, DeviceTableEntry.Create())); // V=0: guest pass-through
        Assert.Same(Vm.Parent, dev.Attached);
        Assert.False(Emu.ShadowHwpts.ContainsKey(0x0008));
        Assert.Equal(Vm.Ram.Hpa + _bed.Buffer, dev.Translate(_bed.Buffer, null, Access.Read).Hpa);

        Assert.True(Vm.ConfigureDevice(0x0008, AmdIommu.BlockedDte)); // Linux's cleared DTE
        Assert.Null(dev.Attached);
        Assert.False(dev.Translate(_bed.Buffer, null, Access.Read).IsOk);

        Assert.True(Vm.ConfigureDevice(0x0008, AmdVm.NestedDte(_bed.DomainId, _bed.Gcr3)));
        Assert.IsType<HwptNested>(dev.Attached);
        Assert.Empty(Vm.ReadGuestEvents());
    }

    [Theory]
    [InlineData("glx-3")]
    [InlineData("mode-with-gv")]
    [InlineData("v1-tables")]
    [InlineData("reserved")]
    [InlineData("no-gcr3")]
    public void AGuestDteTheHostCannotShadowIsAnIllegalDevTableEntryAndBlocksTheDevice(string variant)
    {
        var good = AmdVm.NestedDte(_bed.DomainId, _bed.Gcr3);
        var dte = variant switch
        {
            "glx-3" => good.WithGlx(3),
            "mode-with-gv" => good.WithMode(DteMode.Level4),
            "v1-tables" => good.WithGv(false).WithMode(DteMode.Level3).WithHostPageTableRoot(0x5000),
            "reserved" => DeviceTableEntry.FromWords([good.GetWord(0) | (1UL << 2), good.GetWord(1), good.GetWord(2), good.GetWord(3)]),
            "no-gcr3" => good.WithGcr3Root(0),
            _ => throw new ArgumentException(variant),
        };
        var dev = _bed.Dev(0x0008);
        var old = Emu.ShadowHwpts[0x0008];
        Assert.True(Vm.ConfigureDevice(0x0008, dte)); // the command itself completes
        var evt = Assert.Single(Vm.ReadGuestEvents());
        Assert.True(IllegalDevTableEntryEvent.TryDecode(evt, out var e, out _));
        Assert.Equal(0x0008UL, e.DeviceId);
        Assert.Equal(Vm.DeviceTableGpa + DeviceTableTable.Offset(0x0008), e.Address);
        Assert.Null(dev.Attached);
        Assert.Null(Vm.Context.Get<HwptNested>(old));
        Assert.False(dev.Translate(AmdTestBed.Iova, null, Access.Read).IsOk);
    }

    [Fact]
    public void InvalidateIommuAllFlushesThisVmAndReReadsItsDtes()
    {
        var dev = _bed.Dev(0x0010);
        dev.Translate(AmdTestBed.Iova, null, Access.Read);
        Vm.WriteDte(0x0010, AmdIommu.BlockedDte);
        Assert.True(_bed.Guest(vm => vm.Queue(InvalidateIommuAll.Create())));
        Assert.False(_bed.Iommu.Iotlb.Contains(_bed.HostDomain, 0, AmdTestBed.Iova));
        Assert.False(dev.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova));
        Assert.Null(dev.Attached);
        Assert.IsType<HwptNested>(_bed.Dev(0x0008).Attached);
    }

    [Fact]
    public void StageOneFaultsReachTheGuestEventLogWithAnInterrupt()
    {
        var before = Vm.EventInterrupts;
        Assert.False(_bed.Dev(0x0010).Translate(0x7777_0000, 3, Access.Read).IsOk);
        var events = Vm.ReadGuestEvents();
        var evt = IoPageFaultEvent.Read(Assert.Single(events));
        Assert.Equal(0x0010UL, evt.DeviceId);
        Assert.Equal(3UL, evt.DomainOrPasid);
        Assert.True(IoPageFaultFlags.FromWords([evt.Flags]).Gn);
        Assert.True(Vm.EventInterrupts > before);
        Assert.Equal(Emu.EventTail.Offset, Emu.EventHead.Offset);
    }

    [Fact]
    public void AFullGuestEventLogSetsEventOverflowAndLogsNothingMoreUntilCleared()
    {
        Emu.WriteMmio(AmdMmio.EventLogBase, EventLogBase.Create().WithBase(Vm.EventLogGpa).WithLength(1).GetWord(0)); // 2 slots: 1 usable
        var dev = _bed.Dev(0x0010);
        dev.Translate(0x7000_0000, 1, Access.Read);
        dev.Translate(0x7000_0000, 2, Access.Read);
        Emu.PollEvents();
        Assert.True(Emu.StatusRegister.EventOverflow);
        Assert.Equal(1, Emu.EventsLogged);

        Emu.WriteMmio(AmdMmio.EventHead, EventLogHead.Create().WithOffset(Emu.EventTail.Offset).GetWord(0));
        dev.Translate(0x7000_0000, 3, Access.Read);
        Emu.PollEvents();
        Assert.Equal(1, Emu.EventsLogged); // still overflowed
        Emu.WriteMmio(AmdMmio.Status, Status.Create().WithEventOverflow(true).GetWord(0));
        dev.Translate(0x7000_0000, 4, Access.Read);
        Emu.PollEvents();
        Assert.Equal(2, Emu.EventsLogged);
    }

    [Fact]
    public void TheGuestReadsItsRegistersThroughMmio()
    {
        Assert.Equal(Emu.Efr.GetWord(0), Emu.ReadMmio(AmdMmio.ExtendedFeatures));
        Assert.False(ExtendedFeatures.FromWords([Emu.ReadMmio(AmdMmio.ExtendedFeatures)]).PprSup);
        Assert.Equal(Vm.CommandBufferGpa, CommandBufferBase.FromWords([Emu.ReadMmio(AmdMmio.CommandBufferBase)]).Base);
        Assert.Equal(AmdVm.GuestControl.GetWord(0), Emu.ReadMmio(AmdMmio.Control));
        Assert.True(Status.FromWords([Emu.ReadMmio(AmdMmio.Status)]).CmdBufRun);
        Assert.Equal(Emu.ReadMmio(AmdMmio.CommandTail), Emu.ReadMmio(AmdMmio.CommandHead));
    }

    private void AssertRejectedBetweenTwoStores(byte[] bad, ulong opcode, string why)
    {
        var traces = new List<AmdCommandTrace>();
        Emu.Trace = traces.Add;
        var target = Vm.KernelAllocator.Allocate(0x1000);
        var dev = _bed.Dev(0x0010);
        dev.Translate(AmdTestBed.Iova, null, Access.Read);
        var iotlb = _bed.Iommu.Iotlb.Count;
        var executed = _bed.Iommu.CommandsExecuted;

        Vm.Queue(CompletionWait.Create().WithS(true).WithStoreAddress(target).WithStoreData(1));
        var badGpa = Vm.NextCommandGpa;
        Vm.QueueRaw(bad);
        Vm.Queue(CompletionWait.Create().WithS(true).WithStoreAddress(target + 8).WithStoreData(2));
        Vm.Doorbell();

        Assert.True(Vm.Memory.TryReadUInt64(target, out var first) && first == 1); // before: done
        Assert.True(Vm.Memory.TryReadUInt64(target + 8, out var second) && second == 0); // after: not done
        Assert.False(Emu.StatusRegister.CmdBufRun);
        Assert.Equal(badGpa, Vm.CommandBufferGpa + Emu.CommandHead.Offset);
        var evt = Assert.Single(Vm.ReadGuestEvents());
        Assert.True(IllegalCommandErrorEvent.TryDecode(evt, out var e, out _));
        Assert.Equal(badGpa, e.Address);
        Assert.Equal(opcode, e.Flags);
        Assert.Equal(AmdCommandOutcome.Rejected, traces[^1].Outcome);
        Assert.Contains(why, traces[^1].Effect, StringComparison.Ordinal);
        Assert.Equal(iotlb, _bed.Iommu.Iotlb.Count); // nothing half-applied
        Assert.True(dev.Atc.Contains(0, Device.NoPasid, AmdTestBed.Iova));
        Assert.Equal(executed, _bed.Iommu.CommandsExecuted);

        // Doorbells do nothing while stopped; a restart that skips the bad command runs the rest.
        Vm.Doorbell();
        Assert.True(Vm.Memory.TryReadUInt64(target + 8, out second) && second == 0);
        Vm.RestartCommandBuffer();
        Assert.True(Vm.Memory.TryReadUInt64(target + 8, out second) && second == 2);
        Assert.True(Vm.Sync());
    }
}
