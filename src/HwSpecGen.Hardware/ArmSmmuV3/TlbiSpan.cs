using System;
using System.Globalization;

namespace HwSpecGen.Hardware.ArmSmmuV3;

/// <summary>
/// A span of input addresses (VAs or IPAs) covered by one SMMUv3 invalidation command:
/// <see cref="Pages"/> pages of <c>2^GranuleShift</c> bytes starting at <see cref="Address"/>.
/// </summary>
/// <param name="Address">The first address of the span.</param>
/// <param name="Pages">The number of pages in the span.</param>
/// <param name="GranuleShift">log2 of the page (granule) size in bytes: 12, 14 or 16.</param>
public readonly record struct TlbiSpan(ulong Address, ulong Pages, int GranuleShift)
{
    /// <summary>The number of bytes in the span (2^64 for a span covering the whole address space).</summary>
    public UInt128 Bytes => (UInt128)Pages << GranuleShift;

    /// <summary>The last address of the span (inclusive); wraps like the hardware's 64-bit arithmetic.</summary>
    public ulong Last => unchecked(Address + (ulong)(Bytes - 1));

    /// <summary>Whether <paramref name="address"/> lies in the span.</summary>
    /// <param name="address">The address to test.</param>
    /// <returns><see langword="true"/> when <c>Address &lt;= address</c> and <c>address - Address &lt; Bytes</c>.</returns>
    public bool Contains(ulong address) => address >= Address && (UInt128)(address - Address) < Bytes;

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "[0x{0:X}, 0x{1:X}] ({2} x {3} B)", Address, Last, Pages, 1UL << GranuleShift);
}
