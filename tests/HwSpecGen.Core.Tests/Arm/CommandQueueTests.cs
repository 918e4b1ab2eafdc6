using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>
/// The guest's Command queue on the VMM's vSMMU: doorbell, checks, forwarding through the vIOMMU, CFGI_STE re-install,
/// CMD_SYNC completion, and every architected error (CMDQ_CONS.ERR, GERROR.CMDQ_ERR, queue halted until GERRORN).
/// </summary>
public sealed class CommandQueueTests
{
    private const ulong Va = ArmTestVm.Va;
    private readonly ArmTestVm _t = new(ats: true);

    private SmmuV3VirtualSmmu Vsmmu => _t.Vm.Vsmmu;

    private SmmuV3CommandQueue Q => _t.Vm.Vsmmu.Cmdq;

    public static TheoryData<string, byte[]> IllegalCommands => new()
    {
        { "unknown opcode 0x7F", Raw(0x7F) },
        { "CMD_CFGI_VMS_PIDM 0x07 (QEMU's misnamed CFGI_ALL)", Raw(0x07) },
        { "reserved bit 8 of TLBI_NH_ALL", TlbiNhAll.FromWords([TlbiNhAll.Create().GetWord(0) | 0x100, 0]).ToBytes() },
        { "SSec = 1 on the Non-secure queue", CfgiCdAll.Create().WithSid(1).WithSsec(true).ToBytes() },
        { "CMD_SYNC with CS = 0b11", CmdSync.FromWords([CmdSync.Create().GetWord(0) | (3UL << 12), 0]).ToBytes() },
        { "range TLBI with TG set and NUM = SCALE = TTL = 0", TlbiNhVa.Create().WithAsid(5).WithTg(TlbiGranule.Granule4K).WithAddress(Va).ToBytes() },
        { "NUM without TG", TlbiNhVa.Create().WithAsid(5).WithNum(3).WithAddress(Va).ToBytes() },
        { "ATC_INV Size above 52", AtcInv.Create().WithSid(1).WithSize(60).ToBytes() },
        { "ATC_INV for a vSID with no vDEVICE", AtcInv.ForRange(0x55, 0, 0, 0).ToBytes() },
        { "CFGI_CD for a vSID with no vDEVICE", CfgiCd.Create().WithSid(0x100).ToBytes() },
        { "TLBI_S12_VMALL (no stage 2 in the vSMMU)", TlbiS12Vmall.Create().WithVmid(1).ToBytes() },
        { "TLBI_S2_IPA", TlbiS2Ipa.Create().WithVmid(1).WithAddress(0x1000).ToBytes() },
        { "TLBI_EL2_ALL (no EL2)", TlbiEl2All.Create().ToBytes() },
        { "PRI_RESP (no PRI)", PriResp.Create().WithSid(1).ToBytes() },
        { "RESUME (no stall)", Resume.Create().WithSid(1).ToBytes() },
    };

    [Theory]
    [MemberData(nameof(IllegalCommands))]
    public void AnIllegalCommandStopsTheQueueWithCerrorIllAndChangesNothing(string what, byte[] command)
    {
        _t.Device.Translate(Va, null, Access.Read);
        var iotlb = _t.Smmu.Iotlb.Entries.ToArray();
        var atc = _t.Device.Atc.Count;
        var errors = new List<Gerror>();
        Vsmmu.GlobalError = errors.Add;
        var seqBefore = _t.Vm.Guest.Sync();

        _t.Vm.Guest.Submit(command, TlbiNhAll.Create().ToBytes());
        var seq = _t.Vm.Guest.Sync();

        Assert.True(Q.Cons.Err == CommandError.Ill, what);
        Assert.True(Vsmmu.Gerror.CmdqErr != Vsmmu.Gerrorn.CmdqErr);
        Assert.Single(errors);
        Assert.Equal(3UL, SmmuV3QueueIndex.Count(Q.Prod.Wr, Q.Cons.Rd, Q.Log2Size)); // the bad one, NH_ALL and the SYNC wait
        Assert.True(_t.Vm.Guest.SyncDone(seqBefore) && !_t.Vm.Guest.SyncDone(seq));
        Assert.Equal(iotlb, _t.Smmu.Iotlb.Entries.ToArray());
        Assert.Equal(atc, _t.Device.Atc.Count);

        // Still halted: another doorbell does nothing until GERRORN is written.
        _t.Vm.Guest.RingDoorbell();
        Assert.False(_t.Vm.Guest.SyncDone(seq));

        Assert.Equal(CommandError.Ill, _t.Vm.Guest.AcknowledgeCommandError());
        Assert.True(_t.Vm.Guest.SyncDone(seq));
        Assert.False(Q.ErrorActive);
        Assert.DoesNotContain(_t.Smmu.Iotlb.Entries, e => e.Key.Tag == _t.Vm.Vmid);
    }

