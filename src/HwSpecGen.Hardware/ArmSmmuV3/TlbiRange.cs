using System;
using System.Collections.Generic;
using System.Numerics;

namespace HwSpecGen.Hardware.ArmSmmuV3;

/// <summary>
/// Range invalidation (SMMU_IDR3.RIL) for the address-based TLBI commands, both ways:
/// <see cref="Encode"/> splits an address range into the commands Linux <c>__arm_smmu_tlb_inv_range</c>
/// issues, and <see cref="Decode"/> / <see cref="SplitAligned"/> give the addresses one command covers as
/// QEMU <c>smmuv3_range_inval</c> reads it. Arm IHI 0070 §4.4.1.1: with TG != 0 a command covers
/// <c>(NUM + 1) * 2^SCALE</c> granules from its address; TTL is a level hint.
/// </summary>
public static class TlbiRange
{
    /// <summary>The largest NUM + 1 one command can express (Linux <c>CMDQ_TLBI_RANGE_NUM_MAX</c>).</summary>
    public const ulong MaxBlocksPerCommand = 31;

    /// <summary>The largest SCALE the 5-bit field holds (bit 25, SCALE[5], needs SMMU_IDR5.DS).</summary>
    public const ulong MaxScale = 31;

    /// <summary>
    /// Splits <c>[iova, iova + size)</c> into the TLBI address/range fields Linux
    /// <c>__arm_smmu_tlb_inv_range</c> produces. With range invalidation: TG is the leaf page size
    /// (<c>(pageShift - 10) / 2</c>); leaf invalidations carry the TTL of <paramref name="granule"/>
    /// (<c>4 - (log2(granule) - 3) / (pageShift - 3)</c>); non-leaf ones keep TTL = 0 and, to avoid the
    /// reserved NUM = SCALE = TTL = 0 encoding, grow a page count whose low five bits equal 1 by one page;
    /// then each command takes the lowest set bit of the remaining page count as SCALE and the next five
    /// bits as NUM + 1. Without range invalidation there is one non-range command (TG = 0) per
    /// <paramref name="granule"/>.
    /// </summary>
    /// <param name="iova">The first address (the commands keep its bits 63:12, as Linux's masks do).</param>
    /// <param name="size">The size in bytes (0 gives no command); a multiple of the page size with range invalidation.</param>
    /// <param name="granule">The invalidation granule io-pgtable passes (leaf page or block size); a power of two, at least the page size.</param>
    /// <param name="pageShift">log2 of the smallest page size of the domain (Linux <c>__ffs(pgsize_bitmap)</c>): 12, 14 or 16.</param>
    /// <param name="leaf">Leaf-only invalidation (Linux <c>cmd-&gt;tlbi.leaf</c>).</param>
    /// <param name="rangeInvalidation">Whether the SMMU supports range invalidation (<c>ARM_SMMU_FEAT_RANGE_INV</c>).</param>
    /// <returns>The fields of each command, in issue order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside the ranges described above, or the range wraps past 2^64.</exception>
    public static IReadOnlyList<TlbiRangeFields> Encode(ulong iova, ulong size, ulong granule, int pageShift, bool leaf, bool rangeInvalidation = true)
    {
        if (pageShift is not (12 or 14 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(pageShift), pageShift, "The page shift must be 12, 14 or 16.");
        }

        if (granule == 0 || !BitOperations.IsPow2(granule) || granule < 1UL << pageShift)
        {
            throw new ArgumentOutOfRangeException(nameof(granule), granule, "The granule must be a power of two no smaller than the page size.");
        }

        var pageMask = (1UL << pageShift) - 1;
        if (rangeInvalidation && (size & pageMask) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "With range invalidation the size must be a whole number of pages.");
        }

        if (size == 0)
        {
            return Array.Empty<TlbiRangeFields>();
        }

        if (size - 1 > ulong.MaxValue - iova || iova + size == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The range must end below 2^64.");
        }

