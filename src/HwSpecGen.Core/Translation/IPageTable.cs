using HwSpecGen.Core.Iommufd;

namespace HwSpecGen.Core.Translation;

/// <summary>
/// A host-managed I/O page table in host memory (a paging domain / nest parent, i.e. stage 2), in the vendor's format,
/// written and walked only through the generated entry structs.
/// </summary>
public interface IPageTable
{
    /// <summary>Host physical address of the top-level table.</summary>
    ulong Root { get; }

    /// <summary>Number of levels.</summary>
    int Levels { get; }

    /// <summary>Maps [iova, iova+length) to [hpa, …) with <paramref name="permissions"/>, using the largest pages alignment allows.</summary>
    IommufdResult Map(ulong iova, ulong hpa, ulong length, Access permissions);

    /// <summary>Unmaps [iova, iova+length); returns the bytes that were mapped there.</summary>
    ulong Unmap(ulong iova, ulong length);

    /// <summary>Walks the table in memory for <paramref name="iova"/>; <paramref name="trace"/> receives every entry read.</summary>
    TranslationResult Walk(ulong iova, Access access, System.Action<WalkStep>? trace = null);
}
