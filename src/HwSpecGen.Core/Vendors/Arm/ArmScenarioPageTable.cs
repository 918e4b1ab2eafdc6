using HwSpecGen.Core.Scenarios;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>A guest stage-1 table (<see cref="SmmuV3GuestPageTable"/>) seen by a scenario file.</summary>
/// <param name="Table">The table.</param>
public sealed record ArmScenarioPageTable(SmmuV3GuestPageTable Table) : IScenarioPageTable
{
    /// <inheritdoc/>
    public void MapPage(ulong iova, ulong gpa, int pageShift, Access permissions) => Table.Map(iova, gpa, 1UL << pageShift, permissions);

    /// <inheritdoc/>
    public bool UnmapPage(ulong iova)
    {
        var (slot, level) = Table.Leaf(iova);
        if (slot == 0)
        {
            return false;
        }

        Table.Unmap(iova & ~((1UL << SmmuV3Descriptor.LevelShift(level)) - 1), 1UL << SmmuV3Descriptor.LevelShift(level));
        return true;
    }
}
