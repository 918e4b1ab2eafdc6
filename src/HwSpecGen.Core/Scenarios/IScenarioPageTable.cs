using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Scenarios;

/// <summary>A guest stage-1 page table in guest memory (VT-d first stage, AMD v2, SMMU stage 1); changing it never invalidates anything.</summary>
public interface IScenarioPageTable
{
    /// <summary>Maps one page of 2^<paramref name="pageShift"/> bytes at <paramref name="iova"/> to <paramref name="gpa"/>.</summary>
    void MapPage(ulong iova, ulong gpa, int pageShift, Access permissions);

    /// <summary>Clears the leaf entry that maps <paramref name="iova"/> (whatever its size); false when none did.</summary>
    bool UnmapPage(ulong iova);
}
