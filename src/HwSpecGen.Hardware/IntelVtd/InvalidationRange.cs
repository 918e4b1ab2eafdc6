namespace HwSpecGen.Hardware.IntelVtd;

/// <summary>
/// An inclusive range of input addresses that an invalidation descriptor covers.
/// </summary>
/// <param name="First">The first address covered.</param>
/// <param name="Last">The last address covered (inclusive), so a range can reach the top of the 64-bit space.</param>
public readonly record struct InvalidationRange(ulong First, ulong Last)
{
    /// <summary>The whole 64-bit address space.</summary>
    public static InvalidationRange All => new(0, ulong.MaxValue);

    /// <summary>True when the range is the whole 64-bit address space.</summary>
    public bool IsAll => First == 0 && Last == ulong.MaxValue;

    /// <summary>
    /// The naturally aligned range of <c>2^log2Size</c> bytes that contains <paramref name="address"/>;
    /// a size of 2^64 or more gives <see cref="All"/>.
    /// </summary>
    /// <param name="address">Any address inside the range.</param>
    /// <param name="log2Size">Base-2 logarithm of the range size in bytes.</param>
    /// <returns>The aligned range.</returns>
    internal static InvalidationRange Aligned(ulong address, int log2Size)
    {
        if (log2Size >= 64)
        {
            return All;
        }

        var size = 1UL << log2Size;
        var first = address & ~(size - 1);
        return new InvalidationRange(first, first + (size - 1));
    }
}