        var end = iova + size;
        var commands = new List<TlbiRangeFields>();
        if (!rangeInvalidation)
        {
            for (var address = iova; address < end; address += granule)
            {
                commands.Add(new TlbiRangeFields(address, TlbiGranule.None, 0, 0, 0));
                if (address > ulong.MaxValue - granule)
                {
                    break;
                }
            }

            return commands;
        }

        var tg = (TlbiGranule)(ulong)((pageShift - 10) / 2);
        var pages = size >> pageShift;
        ulong ttl = 0;
        if (leaf)
        {
            ttl = (ulong)(4 - ((BitOperations.Log2(granule) - 3) / (pageShift - 3)));
        }
        else if ((pages & MaxBlocksPerCommand) == 1)
        {
            pages++;
        }

        var next = iova;
        while (next < end && pages != 0)
        {
            var scale = BitOperations.TrailingZeroCount(pages);
            var blocks = (pages >> scale) & MaxBlocksPerCommand;
            commands.Add(new TlbiRangeFields(next, tg, blocks - 1, (ulong)scale, ttl));
            pages -= blocks << scale;
            var covered = (UInt128)blocks << (scale + pageShift);
            if (covered >= (UInt128)(ulong.MaxValue - next) + 1)
            {
                break;
            }

            next += (ulong)covered;
        }

        return commands;
    }

    /// <summary>
    /// The span one command covers, as QEMU <c>smmuv3_range_inval</c> computes it: with TG != 0,
    /// <c>(Num + 1) &lt;&lt; Scale</c> pages of <c>2^(TG * 2 + 10)</c> bytes from <paramref name="address"/>;
    /// with TG = 0 a single page, which QEMU's <c>smmu_iotlb_inv_iova</c> treats as 4 KiB (architecturally:
    /// whatever entry holds the address).
    /// </summary>
    /// <param name="address">The command's address field.</param>
    /// <param name="tg">The command's TG.</param>
    /// <param name="num">The command's NUM.</param>
    /// <param name="scale">The command's SCALE.</param>
    /// <returns>The covered span.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="num"/> or <paramref name="scale"/> does not fit its field.</exception>
    public static TlbiSpan Decode(ulong address, TlbiGranule tg, ulong num, ulong scale)
    {
        if (num > MaxBlocksPerCommand || scale > MaxScale)
        {
            throw new ArgumentOutOfRangeException(nameof(num), num, "NUM and SCALE are 5-bit fields.");
        }

        return tg == TlbiGranule.None
            ? new TlbiSpan(address, 1, 12)
            : new TlbiSpan(address, (num + 1) << (int)scale, (int)(ulong)tg * 2 + 10);
    }

    /// <summary>
    /// Splits <paramref name="span"/> into naturally aligned power-of-two pieces the way QEMU
    /// <c>smmuv3_range_inval</c> loops with <c>dma_aligned_pow2_mask</c>: each piece is the largest
    /// power-of-two block that starts at the current address, is aligned to its size and does not pass the
    /// end of the span.
    /// </summary>
    /// <param name="span">The span (from <see cref="Decode"/>).</param>
    /// <returns>The pieces, in address order; together they cover exactly <paramref name="span"/>.</returns>
    public static IReadOnlyList<TlbiSpan> SplitAligned(TlbiSpan span)
    {
        var pieces = new List<TlbiSpan>();
        var last = span.Last;
        var start = span.Address;
        while (true)
        {
            var remainingMask = last - start;
            var alignmentMask = start == 0 ? ulong.MaxValue : (start & (~start + 1)) - 1;
            ulong mask;
            if (alignmentMask <= remainingMask)
            {
                mask = alignmentMask;
            }
            else if (remainingMask == ulong.MaxValue)
            {
                mask = ulong.MaxValue;
            }
            else
            {
                mask = (1UL << BitOperations.Log2(remainingMask + 1)) - 1;
            }

            pieces.Add(new TlbiSpan(start, (ulong)(((UInt128)mask + 1) >> span.GranuleShift), span.GranuleShift));
            if (mask == last - start)
            {
                return pieces;
            }

            start += mask + 1;
        }
    }
}
