using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Core.Vendors.Intel;
using HwSpecGen.Fuzz.Harness;
using HwSpecGen.Fuzz.Harness.GuestQueues;
using HwSpecGen.Hardware.AmdVi;
using HwSpecGen.Hardware.ArmSmmuV3;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Fuzz.Tests;

/// <summary>
/// The guest-queue targets (<c>amd-vi.GuestQueue</c>, <c>arm-smmuv3.GuestQueue</c>, <c>intel-vtd.GuestQueue</c>) in
/// every test run: random and mutated inputs keep their invariants (the queue ends consumed or with the architected
/// error, VM B untouched), and each isolation check does fail when VM B is changed behind the attacker's back.
/// Their corpora and regression inputs replay in <see cref="RegressionReplayTests"/>.
/// </summary>
public sealed class GuestQueueTargetTests
{
    public static TheoryData<string> Targets => new() { "amd-vi.GuestQueue", "arm-smmuv3.GuestQueue", "intel-vtd.GuestQueue" };

    /// <summary>A change to VM B made after VM A's input ran, by target: each must make the target throw.</summary>
    private static readonly Dictionary<string, Func<FuzzTarget>> Tampered = new()
    {
        ["intel: VM B's ATC entries dropped"] = () => new IntelGuestQueueTarget(b => b.Device(0x08).Atc.InvalidateAll()),
        ["intel: the IOTLB flushed"] = () => new IntelGuestQueueTarget(b => b.Scenario.Iommu.Iotlb.InvalidateAll()),
        ["intel: a byte of a never-written page of VM B's RAM"] = () => new IntelGuestQueueTarget(b => b.Memory.TryWrite(0x2000, [1])),
        ["intel: a byte of VM B's invalidation queue"] = () => new IntelGuestQueueTarget(b => b.Memory.TryWrite(b.Queue!.Base + 0xFF0, [0xFF])),
        ["intel: VM B's IECTL"] = () => new IntelGuestQueueTarget(b => b.Viommu.WriteRegister(VtdRegister.InvalidationEventControl, 0)),
        ["intel: VM B's non-ATS device detached on the host"] = () => new IntelGuestQueueTarget(b => b.Scenario.Iommu.Detach(b.Device(0x10), null)),
        ["amd: VM B's ATC entries dropped"] = () => new AmdGuestQueueTarget(b => b.Device(0x0020).Atc.InvalidateAll()),
        ["amd: the IOTLB flushed"] = () => new AmdGuestQueueTarget(b => b.Scenario.Iommu.Iotlb.InvalidateAll()),
        ["amd: a byte of a never-written page of VM B's RAM"] = () => new AmdGuestQueueTarget(b => b.Memory.TryWrite(0x1000, [1])),
        ["amd: a byte of VM B's command buffer"] = () => new AmdGuestQueueTarget(b => b.Memory.TryWrite(b.CommandBufferGpa + 0x1FF0, [0xFF])),
        ["amd: VM B's Control register"] = () => new AmdGuestQueueTarget(b => b.GuestIommu.WriteMmio(AmdMmio.Control, AmdVm.GuestControl.WithComWaitIntEn(false).GetWord(0))),
        ["arm: VM B's ATC entries dropped"] = () => new ArmGuestQueueTarget(b => b.Devices[3].Atc.InvalidateAll()),
        ["arm: the IOTLB flushed"] = () => new ArmGuestQueueTarget(b => b.Vsmmu.Driver.Smmu.Iotlb.InvalidateAll()),
        ["arm: a byte of a never-written page of VM B's RAM"] = () => new ArmGuestQueueTarget(b => b.Memory.TryWrite(0x1000, [1])),
        ["arm: a byte of VM B's stream table"] = () => new ArmGuestQueueTarget(b => b.Memory.TryWrite(b.Guest.StreamTableBase + 0x1000, [0xFF])),
        ["arm: VM B's GERRORN"] = () => new ArmGuestQueueTarget(b => b.Vsmmu.WriteGerrorn(Gerrorn.Create().WithCmdqErr(true))),
    };

    public static TheoryData<string> Tampers
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var k in Tampered.Keys)
            {
                data.Add(k);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void TheTargetIsListedAndItsSeedsPass(string name)
    {
        var target = FuzzTargets.Find(name);
        Assert.NotNull(target);
        var seeds = target.Seeds().ToList();
        Assert.InRange(seeds.Count, 20, 80);
        Assert.All(seeds, s => Assert.InRange(s.Value.Length, 4, 1024));
        foreach (var (seed, bytes) in seeds)
        {
            var ex = Record.Exception(() => target.Run(bytes));
            Assert.True(ex is null, $"{name} seed {seed}: {ex}");
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void RandomAndMutatedInputsKeepTheInvariants(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var seeds = target.Seeds().Select(s => s.Value).ToArray();

        // raw bytes (mostly stopped at the first entry), and seeds with a few bytes changed (deeper: valid streams with one fault)
        var random = Gen.Byte.Array[0, 300];
        var mutated = Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Select(Gen.Int[0, 1023], Gen.Byte).Array[1, 6]).Select(t =>
        {
            var (which, edits) = t;
            var bytes = (byte[])seeds[which].Clone();
            foreach (var (at, value) in edits)
            {
                bytes[at % bytes.Length] ^= value;
            }

            return bytes;
        });
        Gen.Frequency((1, random), (2, mutated)).Sample(bytes => target.Run(bytes), iter: 300, threads: 1);
    }

    [Theory]
    [MemberData(nameof(Tampers))]
    public void TheIsolationCheckFailsWhenVmBIsChanged(string tamper)
    {
        var target = Tampered[tamper]();
        var honest = FuzzTargets.Find(target.Name)!;
        var seed = target.Seeds().First(s => s.Key.StartsWith("valid-", StringComparison.Ordinal)).Value;
        honest.Run(seed);
        var ex = Assert.Throws<FuzzInvariantException>(() => target.Run(seed));
        Assert.Contains("changed VM B", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheHeaderReadsFlagsOptionParameterAndZeroPaddedEntries()
    {
        var input = new GuestQueueInput([0b1000_0110, 7, 0x34, 0x12, 1, 2, 3]);
        Assert.Equal(GuestQueueInput.DoorbellRaw, input.Doorbell);
        Assert.True(input.Flag(2));
        Assert.True(input.Flag(7));
        Assert.False(input.Flag(3));
        Assert.Equal(7, input.Option);
        Assert.Equal(0x1234, input.Parameter);
        Assert.Equal(1, input.EntryCount(16, 64));
        var entry = new byte[16];
        input.CopyEntry(0, entry);
        Assert.Equal([1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], entry);
        Assert.Equal(0, new GuestQueueInput([1]).EntryCount(16, 64));
    }
}
