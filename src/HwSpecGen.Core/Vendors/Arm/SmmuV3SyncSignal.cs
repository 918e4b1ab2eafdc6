using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>A CMD_SYNC completion the vSMMU signalled to the VM (stands for the interrupt eventfd / SEV).</summary>
/// <param name="Index">Queue slot of the CMD_SYNC.</param>
/// <param name="Signal">CS: SIG_IRQ (interrupt, with the MSI write when MSIAddr is set) or SIG_SEV.</param>
/// <param name="MsiAddress">The guest-physical MSIAddr written (0 for none).</param>
/// <param name="MsiData">The MSIData written.</param>
public sealed record SmmuV3SyncSignal(ulong Index, CmdSyncCompletionSignal Signal, ulong MsiAddress, uint MsiData);