    [Fact]
    public void AcknowledgingWithoutFixingTheCommandRefetchesItAndFailsAgain()
    {
        _t.Vm.Guest.Submit(Raw(0x99));
        var stuck = Q.Cons.Rd;
        Vsmmu.WriteGerrorn(Gerrorn.Create().WithCmdqErr(Vsmmu.Gerror.CmdqErr));

        Assert.True(Q.ErrorActive);
        Assert.Equal(stuck, Q.Cons.Rd);
    }

    [Fact]
    public void AQueueBaseOutsideGuestRamIsCerrorAbt()
    {
        Vsmmu.WriteCr0(Vsmmu.Cr0.WithCmdqEn(false));
        Vsmmu.WriteCmdqBase(CmdqBase.Create().WithAddr(0x7_0000_0000).WithLog2Size(4));
        Vsmmu.WriteCmdqCons(CmdqCons.Create());
        Vsmmu.WriteCr0(Vsmmu.Cr0.WithCmdqEn(true));

        Vsmmu.WriteCmdqProd(CmdqProd.Create().WithWr(1));

        Assert.Equal(CommandError.Abt, Q.Cons.Err);
        Assert.True(Q.ErrorActive);
        Assert.Equal(0UL, Q.Cons.Rd);
    }

    [Fact]
    public void ProdBitsAboveTheWrapFlagAreIgnoredAndAnOverfullProdConsumesNothing()
    {
        var completed = Vsmmu.CompletedCommands;
        _t.Vm.Guest.Produce(TlbiNhAll.Create().ToBytes());
        Vsmmu.WriteCmdqProd(CmdqProd.Create().WithWr(_t.Vm.Guest.Prod | (1UL << 19)));
        Assert.Equal(completed + 1, Vsmmu.CompletedCommands);

        var before = Q.Cons.Rd;
        var overfull = SmmuV3QueueIndex.Effective(Q.Cons.Rd + (3UL << (Q.Log2Size - 1)), Q.Log2Size);
        Vsmmu.WriteCmdqProd(CmdqProd.Create().WithWr(overfull));
        Assert.Equal(before, Q.Cons.Rd);
        Assert.False(Q.ErrorActive);
    }

    [Fact]
    public void CmdSyncSignalsCompletionByInterruptMsiOrSev()
    {
        var signals = new List<SmmuV3SyncSignal>();
        Vsmmu.SyncCompleted = signals.Add;

        var seq = _t.Vm.Guest.Sync();
        _t.Vm.Guest.Submit(CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigSev).ToBytes(), CmdSync.Create().ToBytes());

