using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Translation;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Tests.Arm;

/// <summary>
/// The vSMMU gathers runs of forwardable guest commands into one IOMMU_HWPT_INVALIDATE array
/// (<see cref="SmmuV3VirtualSmmu.ForwardBatchSize"/>): fewer kernel calls, and the same host state as forwarding each
/// command alone — also when a command in the middle of the run is refused.
/// </summary>
public sealed class ForwardBatchTests
{
    private const ulong Va = ArmTestVm.Va;

    [Theory]
    [InlineData(1, 40)]
    [InlineData(8, 5)]
    [InlineData(63, 1)]
    public void ARunOfInvalidationsIsOneCallPerBatch(int batchSize, int expectedCalls)
    {
        var t = new ArmTestVm();
        t.Vm.Vsmmu.ForwardBatchSize = batchSize;
        Warm(t);
        var calls = t.Vm.Vsmmu.InvalidateCalls;

        // 40 page invalidations: the 4 mapped pages of ASID 5 ten times over, interleaved with another ASID's pages
        var commands = Enumerable.Range(0, 40)
            .Select(i => TlbiNhVa.Create().WithAsid(i % 2 == 0 ? 5UL : 6UL).WithLeaf(true).WithAddress(Va + ((ulong)(i / 2 % 4) << 12)).ToBytes())
            .ToArray();
        Assert.True(t.Vm.Guest.Submit(commands));

        Assert.Equal(expectedCalls, t.Vm.Vsmmu.InvalidateCalls - calls);
        Assert.False(t.Vm.Vsmmu.Cmdq.ErrorActive);
        Assert.Equal(0, CachedPages(t));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    public void ARefusedCommandInARunLeavesEverythingBeforeItAppliedAndNothingAfter(int batchSize)
    {
        var t = new ArmTestVm();
        t.Vm.Vsmmu.ForwardBatchSize = batchSize;
        Warm(t);
        var errors = new List<Gerror>();
        var seenAtError = -1;
        t.Vm.Vsmmu.GlobalError = g =>
        {
            errors.Add(g);
            seenAtError = CachedPages(t); // what the guest's error handler can observe
        };

        var q = t.Vm.Vsmmu.Cmdq;
        var first = SmmuV3QueueIndex.Index(q.Cons.Rd, q.Log2Size);
        Assert.True(t.Vm.Guest.Submit(
            Page(0),
            Page(1),
            AtcInv.ForRange(0x55, 0, 0, 0).ToBytes(), // vSID 0x55 has no vDEVICE: CERROR_ILL
            Page(2)));

        Assert.Equal(CommandError.Ill, q.Cons.Err);
        Assert.Equal(first + 2, SmmuV3QueueIndex.Index(q.Cons.Rd, q.Log2Size)); // CONS on the refused command
        Assert.Single(errors);
        Assert.Equal(2, seenAtError); // pages 0 and 1 gone before the error was raised; pages 2 and 3 still cached
        Assert.Equal(2, CachedPages(t));
        Assert.True(t.Smmu.Iotlb.Contains(t.Vm.Vmid, 5, Va + 0x2000));
    }

    [Fact]
    public void ACommandTheVmmHandlesItselfComesAfterTheGatheredRun()
    {
        var t = new ArmTestVm();
        Warm(t);
        var calls = t.Vm.Vsmmu.InvalidateCalls;
        var cachedAtSync = -1;
        t.Vm.Vsmmu.SyncCompleted = _ => cachedAtSync = CachedPages(t);

        Assert.True(t.Vm.Guest.Submit(Page(0), Page(1), Page(2)));
        t.Vm.Guest.Sync();

        Assert.Equal(1, t.Vm.Vsmmu.InvalidateCalls - calls);
        Assert.Equal(1, cachedAtSync); // the sync signalled after the three invalidations reached the host
    }

    [Fact]
    public void TheBatchSizeIsBounded()
    {
        var t = new ArmTestVm();
        Assert.Equal(63, t.Vm.Vsmmu.ForwardBatchSize);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => t.Vm.Vsmmu.ForwardBatchSize = 0);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => t.Vm.Vsmmu.ForwardBatchSize = 1025);
    }

    private static byte[] Page(int i) => TlbiNhVa.Create().WithAsid(5).WithLeaf(true).WithAddress(Va + ((ulong)i << 12)).ToBytes();

    /// <summary>Translates the four mapped pages so that the host IOTLB holds them; a first run of commands that touches none of them.</summary>
    private static void Warm(ArmTestVm t)
    {
        for (var i = 0UL; i < 4; i++)
        {
            Assert.True(t.Device.Translate(Va + (i << 12), null, Access.Read).IsOk);
        }

        Assert.Equal(4, CachedPages(t));
        Assert.True(t.Vm.Guest.Submit(TlbiNhAsid.Create().WithAsid(9).ToBytes(), TlbiNhAsid.Create().WithAsid(9).ToBytes(), TlbiNhAsid.Create().WithAsid(9).ToBytes(), TlbiNhAsid.Create().WithAsid(9).ToBytes()));
        Assert.Equal(4, CachedPages(t));
    }

    private static int CachedPages(ArmTestVm t) => Enumerable.Range(0, 4).Count(i => t.Smmu.Iotlb.Contains(t.Vm.Vmid, 5, Va + ((ulong)i << 12)));
}
