namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// SMMUv3 queue pointer arithmetic (Arm IHI 0070 §3.5.1; SMMU_CMDQ_PROD/CONS): a PROD/CONS value holds an index in
/// bits [QS-1:0] and the wrap flag in bit [QS], QS = LOG2SIZE; bits above are RES0 and ignored. Empty when index
/// and wrap are equal, full when the index is equal and the wrap differs (QEMU <c>smmuv3_q_empty/full</c>).
/// The split depends on the configured queue size, so it cannot be a fixed field of the generated register struct.
/// </summary>
public static class SmmuV3QueueIndex
{
    /// <summary>The slot index of <paramref name="pointer"/>.</summary>
    public static ulong Index(ulong pointer, int log2Size) => pointer & ((1UL << log2Size) - 1);

    /// <summary>The wrap flag of <paramref name="pointer"/>.</summary>
    public static bool Wrap(ulong pointer, int log2Size) => ((pointer >> log2Size) & 1) != 0;

    /// <summary>The pointer with the bits above the wrap flag dropped.</summary>
    public static ulong Effective(ulong pointer, int log2Size) => pointer & ((2UL << log2Size) - 1);

    /// <summary>The pointer advanced by one entry (index wraps to 0 and the wrap flag toggles).</summary>
    public static ulong Increment(ulong pointer, int log2Size) => (Effective(pointer, log2Size) + 1) & ((2UL << log2Size) - 1);

    /// <summary>Whether the queue holds no entries.</summary>
    public static bool IsEmpty(ulong prod, ulong cons, int log2Size) => Effective(prod, log2Size) == Effective(cons, log2Size);

    /// <summary>Whether the queue has no free slot.</summary>
    public static bool IsFull(ulong prod, ulong cons, int log2Size) =>
        Index(prod, log2Size) == Index(cons, log2Size) && Wrap(prod, log2Size) != Wrap(cons, log2Size);

    /// <summary>Entries between <paramref name="cons"/> and <paramref name="prod"/> (can exceed the queue size for an inconsistent PROD).</summary>
    public static ulong Count(ulong prod, ulong cons, int log2Size) =>
        (Effective(prod, log2Size) - Effective(cons, log2Size)) & ((2UL << log2Size) - 1);
}
