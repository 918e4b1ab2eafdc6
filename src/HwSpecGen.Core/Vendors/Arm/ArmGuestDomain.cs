namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>A stage-1 domain a guest configured for one of its devices.</summary>
/// <param name="Vsid">The device's vSID.</param>
/// <param name="Asid">The CD's ASID.</param>
/// <param name="PageTable">The guest's stage-1 table.</param>
/// <param name="Cds">The guest's CD table.</param>
public sealed record ArmGuestDomain(ulong Vsid, ulong Asid, SmmuV3GuestPageTable PageTable, SmmuV3GuestCdTable Cds);
