using System;
using System.Linq;
using CsCheck;
using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// The range-invalidation helpers: Linux arm_smmu_tlb_inv_range_domain / __arm_smmu_tlb_inv_range (encode) and
/// QEMU smmuv3_range_inval + dma_aligned_pow2_mask (decode).
/// </summary>
public sealed class TlbiRangeTests
{
    [Fact]
    public void LinuxLeafRangeOf33Pages()
    {
        // __arm_smmu_tlb_inv_range(iova = 0x1000_0000, size = 33 * 4 KiB, granule = 4 KiB, leaf), pgsize_bitmap 4K|2M|1G:
        //   tg = __ffs(bitmap) = 12 -> cmd.tlbi.tg = 1; ttl = 4 - ((12 - 3) / (12 - 3)) = 3; num_pages = 33
        //   1st: scale = __ffs(33) = 0, num = 33 & 31 = 1 -> NUM 0, SCALE 0, 1 page;   num_pages = 32
        //   2nd: scale = 5, num = (32 >> 5) & 31 = 1   -> NUM 0, SCALE 5, 32 pages at iova + 0x1000
        var commands = TlbiNhVa.ForRange(asid: 0x8001, vmid: 0, iova: 0x1000_0000, size: 33 * 0x1000UL, granule: 0x1000, pageShift: 12, leaf: true);
        Assert.Equal(2, commands.Count);
        AssertCommand(commands[0], 0x1000_0000, TlbiGranule.Granule4K, num: 0, scale: 0, ttl: 3);
        AssertCommand(commands[1], 0x1000_1000, TlbiGranule.Granule4K, num: 0, scale: 5, ttl: 3);
        Assert.All(commands, c => Assert.True(c.Leaf && c.Asid == 0x8001 && c.Validate().IsValid));

        // Built the arm_smmu_cmdq_build_cmd way: cmd[0] = 0x12 | NUM << 12 | SCALE << 20 | ASID << 48,
        // cmd[1] = LEAF | TTL << 8 | TG << 10 | addr.
        Assert.Equal(new[] { 0x8001_0000_0050_0012UL, 0x0000_0000_1000_1701UL }, Qwords(commands[1].ToBytes()));
    }

    [Fact]
    public void LinuxLeafBlockRangeUsesTheBlockLevel()
    {
        // 3 x 2 MiB blocks, granule 2 MiB: ttl = 4 - ((21 - 3) / 9) = 2; num_pages = 1536 = 3 << 9 -> NUM 2, SCALE 9.
        var commands = TlbiS2Ipa.ForRange(vmid: 0x8000, iova: 0x1000_0000, size: 3UL << 21, granule: 1UL << 21, pageShift: 12, leaf: true);
        var c = Assert.Single(commands);
        Assert.Equal(0x8000UL, c.Vmid);
        Assert.Equal(TlbiGranule.Granule4K, c.Tg);
        Assert.Equal(2UL, c.Num);
        Assert.Equal(9UL, c.Scale);
        Assert.Equal(2UL, c.Ttl);
        Assert.Equal(new TlbiSpan(0x1000_0000, 1536, 12), c.CoveredRange);
    }

    [Fact]
    public void LinuxNonLeafAvoidsTheReservedZeroEncoding()
    {
        // Non-leaf, one 64 KiB page: (num_pages & CMDQ_TLBI_RANGE_NUM_MAX) == 1 -> num_pages = 2: NUM 0, SCALE 1, TTL 0
        // (NUM = SCALE = TTL = 0 with TG != 0 is reserved). Two pages are invalidated.
        var c = Assert.Single(TlbiNhVa.ForRange(1, 0, 0x8_0000, 0x1_0000, 0x1_0000, 16, leaf: false));
        AssertCommand(c, 0x8_0000, TlbiGranule.Granule64K, num: 0, scale: 1, ttl: 0);
        Assert.True(c.Validate().IsValid);
        Assert.Equal(new TlbiSpan(0x8_0000, 2, 16), c.CoveredRange);

        // 33 pages non-leaf -> 34: one command NUM 16, SCALE 1.
        var d = Assert.Single(TlbiNhVa.ForRange(1, 0, 0, 33 * 0x1000UL, 0x1000, 12, leaf: false));
        AssertCommand(d, 0, TlbiGranule.Granule4K, num: 16, scale: 1, ttl: 0);
    }

