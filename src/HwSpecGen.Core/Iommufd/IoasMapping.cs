using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Iommufd;

/// <summary>One area of an IOAS: IOVA → host physical, with permissions.</summary>
/// <param name="Iova">Start IOVA.</param>
/// <param name="Hpa">Start host physical address (the pinned user memory).</param>
/// <param name="Length">Bytes.</param>
/// <param name="Permissions">Read/write.</param>
public sealed record IoasMapping(ulong Iova, ulong Hpa, ulong Length, Access Permissions)
{
    /// <summary>Last IOVA (inclusive).</summary>
    public ulong Last => Iova + Length - 1;
}