        Assert.True(_t.Vm.Guest.SyncDone(seq));
        Assert.Equal([CmdSyncCompletionSignal.SigIrq, CmdSyncCompletionSignal.SigSev], signals.Select(s => s.Signal));
        Assert.Equal((_t.Vm.Guest.SyncWord, seq), (signals[0].MsiAddress, signals[0].MsiData));
    }

    [Fact]
    public void DmaAfterACompletedSyncNeverSeesTheStaleEntry()
    {
        var old = _t.Device.Translate(Va, null, Access.Read);
        var moved = _t.Vm.AllocateBuffer(0x1000);
        _t.Domain.PageTable.Remap(Va, moved, Access.ReadWrite);
        Assert.Equal(old.Hpa, _t.Device.Translate(Va, null, Access.Read).Hpa);

        var seqs = new List<uint>();
        _t.Vm.Guest.Submit(TlbiNhVa.Create().WithAsid(5).WithLeaf(true).WithAddress(Va).ToBytes(), AtcInv.ForRange(1, 0, Va, 0x1000).ToBytes());
        seqs.Add(_t.Vm.Guest.Sync());

        Assert.True(_t.Vm.Guest.SyncDone(seqs[0]));
        var fresh = _t.Device.Translate(Va, null, Access.Read);
        Assert.Equal(_t.Hpa(moved), fresh.Hpa);
    }

    [Fact]
    public void ARangeInvalidationCoversExactlyItsSpan()
    {
        for (ulong p = 0; p < 4; p++)
        {
            _t.Device.Translate(Va + (p * 0x1000), null, Access.Read);
        }

        var cmd = TlbiNhVa.ForRange(5, 0, Va + 0x1000, 0x2000, 0x1000, 12, leaf: true).Single();
        var noAts = new ArmTestVm(ats: false);
        for (ulong p = 0; p < 4; p++)
        {
            noAts.Device.Translate(Va + (p * 0x1000), null, Access.Read);
        }

        noAts.Vm.Guest.Submit(cmd.ToBytes());
        noAts.Vm.Guest.Sync();

        Assert.Equal([true, false, false, true], Enumerable.Range(0, 4).Select(p => noAts.Smmu.Iotlb.Contains(noAts.Vm.Vmid, 5, Va + ((ulong)p * 0x1000))));
    }

    [Fact]
    public void CfgiSteReinstallsTheGuestSteAndDestroysTheReplacedHwpt()
    {
        var first = Vsmmu.InstalledHwpts[1];

        _t.RewriteSte(SmmuV3GuestDriver.MakeCdTableSte(_t.Domain.Cds, true).WithConfig(SteConfig.Bypass));
        Assert.True(_t.Smmu.StreamTable.TryRead(0x100, out var ste, out _, out _));
        Assert.Equal(SteConfig.S2Trans, ste.Config);
        Assert.Null(_t.Vm.Fd.Get<Hwpt>(first));
        Assert.Equal(_t.Hpa(0x1000), _t.Smmu.Translate(_t.Device, null, 0x1000, Access.Read).Hpa);

        _t.RewriteSte(Ste.Create());
        Assert.True(_t.Smmu.StreamTable.TryRead(0x100, out ste, out _, out _));
        Assert.Equal(SteConfig.Abort, ste.Config);

        // A guest STE the kernel refuses (stage-2 config) gets the abort HWPT.
        _t.RewriteSte(SmmuV3GuestDriver.MakeCdTableSte(_t.Domain.Cds, true).WithConfig(SteConfig.S2Trans));
        Assert.True(_t.Smmu.StreamTable.TryRead(0x100, out ste, out _, out _));
        Assert.Equal(SteConfig.Abort, ste.Config);

        _t.RewriteSte(SmmuV3GuestDriver.MakeCdTableSte(_t.Domain.Cds, true));
        Assert.True(_t.Device.Translate(Va, null, Access.Read).IsOk);
    }

    [Fact]
    public void CfgiAllReinstallsEveryGuestSte()
    {
        _t.Vm.Guest.WriteSte(1, Ste.Create());
        _t.Vm.Guest.Submit(CfgiSteRange.CreateAll().ToBytes());
        _t.Vm.Guest.Sync();

        Assert.True(_t.Smmu.StreamTable.TryRead(0x100, out var ste, out _, out _));
        Assert.Equal(SteConfig.Abort, ste.Config);
    }

    [Fact]
    public void EveryProcessedCommandIsTraced()
    {
        Vsmmu.Tracing = true;
        _t.Vm.Guest.Submit(TlbiNsnhAll.Create().ToBytes(), AtcInv.ForRange(0x66, 0, 0, 0).ToBytes());

        Assert.Equal(2, Vsmmu.Log.Count);
        Assert.Contains("TlbiNhAll", Vsmmu.Log[0].Translated, StringComparison.Ordinal);
        Assert.Equal(CommandError.None, Vsmmu.Log[0].Error);
        Assert.Equal(CommandError.Ill, Vsmmu.Log[1].Error);
        Assert.Contains("EIO", Vsmmu.Log[1].Translated, StringComparison.Ordinal);
    }

    [Fact]
    public void PrefetchHintsAreConsumedWithoutEffect()
    {
        var completed = Vsmmu.CompletedCommands;
        _t.Vm.Guest.Submit(PrefetchConfig.Create().WithSid(1).ToBytes(), PrefetchAddr.Create().WithSid(1).WithAddress(Va).ToBytes());

        Assert.Equal(completed + 2, Vsmmu.CompletedCommands);
        Assert.False(Q.ErrorActive);
    }

    [Fact]
    public void EventsReachTheGuestEventQueueAndOverflowSetsOvflg()
    {
        var interrupts = 0;
        Vsmmu.EventInterrupt = () => interrupts++;
        for (ulong i = 0; i < 40; i++)
        {
            _t.Device.Translate(Va + 0x100_0000 + (i * 0x1000), null, Access.Read);
        }

        Assert.Equal(32, Vsmmu.DeliverEvents());
        Assert.Equal(1, interrupts);
        Assert.True(Vsmmu.EventqProd.OvFlg != Vsmmu.EventqCons.OvAckFlg);
        var read = 0;
        while (_t.Vm.Guest.TryReadEvent(out var e))
        {
            Assert.Equal(EventKind.FTranslation, e.Kind);
            read++;
        }

        Assert.Equal(32, read);
    }

    private static byte[] Raw(byte opcode)
    {
        var b = new byte[16];
        b[0] = opcode;
        return b;
    }
}
