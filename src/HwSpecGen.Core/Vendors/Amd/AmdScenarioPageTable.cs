using HwSpecGen.Core.Scenarios;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>A guest v2 table (<see cref="AmdGuestPageTable"/>) seen by a scenario file.</summary>
/// <param name="Table">The table.</param>
public sealed record AmdScenarioPageTable(AmdGuestPageTable Table) : IScenarioPageTable
{
    /// <inheritdoc/>
    public void MapPage(ulong iova, ulong gpa, int pageShift, Access permissions) => Table.Map(iova, gpa, 1UL << pageShift, (permissions & Access.Write) != 0);

    /// <inheritdoc/>
    public bool UnmapPage(ulong iova) => Table.Unmap(iova);
}
