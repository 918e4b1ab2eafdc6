namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>What the emulated IOMMU did with one guest command.</summary>
public enum AmdCommandOutcome
{
    /// <summary>Executed by the VMM itself (COMPLETION_WAIT, INVALIDATE_DEVTAB_ENTRY shadowing, accepted no-ops).</summary>
    Applied,

    /// <summary>Its IDs rewritten (gDomID → hDomID, vDeviceID → DeviceID) and forwarded to the host through IOMMU_HWPT_INVALIDATE.</summary>
    Forwarded,

    /// <summary>Replaced by host commands scoped to this VM (INVALIDATE_IOMMU_ALL).</summary>
    Synthesized,

    /// <summary>Refused: an architected error was logged in the guest's event log and the command buffer stopped at it.</summary>
    Rejected,
}
