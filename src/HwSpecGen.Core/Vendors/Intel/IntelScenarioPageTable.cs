using HwSpecGen.Core.Scenarios;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>A guest first-stage table (<see cref="IntelGuestPageTableBuilder"/>) seen by a scenario file.</summary>
/// <param name="Table">The builder.</param>
public sealed record IntelScenarioPageTable(IntelGuestPageTableBuilder Table) : IScenarioPageTable
{
    /// <inheritdoc/>
    public void MapPage(ulong iova, ulong gpa, int pageShift, Access permissions) => Table.Map(iova, gpa, (permissions & Access.Write) != 0, pageShift);

    /// <inheritdoc/>
    public bool UnmapPage(ulong iova) => Table.Unmap(iova);
}
