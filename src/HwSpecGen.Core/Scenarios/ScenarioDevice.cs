namespace HwSpecGen.Core.Scenarios;

/// <summary>A device given to a scenario VM.</summary>
/// <param name="Name">Name in the scenario.</param>
/// <param name="PhysicalId">Host ID: VT-d source ID (RID), AMD DeviceID, SMMU StreamID.</param>
/// <param name="VirtualId">The ID the guest sees (vRID, guest DeviceID, vSID).</param>
/// <param name="Ats">ATS capable (has an ATC).</param>
/// <param name="PasidBits">PASID/SSID width, or null for the vendor's default.</param>
public sealed record ScenarioDevice(string Name, uint PhysicalId, uint VirtualId, bool Ats, int? PasidBits);
