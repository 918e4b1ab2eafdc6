namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>The interrupts the emulated AMD IOMMU raises to its VM (each stands for an eventfd the VMM signals into KVM).</summary>
public enum AmdGuestInterrupt
{
    /// <summary>COMPLETION_WAIT with I set completed (Status.ComWaitInt), with Control.ComWaitIntEn set.</summary>
    CompletionWait,

    /// <summary>An event was written into the guest event log (Status.EventLogInt), with Control.EventIntEn set.</summary>
    EventLog,
}
