using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>One guest command as the VMM's vSMMU processed it.</summary>
/// <param name="Index">Queue slot.</param>
/// <param name="Decoded">The command as the generated set decoder prints it.</param>
/// <param name="Translated">What was sent on (the command handed to iommufd, the HWPT installed), or empty.</param>
/// <param name="Effect">What happened.</param>
/// <param name="Error">CMDQ_CONS.ERR raised by it (<see cref="CommandError.None"/> when it completed).</param>
public sealed record SmmuV3CommandTrace(ulong Index, string Decoded, string Translated, string Effect, CommandError Error)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"[{Index}] {Decoded}{(Translated.Length > 0 ? " => " + Translated : string.Empty)}: {Effect}{(Error != CommandError.None ? $" (CMDQ_CONS.ERR = CERROR_{Error.ToString().ToUpperInvariant()})" : string.Empty)}";
}
