using System.Collections.Generic;

namespace HwSpecGen.Core.Scenarios;

/// <summary>
/// One vendor's host as a scenario file sees it: a physical IOMMU and the VMs built on it, without the vendor's helper
/// classes showing through. <see cref="ScenarioVendors"/> creates one per vendor key.
/// </summary>
public interface IScenarioWorld
{
    /// <summary>Vendor key (<c>intel-vtd</c>, <c>amd-vi</c>, <c>arm-smmuv3</c>).</summary>
    string Vendor { get; }

    /// <summary>Sends every walk step and every command the physical IOMMU processes to <paramref name="recorder"/> (when it traces).</summary>
    void TraceInto(ScenarioRecorder recorder);

    /// <summary>Creates a VM with <paramref name="ramBytes"/> of RAM at GPA 0 mapped into its IOAS (stage 2) and the given devices bound and exposed.</summary>
    IScenarioVm CreateVm(string name, ulong ramBytes, IReadOnlyList<ScenarioDevice> devices);
}
