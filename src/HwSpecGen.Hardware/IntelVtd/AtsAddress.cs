using System;
using System.Numerics;

namespace HwSpecGen.Hardware.IntelVtd;

/// <summary>
/// The PCIe ATS address/size encoding used by the device-TLB invalidate descriptors (types 3 and 8):
/// with S = 0 the descriptor covers one 4 KiB page; with S = 1 the lowest zero bit of ADDR[63:12] at bit
/// 12 + n means a naturally aligned range of 2^(n+1) pages.
/// </summary>
public static class AtsAddress
{
    /// <summary>The largest size order Linux passes: <c>MAX_AGAW_PFN_WIDTH</c> (52), "the whole address space".</summary>
    public const int MaxSizeOrder = 52;

    private const ulong PageMask = ~0xFFFUL;

    /// <summary>
    /// Encodes a range of 2^<paramref name="sizeOrder"/> 4 KiB pages starting at <paramref name="address"/>
    /// the way Linux <c>qi_desc_dev_iotlb_pasid</c> does: keep the page address, set ADDR bits
    /// (12 + sizeOrder - 2):12, clear bit 12 + sizeOrder - 1 and set S. Size order 0 is one page, S = 0.
    /// For an aligned address Linux <c>qi_desc_dev_iotlb</c> produces the same encoding.
    /// </summary>
    /// <param name="address">The first address of the range (bits 11:0 are dropped).</param>
    /// <param name="sizeOrder">Base-2 logarithm of the number of pages, 0 to <see cref="MaxSizeOrder"/>.</param>
    /// <returns>The ADDR field value (an address with bits 11:0 clear) and the S flag.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sizeOrder"/> is negative or above <see cref="MaxSizeOrder"/>.</exception>
    public static (ulong Address, bool S) Encode(ulong address, int sizeOrder)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeOrder);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sizeOrder, MaxSizeOrder);
        var encoded = address & PageMask;
        if (sizeOrder == 0)
        {
            return (encoded, false);
        }

        // Bits (12 + sizeOrder - 1):12 to one, then the top one of them back to zero.
        var ones = sizeOrder + 12 >= 64 ? PageMask : ((1UL << (sizeOrder + 12)) - 1) & PageMask;
        encoded |= ones;
        encoded &= ~(1UL << (12 + sizeOrder - 1));
        return (encoded, true);
    }

    /// <summary>
    /// The addresses a device-TLB invalidation covers, decoded as QEMU <c>do_invalidate_device_tlb</c>
    /// does: with S set the size is 8 KiB shifted left by the number of trailing one bits of ADDR[63:12],
    /// and the range is aligned down to that size; without S it is the single 4 KiB page.
    /// </summary>
    /// <param name="address">The ADDR field value (bits 11:0 are ignored).</param>
    /// <param name="s">The S (size) flag.</param>
    /// <returns>The covered range; <see cref="InvalidationRange.All"/> when the size reaches 2^64.</returns>
    public static InvalidationRange Decode(ulong address, bool s)
    {
        var page = address & PageMask;
        if (!s)
        {
            return new InvalidationRange(page, page + 0xFFF);
        }

        var trailingOnes = BitOperations.TrailingZeroCount(~(page >> 12));
        return InvalidationRange.Aligned(page, 13 + trailingOnes);
    }
}
