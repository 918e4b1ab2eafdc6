using System;
using System.Globalization;

namespace HwSpecGen.Hardware.AmdVi;

/// <summary>
/// An inclusive range of I/O virtual addresses, <c>[Address, Last]</c>, as covered by an AMD-Vi
/// INVALIDATE_IOMMU_PAGES or INVALIDATE_IOTLB_PAGES command.
/// </summary>
public readonly struct InvalidationRange : IEquatable<InvalidationRange>
{
    /// <summary>Creates the range <c>[address, last]</c>.</summary>
    /// <param name="address">The first address of the range.</param>
    /// <param name="last">The last address of the range (inclusive).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="last"/> is below <paramref name="address"/>.</exception>
    public InvalidationRange(ulong address, ulong last)
    {
        if (last < address)
        {
            throw new ArgumentOutOfRangeException(nameof(last), last, "The last address of a range must not be below its first address.");
        }

        Address = address;
        Last = last;
    }

    /// <summary>The whole 64-bit address space, <c>[0, 0xFFFF_FFFF_FFFF_FFFF]</c>.</summary>
    public static InvalidationRange WholeAddressSpace => new(0, ulong.MaxValue);

    /// <summary>The first address of the range.</summary>
    public ulong Address { get; }

    /// <summary>The last address of the range (inclusive).</summary>
    public ulong Last { get; }

    /// <summary>Whether the range is the whole 64-bit address space.</summary>
    public bool IsWholeAddressSpace => Address == 0 && Last == ulong.MaxValue;

    /// <summary>The number of bytes in the range, or <see langword="null"/> for the whole address space (2^64 does not fit).</summary>
    public ulong? Size => IsWholeAddressSpace ? null : Last - Address + 1;

    /// <summary>Whether <paramref name="address"/> lies in the range.</summary>
    /// <param name="address">The address to test.</param>
    /// <returns><see langword="true"/> when <c>Address &lt;= address &lt;= Last</c>.</returns>
    public bool Contains(ulong address) => address >= Address && address <= Last;

    /// <summary>Whether every address of <paramref name="other"/> lies in this range.</summary>
    /// <param name="other">The range to test.</param>
    /// <returns><see langword="true"/> when <paramref name="other"/> is a sub-range of this range.</returns>
    public bool Contains(InvalidationRange other) => other.Address >= Address && other.Last <= Last;

    /// <summary>Compares two ranges for equality.</summary>
    /// <param name="left">The first range.</param>
    /// <param name="right">The second range.</param>
    /// <returns><see langword="true"/> when both ranges have the same bounds.</returns>
    public static bool operator ==(InvalidationRange left, InvalidationRange right) => left.Equals(right);

    /// <summary>Compares two ranges for inequality.</summary>
    /// <param name="left">The first range.</param>
    /// <param name="right">The second range.</param>
    /// <returns><see langword="true"/> when the bounds differ.</returns>
    public static bool operator !=(InvalidationRange left, InvalidationRange right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(InvalidationRange other) => Address == other.Address && Last == other.Last;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is InvalidationRange other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Address, Last);

    /// <inheritdoc/>
    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "[0x{0:X}, 0x{1:X}]", Address, Last);
}
