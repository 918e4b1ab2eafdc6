using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Intel;
using HwSpecGen.Hardware.IntelVtd;
using HwSpecGen.Runtime;
using HwSpecGen.Tests.Shared;

namespace HwSpecGen.Core.Tests.Intel;

/// <summary>
/// The queue path: the guest's invalidation queue in guest memory, the IQT doorbell, what the VMM does with each
/// descriptor (forward as IOMMU_HWPT_INVALIDATE, absorb device-TLB descriptors, re-shadow on context/PASID-cache
/// invalidations, complete waits) and every architected error (FSTS.IQE, IQERCD.IQEI, IQH, queue stopped).
/// </summary>
public sealed class GuestQueueTests
{
    private const ushort VridA = 0x08;
    private const ushort VridB = 0x10;
    private const ushort GuestDid = 5;
    private const ulong Iova = 0x4000_0000;
    private const ulong Buffer = 0x0180_0000;

    private readonly IntelScenario _host;
    private readonly IntelVm _vm;
    private readonly IntelGuestQueue _queue;
    private readonly IntelGuestPageTableBuilder _table;
    private readonly Device _a;
    private readonly Device _b;
    private readonly List<string> _trace = new();

    public GuestQueueTests()
    {
        _host = new IntelScenario();
        _vm = _host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, VridA), new IntelVmDevice(0x0108, VridB, Ats: false));
        _vm.Viommu.Trace = _trace.Add;
        (_a, _b) = (_vm.Device(VridA), _vm.Device(VridB));
        _queue = _vm.EnableGuestIommu();
        _table = _vm.NewPageTable();
        for (ulong i = 0; i < 4; i++)
        {
            _table.Map(Iova + (i << 12), Buffer + (i << 12));
        }

        Assert.True(_vm.GuestAttach(VridA, GuestDid, _table));
        Assert.True(_vm.GuestAttach(VridB, GuestDid, _table));
    }

    private HwptNested Nested => (HwptNested)_vm.Viommu.BoundHwpt(VridA)!;

    private ushort HostDid => ((IntelNestedDomain)Nested.Domain).Did;

    [Fact]
    public void GuestDidIsTranslatedToTheNestedHwptAndItsHostDid()
    {
        Assert.Same(Nested, _vm.Viommu.BoundHwpt(VridB));
        Assert.Equal([Nested], _vm.Viommu.NestedHwptsFor(GuestDid));
        Assert.Empty(_vm.Viommu.NestedHwptsFor(GuestDid + 1));
        Assert.NotEqual(GuestDid, HostDid);
        Assert.True(_host.Iommu.TryReadPasidEntry(_a, null, out var pe));
        Assert.Equal(_table.Root, pe.Fsptptr);
        Assert.Equal(HostDid, (ushort)pe.Did);
    }

    [Fact]
    public void VirtualRidTableRefusesDuplicatesAndForeignDevices()
    {
        var spare = _vm.Fd.BindDevice(_host.Iommu, 0x0120, atsCapable: false, pasidBits: 0).Value;
        Assert.Equal(Errno.EEXIST, _vm.Viommu.AddDevice(VridA, spare).Error);
        Assert.Equal(Errno.EEXIST, _vm.Viommu.AddDevice(0x30, _a).Error);
        var other = _host.CreateVm("other", 0x0200_0000, new IntelVmDevice(0x0500, 0x08));
        Assert.Equal(Errno.EINVAL, _vm.Viommu.AddDevice(0x38, other.Device(0x08)).Error);
        Assert.True(_vm.Viommu.AddDevice(0x28, spare).IsOk);
        Assert.Same(spare, _vm.Viommu.FindDevice(0x28));
        Assert.Null(_vm.Viommu.FindDevice(0x40));
    }

    [Fact]
    public void PasidIotlbInvalidationIsForwardedAndTheHostSynthesizesTheAtcFlush()
    {
        Warm();
        _table.Unmap(Iova);
        Assert.Equal(TranslationSource.Atc, _a.Translate(Iova, null, Access.Read).Source);
        Assert.Equal(TranslationSource.Iotlb, _b.Translate(Iova, null, Access.Read).Source);
        var forwarded = _vm.Viommu.ForwardedInvalidations;

        Assert.True(_queue.SubmitSync(QiCommands.PasidIotlb(GuestDid, 0, Iova)));

        Assert.Equal(forwarded + 1, _vm.Viommu.ForwardedInvalidations);
        Assert.Equal(FaultReason.SmFirstStageEntryNotPresent, IntelVtdIommu.ReasonOf(_a.Translate(Iova, null, Access.Read).Fault!));
        Assert.Equal(FaultReason.SmFirstStageEntryNotPresent, IntelVtdIommu.ReasonOf(_b.Translate(Iova, null, Access.Read).Fault!));
        Assert.Equal(TranslationSource.Atc, _a.Translate(Iova + 0x1000, null, Access.Read).Source);
        Assert.Contains(_trace, l => l.Contains("IOMMU_HWPT_INVALIDATE", StringComparison.Ordinal) && l.Contains($"hwpt {Nested.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public void GuestDeviceTlbDescriptorsAreCompletedButNeverReachTheDevice()
    {
        Warm();
        _table.Unmap(Iova);
        var absorbed = _vm.Viommu.DeviceTlbDescriptorsAbsorbed;

        Assert.True(_queue.SubmitSync(QiCommands.DeviceTlb(VridA, Iova), QiCommands.PasidDeviceTlb(VridA, 0, Iova)));

        Assert.Equal(absorbed + 2, _vm.Viommu.DeviceTlbDescriptorsAbsorbed);
        Assert.Equal(TranslationSource.Atc, _a.Translate(Iova, null, Access.Read).Source); // still stale: only the IOTLB invalidation flushes it
        Assert.True(_queue.SubmitSync(QiCommands.PasidIotlb(GuestDid, 0, Iova)));
        Assert.False(_a.Translate(Iova, null, Access.Read).IsOk);
    }

    [Fact]
    public void DomainSelectiveIotlbInvalidationFlushesTheWholeNestedHwpt()
    {
        Warm();
        Assert.True(_queue.SubmitSync(QiCommands.IotlbDomain(GuestDid)));
        Assert.Equal(0, _a.Atc.Count);
        Assert.False(_host.Iommu.Iotlb.Contains(HostDid, 0, Iova + 0x3000));
    }

    [Fact]
    public void PageSelectiveRangesUseTheAddressMask()
    {
        Warm();
        Assert.True(_queue.SubmitSync(QiCommands.PasidIotlb(GuestDid, 0, Iova + 0x2000, am: 1)));
        Assert.True(_host.Iommu.Iotlb.Contains(HostDid, 0, Iova + 0x1000));
        Assert.False(_host.Iommu.Iotlb.Contains(HostDid, 0, Iova + 0x2000));
        Assert.False(_host.Iommu.Iotlb.Contains(HostDid, 0, Iova + 0x3000));
        Assert.True(_a.Atc.Contains(0, Device.NoPasid, Iova + 0x1000));
        Assert.False(_a.Atc.Contains(0, Device.NoPasid, Iova + 0x3000));
    }

    [Fact]
    public void InvalidationOfAGuestDidWithNoHwptCompletesWithoutEffect()
    {
        Warm();
        var forwarded = _vm.Viommu.ForwardedInvalidations;
        Assert.True(_queue.SubmitSync(QiCommands.PasidIotlbAll(77, 0), QiCommands.IotlbDomain(77), QiCommands.PasidIotlbAll(GuestDid, 9)));
        Assert.Equal(forwarded, _vm.Viommu.ForwardedInvalidations);
        Assert.Equal(4, _a.Atc.Count);
        Assert.False(_vm.Viommu.Faults.Fsts.Iqe);
    }

    [Fact]
    public void WaitWritesItsStatusAndTheInterruptFollowsIectlAndIcs()
    {
        var interrupts = 0;
        _vm.Viommu.CompletionInterrupt = () => interrupts++;

        // IECTL.IM is set after reset: the event is pending
        var slot = _queue.WriteWait(interrupt: true);
        _queue.Ring();
        Assert.True(_queue.IsDone(slot));
        Assert.Equal(0, interrupts);
        Assert.True(_vm.Viommu.Ics.Iwc && _vm.Viommu.Iectl.Ip);

        // unmasking sends it
        _vm.Viommu.WriteRegister(VtdRegister.InvalidationEventControl, 0);
        Assert.Equal(1, interrupts);
        Assert.False(_vm.Viommu.Iectl.Ip);

        // while ICS.IWC is set another wait raises nothing; after W1C it does
        _queue.WriteWait(interrupt: true);
        _queue.Ring();
        Assert.Equal(1, interrupts);
        _vm.Viommu.WriteRegister(VtdRegister.InvalidationCompletionStatus, InvalidationCompletionStatusRegister.Create().WithIwc(true).GetWord(0));
        Assert.False(_vm.Viommu.Ics.Iwc);
        _queue.Write(InvalidationWait256.Create().WithIf(true));
        _queue.Ring();
        Assert.Equal(2, interrupts);
        Assert.True(_vm.Viommu.Ics.Iwc);
    }

    [Fact]
    public void WaitWithNeitherStatusWriteNorInterruptIsAnIqe()
    {
        var head = _vm.Viommu.HeadIndex;
        _queue.Write(InvalidationWait256.Create());
        _queue.Ring();
        AssertIqe(InvalidationQueueErrorInfo.ReservedFieldViolation, head);
    }

    [Fact]
    public void StatusWriteOutsideGuestRamIsAnIqeAndRaisesNoInterrupt()
    {
        var interrupts = 0;
        _vm.Viommu.CompletionInterrupt = () => interrupts++;
        _vm.Viommu.WriteRegister(VtdRegister.InvalidationEventControl, 0);
        var head = _vm.Viommu.HeadIndex;
        _queue.Write(InvalidationWait256.Create().WithSw(true).WithIf(true).WithStatusData(2).WithStatusAddress(0x7_0000_0000));
        _queue.Ring();
        AssertIqe(InvalidationQueueErrorInfo.InfoNotAvailable, head);
        Assert.Equal(0, interrupts);
        Assert.False(_vm.Viommu.Ics.Iwc);
    }

    [Fact]
    public void StatusAddressAtTheTopOfTheAddressSpaceNeverWrapsIntoHostMemory()
    {
        _host.Host.Back(0, 0x1000);
        var head = _vm.Viommu.HeadIndex;
        _queue.Write(InvalidationWait256.Create().WithSw(true).WithStatusData(0xDEAD_BEEF).WithStatusAddress(0xFFFF_FFFF_FFFF_FFFC));
        _queue.Ring();

        AssertIqe(InvalidationQueueErrorInfo.InfoNotAvailable, head);
        Assert.True(_host.Host.TryReadUInt32(0, out var word));
        Assert.Equal(0u, word);
    }

    [Fact]
    public void ReservedBitInAnyDescriptorTypeStopsTheQueueOnIt()
    {
        var valid = new Dictionary<ulong, byte[]>
        {
            [ContextCacheInvalidate256.TypeValue] = ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.Global).ToBytes(),
            [IotlbInvalidate256.TypeValue] = IotlbInvalidate256.Create().WithG(IotlbGranularity.DomainSelective).WithDid(GuestDid).ToBytes(),
            [DeviceTlbInvalidate256.TypeValue] = DeviceTlbInvalidate256.Create().WithSid(VridA).ToBytes(),
            [InterruptEntryCacheInvalidate256.TypeValue] = InterruptEntryCacheInvalidate256.Create().ToBytes(),
            [InvalidationWait256.TypeValue] = InvalidationWait256.Create().WithSw(true).WithStatusData(2).WithStatusAddress(_queue.StatusArea + 0x800).ToBytes(),
            [PasidIotlbInvalidate256.TypeValue] = PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PasidSelective).WithDid(GuestDid).ToBytes(),
            [PasidCacheInvalidate256.TypeValue] = PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.PasidSelective).WithDid(GuestDid).ToBytes(),
            [PasidDeviceTlbInvalidate256.TypeValue] = PasidDeviceTlbInvalidate256.Create().WithSid(VridA).ToBytes(),
            [PageGroupResponse256.TypeValue] = PageGroupResponse256.Create().WithRid(VridA).ToBytes(),
        };
        var checkedBits = 0;
        foreach (var member in QiDescriptor256Set.Descriptor.Members)
        {
            var good = valid[member.Opcode];
            Assert.True(QiDescriptor256Set.Decode(good).Validate().IsValid);
            foreach (var reserved in member.Format.Layout.Reserved.Where(r => r.Rule == ReservedRule.MustBeZero))
            {
                foreach (var bit in new[] { reserved.Segment.Lsb, reserved.Segment.Msb })
                {
                    var bad = (byte[])good.Clone();
                    bad[bit / 8] |= (byte)(1 << (bit % 8));
                    var head = _vm.Viommu.HeadIndex;
                    var slot = WriteRawThenWait(bad);
                    _queue.Ring();

                    AssertIqe(InvalidationQueueErrorInfo.ReservedFieldViolation, head);
                    Assert.False(_queue.IsDone(slot));
                    _queue.RecoverFromError();
                    checkedBits++;
                }
            }
        }

        Assert.True(checkedBits > 40);
        Assert.True(_queue.SubmitSync(QiCommands.PasidIotlbAll(GuestDid, 0)));
    }

    [Theory]
    [InlineData(0x0UL)]
    [InlineData(0xAUL)]
    [InlineData(0xFUL)]
    [InlineData(0x205UL)] // type-high bits 11:9 = 1 with low type 5: type 0x15
    public void UnknownDescriptorTypesAreIqe(ulong word0)
    {
        var bad = new byte[32];
        BitConverter.GetBytes(word0).CopyTo(bad, 0);
        var head = _vm.Viommu.HeadIndex;
        var slot = WriteRawThenWait(bad);
        _queue.Ring();
        AssertIqe(InvalidationQueueErrorInfo.InvalidDescriptorType, head);
        Assert.False(_queue.IsDone(slot));
    }

    [Fact]
    public void TheQueueStaysStoppedUntilTheGuestClearsIqeThenResumesAtIqh()
    {
        Warm();
        _table.Unmap(Iova);
        var head = _vm.Viommu.HeadIndex;
        _queue.WriteRaw(new byte[32]); // type 0
        QiCommands.PasidIotlb(GuestDid, 0, Iova).WriteTo(_queue);
        var slot = _queue.WriteWait();
        _queue.Ring();
        AssertIqe(InvalidationQueueErrorInfo.InvalidDescriptorType, head);
        Assert.Equal(TranslationSource.Atc, _a.Translate(Iova, null, Access.Read).Source); // nothing after the bad descriptor ran

        _queue.Ring();
        Assert.False(_queue.IsDone(slot));

        // W1C IQE alone does not restart fetching; the guest fixes the slot and writes IQT again
        _vm.Viommu.WriteRegister(VtdRegister.FaultStatus, FaultStatusRegister.Create().WithIqe(true).GetWord(0));
        Assert.False(_queue.IsDone(slot));
        _vm.Memory.TryWrite(_queue.SlotAddress(head), InvalidationWait256.Create().WithSw(true).WithStatusData(2).WithStatusAddress(_queue.StatusArea + 0x800).ToBytes());
        _queue.Ring();
        Assert.True(_queue.IsDone(slot));
        Assert.False(_a.Translate(Iova, null, Access.Read).IsOk);
    }

    [Fact]
    public void AnIqeSignalsAFaultEventOnlyWhenNothingWasPending()
    {
        var events = 0;
        _vm.Viommu.Faults.Interrupt = () => events++;
        _vm.Viommu.WriteRegister(VtdRegister.FaultEventControl, 0); // unmask
        _queue.WriteRaw(new byte[32]);
        _queue.Ring();
        Assert.Equal(1, events);
        Assert.True(_vm.Viommu.Faults.Fsts.Iqe);
        _queue.Ring();
        Assert.Equal(1, events);
    }

    [Fact]
    public void TailWithBit4SetIn256BitModeIsMisalignedAndIgnored()
    {
        var tail = _vm.Viommu.TailIndex;
        _vm.Viommu.WriteRegister(VtdRegister.InvalidationQueueTail, _queue.TailRegisterValue(tail + 1) | InvalidationQueueTailRegister.Create().WithQt(1).GetWord(0));
        Assert.True(_vm.Viommu.Faults.Fsts.Iqe);
        Assert.Equal(InvalidationQueueErrorInfo.QueueTailMisaligned, _vm.Viommu.Iqercd.Iqei);
        Assert.Equal(tail, _vm.Viommu.TailIndex);
    }

    [Fact]
    public void TailBeyondTheQueueIsAnInvalidTailPointer()
    {
        var head = _vm.Viommu.HeadIndex;
        _vm.Viommu.WriteRegister(VtdRegister.InvalidationQueueTail, _queue.TailRegisterValue(_vm.Viommu.QueueSize));
        AssertIqe(InvalidationQueueErrorInfo.InvalidTailPointer, head);
    }

    [Fact]
    public void AQueueOutsideGuestRamIsADescriptorFetchError()
    {
        var host = new IntelScenario();
        var vm = host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, VridA));
        vm.Viommu.WriteRegister(VtdRegister.InvalidationQueueAddress, InvalidationQueueAddressRegister.Create().WithDw(DescriptorWidth.Bits256).WithIqa(0x10_0000_0000).GetWord(0));
        vm.Viommu.WriteRegister(VtdRegister.GlobalCommand, GlobalCommandRegister.Create().WithQie(true).GetWord(0));
        vm.Viommu.WriteRegister(VtdRegister.InvalidationQueueTail, InvalidationQueueTailRegister256.Create().WithQt(1).GetWord(0));
        Assert.True(vm.Viommu.Faults.Fsts.Iqe);
        Assert.Equal(InvalidationQueueErrorInfo.DescriptorFetchError, vm.Viommu.Iqercd.Iqei);
        Assert.Equal(0UL, vm.Viommu.HeadIndex);
    }

    [Fact]
    public void PageSelectiveIotlbAboveMamvIsAnIqe()
    {
        var head = _vm.Viommu.HeadIndex;
        _queue.Write(IotlbInvalidate256.Create().WithG(IotlbGranularity.PageSelective).WithDid(GuestDid).WithAm(IntelVirtualIommu.MaxAddressMask + 1));
        _queue.Ring();
        AssertIqe(InvalidationQueueErrorInfo.ReservedFieldViolation, head);
    }

    [Fact]
    public void ALegacyWidthQueueProcesses128BitDescriptorsAndRejectsPasidOnes()
    {
        var host = new IntelScenario();
        var vm = host.CreateVm("vm", 0x0200_0000, new IntelVmDevice(0x0100, VridA));
        var queue = vm.EnableGuestIommu(descriptors256: false);
        Assert.False(vm.Viommu.DescriptorsAre256Bit);
        Assert.Equal(256UL, vm.Viommu.QueueSize);
        Assert.True(queue.SubmitSync(QiCommands.Of(IotlbInvalidate.Create().WithG(IotlbGranularity.Global)), QiCommands.Of(ContextCacheInvalidate.Create().WithG(ContextCacheGranularity.Global))));
        Assert.Equal(0UL, vm.Viommu.HeadRegisterValue & 0xF);

        var head = vm.Viommu.HeadIndex;
        queue.Write(PasidIotlbInvalidate.Create().WithG(PasidIotlbGranularity.PasidSelective).WithDid(1));
        queue.Ring();
        Assert.True(vm.Viommu.Faults.Fsts.Iqe);
        Assert.Equal(InvalidationQueueErrorInfo.InvalidDescriptorWidth, vm.Viommu.Iqercd.Iqei);
        Assert.Equal(head, vm.Viommu.HeadIndex);
    }

    [Fact]
    public void PasidCacheInvalidationReShadowsAChangedGuestEntryWithReplace()
    {
        Warm();
        var old = Nested;
        var table2 = _vm.NewPageTable();
        table2.Map(Iova, Buffer + 0x10_0000);
        _vm.GuestContext.SetFirstStage(VridA, 0, GuestDid, table2.Root);

        // until the guest invalidates, the old configuration stays in force
        Assert.Same(old, _vm.Viommu.BoundHwpt(VridA));
        Assert.True(_queue.SubmitSync(QiCommands.PasidCache(GuestDid, 0), QiCommands.PasidIotlbAll(GuestDid, 0)));

        var now = (HwptNested)_vm.Viommu.BoundHwpt(VridA)!;
        Assert.NotSame(old, now);
        Assert.Same(now, _a.Attached);
        Assert.Same(old, _b.Attached); // B's entry did not change
        var r = _a.Translate(Iova, null, Access.Read);
        Assert.Equal(_vm.HpaOf(Buffer + 0x10_0000), r.Hpa);
        Assert.Contains(_trace, l => l.Contains("replace", StringComparison.Ordinal));
    }

    [Fact]
    public void ContextCacheInvalidationAfterClearingTheEntryBlocksTheDeviceAndDestroysTheUnusedHwpt()
    {
        var old = Nested;
        _vm.GuestContext.ClearPasidEntry(VridA, 0);
        _vm.GuestContext.ClearPasidEntry(VridB, 0);
        Assert.True(_queue.SubmitSync(QiCommands.ContextGlobal()));

        Assert.Null(_a.Attached);
        Assert.Null(_vm.Fd.Get<HwptNested>(old.Id));
        var f = _a.Translate(Iova, null, Access.Read).Fault!;
        Assert.Equal(TranslationStage.Config, f.Stage);
        Assert.Equal(FaultReason.SmPasidTableEntryNotPresent, IntelVtdIommu.ReasonOf(f));
    }

    [Fact]
    public void PassThroughGuestEntryAttachesTheNestParent()
    {
        _vm.GuestContext.SetPassThrough(VridB, 0, 9);
        Assert.True(_queue.SubmitSync(QiCommands.ContextDevice(VridB)));
        Assert.Same(_vm.NestParent, _b.Attached);
        Assert.Equal(_vm.HpaOf(Buffer), _b.Translate(Buffer, null, Access.Read).Hpa);
    }

    [Fact]
    public void GuestEntriesTheVirtualUnitDoesNotOfferAreBlocked()
    {
        _vm.GuestContext.SetPasidEntry(VridB, 0, PasidTableEntry.Create().WithP(true).WithPgtt(PasidGranularTranslationType.Nested).WithDid(3).WithFsptptr(_table.Root));
        Assert.True(_queue.SubmitSync(QiCommands.ContextDevice(VridB)));
        Assert.Null(_b.Attached);
    }

    [Fact]
    public void DisablingGuestTranslationFallsBackToTheNestParent()
    {
        _vm.Viommu.WriteRegister(VtdRegister.GlobalCommand, _vm.Viommu.PersistentCommand.WithTe(false).GetWord(0));
        Assert.Same(_vm.NestParent, _a.Attached);
        Assert.Equal(_vm.HpaOf(Buffer), _a.Translate(Buffer, null, Access.Read).Hpa);
        Assert.Empty(_vm.Viommu.NestedHwptsFor(GuestDid));
    }

    [Fact]
    public void StageOneFaultsAreInjectedWithTheVirtualRid()
    {
        _b.Translate(Iova + 0x10_0000, null, Access.Read);
        Assert.Equal(1, _vm.Viommu.InjectStage1Faults());
        var r = _vm.Viommu.Faults.Record((int)_vm.Viommu.Faults.Fsts.Fri);
        Assert.Equal(VridB, (ushort)r.Sid);
        Assert.Equal(FaultReason.SmFirstStageEntryNotPresent, r.Fr);
        Assert.True(_vm.Viommu.Faults.Fsts.Ppf);
        var hi = _vm.Viommu.ReadRegister(VtdRegister.FaultRecord + ((int)_vm.Viommu.Faults.Fsts.Fri * 16) + 8);
        Assert.Equal(r.GetWord(1), hi);

        _vm.Viommu.WriteRegister(VtdRegister.FaultRecord + ((int)_vm.Viommu.Faults.Fsts.Fri * 16) + 8, FaultRecord.Create().WithF(true).GetWord(1));
        Assert.False(_vm.Viommu.Faults.Fsts.Ppf);
    }

    [Fact]
    public void DmaAfterACompletedWaitNeverSeesAStaleEntry()
    {
        for (var round = 0; round < 4; round++)
        {
            Warm();
            var page = Iova + ((ulong)round << 12);
            _table.Unmap(page);
            QiCommands.PasidIotlb(GuestDid, 0, page).WriteTo(_queue);
            var slot = _queue.WriteWait();
            _queue.Ring();
            Assert.True(_queue.IsDone(slot));
            Assert.False(_a.Translate(page, null, Access.Read).IsOk);
            Assert.False(_b.Translate(page, null, Access.Read).IsOk);
            _table.Map(page, Buffer + ((ulong)round << 12));
            Assert.True(_queue.SubmitSync(QiCommands.PasidIotlb(GuestDid, 0, page)));
        }
    }

    [Fact]
    public void ForwardingAGuestInvalidationDoesNotAllocatePerCommandOnceWarm()
    {
        // doorbell → decode → IOMMU_HWPT_INVALIDATE → host queue → synthesized device-TLB invalidation → ATC
        var piotlb = PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PageSelectiveWithinPasid).WithDid(GuestDid).WithAddr(Iova);
        _vm.Viommu.Trace = null;
        for (var i = 0; i < 50; i++)
        {
            _a.Translate(Iova, null, Access.Read);
            _queue.Write(piotlb);
            _queue.Ring();
        }

        var forwarded = _vm.Viommu.ForwardedInvalidations;
        var least = AllocationMeter.LeastAllocated(
            () =>
            {
                for (var i = 0; i < 200; i++)
                {
                    _queue.Write(piotlb);
                    _queue.Ring();
                    _a.Translate(Iova, null, Access.Read);
                }
            },
            windows: 3);
        Assert.True(_vm.Viommu.ForwardedInvalidations >= forwarded + 400, "every window forwards its 200 commands");
        Assert.True(least < 1024, $"{least} bytes for 200 commands"); // one allocation per command would be ≥ 4800
    }

    private void Warm()
    {
        for (ulong i = 0; i < 4; i++)
        {
            Assert.True(_a.Translate(Iova + (i << 12), null, Access.Read).IsOk);
            Assert.True(_b.Translate(Iova + (i << 12), null, Access.Read).IsOk);
        }
    }

    private ulong WriteRawThenWait(byte[] bad)
    {
        _queue.WriteRaw(bad);
        return _queue.WriteWait();
    }

    private void AssertIqe(InvalidationQueueErrorInfo info, ulong head)
    {
        Assert.True(_vm.Viommu.Faults.Fsts.Iqe);
        Assert.Equal(info, _vm.Viommu.Iqercd.Iqei);
        Assert.Equal(head, _vm.Viommu.HeadIndex);
        Assert.Equal(InvalidationQueueHeadRegister256.Create().WithQh(head).GetWord(0), _vm.Viommu.ReadRegister(VtdRegister.InvalidationQueueHead));
    }
}