    [Fact]
    public void LinuxSixteenKilobyteRange()
    {
        // 2047 pages of 16 KiB: 31 (SCALE 0), 31 << 5 (SCALE 5), 1 << 10 (SCALE 10); TTL = 4 - (11 / 11) = 3.
        var commands = TlbiEl2Va.ForRange(0xFFFF, 0x4000_0000_0000, 2047 * 0x4000UL, 0x4000, 14, leaf: true);
        Assert.Equal(3, commands.Count);
        AssertCommand(commands[0], 0x4000_0000_0000, TlbiGranule.Granule16K, num: 30, scale: 0, ttl: 3);
        AssertCommand(commands[1], 0x4000_0007_C000, TlbiGranule.Granule16K, num: 30, scale: 5, ttl: 3);
        AssertCommand(commands[2], 0x4000_00FF_C000, TlbiGranule.Granule16K, num: 0, scale: 10, ttl: 3);
        Assert.Equal(2047UL, commands.Aggregate(0UL, (n, c) => n + c.CoveredRange.Pages));
    }

    [Fact]
    public void WithoutRangeInvalidationOneCommandPerGranule()
    {
        // !ARM_SMMU_FEAT_RANGE_INV: TG/NUM/SCALE/TTL stay 0 and iova advances by granule.
        var commands = TlbiNhVaa.ForRange(0, 0x3000, 3 * 0x1000UL, 0x1000, 12, leaf: true, rangeInvalidation: false);
        Assert.Equal(new ulong[] { 0x3000, 0x4000, 0x5000 }, commands.Select(c => c.Address));
        Assert.All(commands, c => Assert.True(c.Tg == TlbiGranule.None && c.Num == 0 && c.Scale == 0 && c.Ttl == 0 && c.Validate().IsValid));
        Assert.Equal(new TlbiSpan(0x4000, 1, 12), commands[1].CoveredRange);
        Assert.Empty(TlbiNhVa.ForRange(0, 0, 0, 0, 0x1000, 12, true));
    }

    [Fact]
    public void QemuSplitsACommandIntoAlignedPowersOfTwo()
    {
        // smmuv3_range_inval on NUM 0, SCALE 5, TG 1 at 0x1000_1000: num_pages = 32, granule = 12,
        // end = addr + (32 << 12) - 1; dma_aligned_pow2_mask gives 1, 2, 4, 8, 16 and 1 pages.
        var w = Words(TlbiEl2Vaa.Create().WithTg(TlbiGranule.Granule4K).WithScale(5).WithAddress(0x1000_1000).ToBytes());
        var span = TlbiRange.Decode(CmdAddr(w), (TlbiGranule)CmdTg(w), CmdNum(w), CmdScale(w));
        Assert.Equal(new TlbiSpan(0x1000_1000, 32, 12), span);
        var pieces = TlbiRange.SplitAligned(span);
        Assert.Equal(
            new[]
            {
                new TlbiSpan(0x1000_1000, 1, 12), new TlbiSpan(0x1000_2000, 2, 12), new TlbiSpan(0x1000_4000, 4, 12),
                new TlbiSpan(0x1000_8000, 8, 12), new TlbiSpan(0x1001_0000, 16, 12), new TlbiSpan(0x1002_0000, 1, 12),
            },
            pieces);

        // TG = 0: a single page; QEMU smmu_iotlb_inv_iova treats the granule as 4 KiB (tg ? tg * 2 + 10 : 12).
        Assert.Equal(new TlbiSpan(0x5000, 1, 12), TlbiRange.Decode(0x5000, TlbiGranule.None, 0, 0));

        // The largest range: NUM 31, SCALE 31, 64 KiB at 0 covers 32 << 31 pages = 2^52 bytes in one aligned piece.
        var huge = TlbiRange.Decode(0, TlbiGranule.Granule64K, 31, 31);
        Assert.Equal(UInt128.One << 52, huge.Bytes);
        Assert.Equal(new[] { huge }, TlbiRange.SplitAligned(huge));
    }

