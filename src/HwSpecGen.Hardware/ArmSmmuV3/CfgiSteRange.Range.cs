namespace HwSpecGen.Hardware.ArmSmmuV3;

/// <summary>StreamID-range helpers for CMD_CFGI_STE_RANGE / CMD_CFGI_ALL.</summary>
public readonly partial struct CfgiSteRange
{
    /// <summary>The Range value that makes this command CMD_CFGI_ALL (every StreamID).</summary>
    public const ulong AllStreamIdsRange = 31;

    /// <summary>
    /// The CMD_CFGI_ALL form Linux builds for <c>CMDQ_OP_CFGI_ALL</c>: opcode 0x04 with Range = 31 and every
    /// other field zero.
    /// </summary>
    /// <returns>The command.</returns>
    public static CfgiSteRange CreateAll() => Create().WithRange(AllStreamIdsRange);

    /// <summary>
    /// The command invalidating the <c>2^(range + 1)</c> StreamIDs that share <paramref name="sid"/>'s bits
    /// above <paramref name="range"/>.
    /// </summary>
    /// <param name="sid">Any StreamID of the range.</param>
    /// <param name="range">log2 of the number of StreamIDs, minus one (0 to 31).</param>
    /// <returns>The command.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException">A value does not fit its field.</exception>
    public static CfgiSteRange ForRange(ulong sid, ulong range) => Create().WithSid(sid).WithRange(range);

    /// <summary>Whether this is the CMD_CFGI_ALL form (Range = 31).</summary>
    public bool IsAll => Range == AllStreamIdsRange;

    /// <summary>
    /// The first StreamID invalidated, as QEMU <c>smmuv3_cmdq_consume</c> computes it:
    /// <c>Sid &amp; ~((1 &lt;&lt; (Range + 1)) - 1)</c>.
    /// </summary>
    public ulong FirstSid => Sid & ~StreamIdMask;

    /// <summary>The last StreamID invalidated (inclusive): <see cref="FirstSid"/> plus the range mask.</summary>
    public ulong LastSid => FirstSid + StreamIdMask;

    /// <summary>Whether the command invalidates the STE of <paramref name="sid"/>.</summary>
    /// <param name="sid">A StreamID.</param>
    /// <returns><see langword="true"/> when <paramref name="sid"/> lies in [<see cref="FirstSid"/>, <see cref="LastSid"/>].</returns>
    public bool Covers(ulong sid) => sid >= FirstSid && sid <= LastSid;

    private ulong StreamIdMask => (1UL << (int)(Range + 1)) - 1;
}
