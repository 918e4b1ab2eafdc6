using System;

namespace HwSpecGen.Core.Scenarios;

/// <summary>What a scenario file needs to know about a vendor before anything runs.</summary>
/// <param name="Key">Vendor key.</param>
/// <param name="CommandSet">The command set of the guest queue (commands are checked against it).</param>
/// <param name="SlotBytes">Bytes of one guest queue slot.</param>
/// <param name="GuestTables">For a VM with the given RAM size: the GPA range [start, end) where the guest kernel keeps its own tables and queues (scenario mappings must not point there).</param>
/// <param name="MaxPasid">Largest PASID/SSID a scenario may attach.</param>
/// <param name="Create">Creates a fresh host.</param>
public sealed record ScenarioVendor(string Key, string CommandSet, int SlotBytes, Func<ulong, (ulong Start, ulong End)> GuestTables, uint MaxPasid, Func<IScenarioWorld> Create);