    [Fact]
    public void LinuxRangesAreCoveredExactlyByQemuDecode()
    {
        // Property: for any page-aligned range, the leaf commands Linux would issue cover exactly the range when
        // QEMU decodes them (contiguous, no gaps, no overlap); non-leaf ones cover it and at most one extra page.
        var gen = Gen.Select(Gen.Int[0, 2], Gen.ULong[0, (1UL << 36) - 1], Gen.ULong[1, 1UL << 20], Gen.Bool, Gen.Int[0, 2]);
        gen.Sample((g, startPage, pages, leaf, level) =>
        {
            var pageShift = 12 + (2 * g);
            var iova = startPage << pageShift;
            var size = pages << pageShift;
            var granule = 1UL << (pageShift + (leaf ? level * (pageShift - 3) : 0));
            if (leaf && level > 0 && (size & (granule - 1)) != 0)
            {
                granule = 1UL << pageShift;
            }

            var commands = TlbiNhVa.ForRange(1, 2, iova, size, granule, pageShift, leaf);
            var next = iova;
            foreach (var c in commands)
            {
                var span = c.CoveredRange;
                Assert.Equal(next, span.Address);
                Assert.Equal(pageShift, span.GranuleShift);
                Assert.True(c.Validate().IsValid);
                var w = Words(c.ToBytes());
                Assert.Equal(span, TlbiRange.Decode(CmdAddr(w), (TlbiGranule)CmdTg(w), CmdNum(w), CmdScale(w)));

                var pieces = TlbiRange.SplitAligned(span);
                var at = span.Address;
                foreach (var p in pieces)
                {
                    Assert.Equal(at, p.Address);
                    Assert.True(System.Numerics.BitOperations.IsPow2(p.Pages));
                    Assert.Equal(0UL, p.Address & (ulong)(p.Bytes - 1));
                    at += (ulong)p.Bytes;
                }

                Assert.Equal(span.Address + (ulong)span.Bytes, at);
                next += (ulong)span.Bytes;
            }

            var covered = next - iova;
            if (leaf || (pages & 31) != 1)
            {
                Assert.Equal(size, covered);
            }
            else
            {
                Assert.Equal(size + (1UL << pageShift), covered);
            }
        }, iter: 500);
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TlbiRange.Encode(0, 0x1000, 0x1000, 13, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => TlbiRange.Encode(0, 0x1000, 0x800, 12, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => TlbiRange.Encode(0, 0x1800, 0x1000, 12, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => TlbiRange.Encode(ulong.MaxValue - 0xFFF, 0x2000, 0x1000, 12, true));
        Assert.Throws<ArgumentOutOfRangeException>(() => TlbiRange.Decode(0, TlbiGranule.Granule4K, 32, 0));
    }

    private static void AssertCommand(TlbiNhVa c, ulong address, TlbiGranule tg, ulong num, ulong scale, ulong ttl)
    {
        Assert.Equal(address, c.Address);
        Assert.Equal(tg, c.Tg);
        Assert.Equal(num, c.Num);
        Assert.Equal(scale, c.Scale);
        Assert.Equal(ttl, c.Ttl);
    }

    private static void AssertCommand(TlbiEl2Va c, ulong address, TlbiGranule tg, ulong num, ulong scale, ulong ttl)
    {
        Assert.Equal(address, c.Address);
        Assert.Equal(tg, c.Tg);
        Assert.Equal(num, c.Num);
        Assert.Equal(scale, c.Scale);
        Assert.Equal(ttl, c.Ttl);
    }
}
