using System;
using System.Numerics;

namespace HwSpecGen.Hardware.AmdVi;

/// <summary>
/// The address/size encoding shared by INVALIDATE_IOMMU_PAGES and INVALIDATE_IOTLB_PAGES: the
/// <c>Address</c> field (address bits 63:12) together with the <c>S</c> bit.
/// </summary>
/// <remarks>
/// <para>
/// Encoding follows Linux <c>build_inv_address(address, last)</c> (drivers/iommu/amd/iommu.c): clear
/// address bits 11:0; let <c>k = fls64(address ^ last)</c>. For <c>k &lt;= 12</c> a single 4 KiB page
/// (S = 0); for <c>k &gt; 52</c> the "all pages" encoding; otherwise S = 1 and address bits
/// <c>[k-2 : 12]</c> are set to one (bit <c>k-1</c> is zero by construction), which names the smallest
/// naturally aligned 2^k-byte block containing the range.
/// </para>
/// <para>
/// Decoding follows QEMU <c>amdvi_decode_invalidation_size</c> (hw/i386/amd_iommu.c): S = 0 is one
/// 4 KiB page; with S = 1 let <c>z = cto64(address | 0xFFF)</c> (the first zero bit at or above bit
/// 12); <c>z &gt;= 51</c> is the whole address space, otherwise the block is 2^(z+1) bytes at
/// <c>address &amp; ~(size - 1)</c>.
/// </para>
/// </remarks>
public static class InvalidationAddress
{
    /// <summary>
    /// The address used for the "all pages" encoding (with S = 1): address bits 62:12 set, bit 63 and
    /// bits 11:0 clear. This is Linux's <c>CMD_INV_IOMMU_ALL_PAGES_ADDRESS</c> (0x7FFF_FFFF_FFFF_FFFF in
    /// the headers read) with bits 11:0 cleared, so that none of the command's S/PDE/GN or reserved
    /// bits 75:67 are touched.
    /// </summary>
    public const ulong AllPagesAddress = 0x7FFF_FFFF_FFFF_F000UL;

    /// <summary>
    /// Encodes the range <c>[address, last]</c> as Linux <c>build_inv_address</c> does.
    /// </summary>
    /// <param name="address">The first address to invalidate (bits 11:0 are ignored).</param>
    /// <param name="last">The last address to invalidate (inclusive).</param>
    /// <returns>The value for the command's <c>Address</c> field (bits 11:0 clear) and its <c>S</c> bit.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="last"/> is below <paramref name="address"/>.</exception>
    public static (ulong Address, bool S) Encode(ulong address, ulong last)
    {
        if (last < address)
        {
            throw new ArgumentOutOfRangeException(nameof(last), last, "The last address of a range must not be below its first address.");
        }

        address &= ~0xFFFUL;
        var sizeLog2 = 64 - BitOperations.LeadingZeroCount(address ^ last);
        if (sizeLog2 <= 12)
        {
            return (address, false);
        }

        if (sizeLog2 > 52)
        {
            return (AllPagesAddress, true);
        }

        if (sizeLog2 > 13)
        {
            address |= GenMask(sizeLog2 - 2, 12);
        }

        return (address, true);
    }

    /// <summary>
    /// Decodes an <c>Address</c> field value and <c>S</c> bit into the range they cover, as QEMU
    /// <c>amdvi_decode_invalidation_size</c> and <c>amdvi_sync_domain</c> do.
    /// </summary>
    /// <param name="address">The command's address (bits 63:12; bits 11:0 are ignored).</param>
    /// <param name="s">The command's S (size) bit.</param>
    /// <returns>The covered range; <see cref="InvalidationRange.WholeAddressSpace"/> when the first zero bit is at 51 or above.</returns>
    public static InvalidationRange Decode(ulong address, bool s)
    {
        address &= ~0xFFFUL;
        if (!s)
        {
            return new InvalidationRange(address, address + 0xFFFUL);
        }

        var firstZero = BitOperations.TrailingZeroCount(~(address | 0xFFFUL));
        if (firstZero >= 51)
        {
            return InvalidationRange.WholeAddressSpace;
        }

        var size = 1UL << (firstZero + 1);
        var start = address & ~(size - 1);
        return new InvalidationRange(start, start + (size - 1));
    }

    private static ulong GenMask(int high, int low) => (ulong.MaxValue >> (63 - high)) & ~((1UL << low) - 1);
}
