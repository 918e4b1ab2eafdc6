using System.Collections.Generic;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>A VM of a scenario file.</summary>
/// <param name="Name">Name (steps refer to it).</param>
/// <param name="RamBytes">RAM at GPA 0, mapped into the IOAS (stage 2).</param>
/// <param name="Devices">Its devices.</param>
/// <param name="PageTables">Names of the guest's stage-1 page tables.</param>
public sealed record ScenarioVmSpec(string Name, ulong RamBytes, IReadOnlyList<ScenarioDevice> Devices, IReadOnlyList<string> PageTables);
