namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>One guest command as the emulated IOMMU processed it, for traces.</summary>
/// <param name="Gpa">Guest-physical address of the command in the guest's command buffer.</param>
/// <param name="Decoded">The command as the generated struct prints it.</param>
/// <param name="Translated">The ID translation applied (or why none was possible).</param>
/// <param name="Effect">What happened (host commands, caches dropped, store, interrupt, shadowed DTE, error event).</param>
/// <param name="Outcome">Applied, forwarded, synthesized or rejected.</param>
public sealed record AmdCommandTrace(ulong Gpa, string Decoded, string Translated, string Effect, AmdCommandOutcome Outcome)
{
    /// <inheritdoc/>
    public override string ToString() => $"cmd @GPA 0x{Gpa:X}: {Decoded} | {Translated} | {Outcome}: {Effect}";
}
