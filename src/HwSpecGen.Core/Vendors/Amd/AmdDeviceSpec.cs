namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>A device given to a scenario VM.</summary>
/// <param name="PhysicalId">Host DeviceID (PCI BDF).</param>
/// <param name="GuestDeviceId">The DeviceID the guest sees (vDEVICE <c>virt_id</c>).</param>
/// <param name="AtsCapable">Has an ATC.</param>
/// <param name="PasidBits">PASID width (0 = none).</param>
/// <param name="Name">Name for traces.</param>
public sealed record AmdDeviceSpec(uint PhysicalId, ushort GuestDeviceId, bool AtsCapable = true, int PasidBits = 16, string? Name = null);
