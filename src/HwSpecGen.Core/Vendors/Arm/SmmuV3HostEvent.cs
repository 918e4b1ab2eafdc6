using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>An event record the driver consumed from the host Event queue, and what it did with it.</summary>
/// <param name="Record">The record as written by the SMMU, decoded with the generated event set.</param>
/// <param name="ForwardedToVsid">The vSID it was reported to the vIOMMU's vEVENTQ under, or null when the host kept it.</param>
/// <param name="Disposition">What happened (forwarded, kept on the host, dropped).</param>
public sealed record SmmuV3HostEvent(EventSet Record, ulong? ForwardedToVsid, string Disposition);
