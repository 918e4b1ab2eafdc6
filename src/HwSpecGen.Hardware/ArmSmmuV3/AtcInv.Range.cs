namespace HwSpecGen.Hardware.ArmSmmuV3;

/// <summary>Address-range helpers for CMD_ATC_INV.</summary>
public readonly partial struct AtcInv
{
    /// <summary>The Size value that invalidates the whole ATC (Linux <c>ATC_INV_SIZE_ALL</c>).</summary>
    public const ulong SizeAll = 52;

    /// <summary>
    /// Builds the CMD_ATC_INV command Linux <c>arm_smmu_atc_inv_to_cmd</c> builds (the caller then sets the
    /// StreamID, as <c>arm_smmu_atc_inv_domain</c> does): SSV is set when <paramref name="ssid"/> is not 0;
    /// a zero <paramref name="size"/> gives Size = 52 (everything) with address 0; otherwise Size is
    /// <c>fls(firstPage ^ lastPage)</c> over 4 KiB pages and the address is the first page rounded down to
    /// that span, so the smallest naturally aligned power-of-two span containing the range is invalidated.
    /// </summary>
    /// <param name="sid">The StreamID.</param>
    /// <param name="ssid">The SubstreamID (PASID); 0 means no PASID prefix.</param>
    /// <param name="iova">The first address.</param>
    /// <param name="size">The size in bytes; 0 invalidates everything.</param>
    /// <returns>The command.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException">A value does not fit its field, or the range wraps past 2^64.</exception>
    public static AtcInv ForRange(ulong sid, ulong ssid, ulong iova, ulong size)
    {
        var command = Create().WithSid(sid).WithSsid(ssid).WithSsv(ssid != 0);
        if (size == 0)
        {
            return command.WithSize(SizeAll);
        }

        if (size - 1 > ulong.MaxValue - iova)
        {
            throw new System.ArgumentOutOfRangeException(nameof(size), size, "The range must end below 2^64.");
        }

        var firstPage = iova >> 12;
        var lastPage = (iova + size - 1) >> 12;
        var log2Span = 64 - System.Numerics.BitOperations.LeadingZeroCount(firstPage ^ lastPage);
        var spanMask = (1UL << log2Span) - 1;
        return command.WithSize((ulong)log2Span).WithAddress((firstPage & ~spanMask) << 12);
    }

    /// <summary>
    /// The untranslated addresses this command invalidates: the naturally aligned span of
    /// <c>4096 * 2^Size</c> bytes containing <see cref="Address"/>; every address when Size is 52 or more.
    /// </summary>
    public TlbiSpan CoveredRange
    {
        get
        {
            if (Size >= SizeAll)
            {
                return new TlbiSpan(0, 1UL << (int)SizeAll, 12);
            }

            var pages = 1UL << (int)Size;
            var spanMask = (pages << 12) - 1;
            return new TlbiSpan(Address & ~spanMask, pages, 12);
        }
    }
}
