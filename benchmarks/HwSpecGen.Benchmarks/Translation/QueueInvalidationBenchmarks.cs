using System;
using BenchmarkDotNet.Attributes;

namespace HwSpecGen.Benchmarks.Translation;

/// <summary>
/// The guest's queue path for page invalidations, end to end: the guest rings the doorbell (AMD CommandTail, VT-d IQT,
/// SMMU CMDQ_PROD) for 32 pre-written page invalidations (INVALIDATE_IOMMU_PAGES S=0, PASID-based IOTLB
/// invalidate AM=0, CMD_TLBI_NH_VA leaf); the emulated vIOMMU reads each entry from guest memory, decodes and checks it
/// with the generated structs, maps guest IDs to host IDs and invalidates through the host IOMMU. Per command. The vSMMU
/// gathers the run into one IOMMU_HWPT_INVALIDATE; "arm-smmuv3 (1 command per call)" forwards each alone, as QEMU does.
/// Goal: ≥ 10 M page-invalidation commands per second on one core with 1 M cached entries (<see cref="Cached"/>).
/// </summary>
public class QueueInvalidationBenchmarks
{
    /// <summary>Commands per doorbell (half the smallest queue: the SMMU's 64-entry CMDQ).</summary>
    public const int Batch = 32;

    private VendorFixture _fixture = null!;

    [ParamsSource(nameof(AllVendors))]
    public string Vendor { get; set; } = "amd-vi";

    public static string[] AllVendors => [.. VendorFixture.Vendors, VendorFixture.ArmOneCommandPerCall];

    /// <summary>Other translations cached in the device's address space while the guest invalidates (0, or the goal's 1 M).</summary>
    [Params(0, 1_000_000)]
    public int Cached { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = VendorFixture.Create(Vendor);
        _fixture.FillIotlb(Cached);
        if (_fixture.Queue.Slots < 2 * Batch || !_fixture.Queue.Advance(Batch))
        {
            throw new InvalidOperationException($"{Vendor}: the queue did not consume the invalidations");
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int PageInvalidationCommand()
    {
        if (!_fixture.Queue.Advance(Batch))
        {
            throw new InvalidOperationException($"{Vendor}: the queue stopped");
        }

        return Batch;
    }
}
