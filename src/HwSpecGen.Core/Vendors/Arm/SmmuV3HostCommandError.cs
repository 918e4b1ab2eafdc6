using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>A command the SMMU refused on its own Command queue.</summary>
/// <param name="Index">The queue slot.</param>
/// <param name="Error">CMDQ_CONS.ERR.</param>
/// <param name="Command">The command as the generated set decoder printed it.</param>
public sealed record SmmuV3HostCommandError(ulong Index, CommandError Error, string Command);
