using System.Collections.Generic;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>A parsed, checked scenario file (<c>scenarios/*.yaml</c>, docs/scenarios.md).</summary>
/// <param name="Path">The file as the user named it.</param>
/// <param name="Name">The scenario's name.</param>
/// <param name="Vendor">Vendor key.</param>
/// <param name="Vms">The VMs, in order.</param>
/// <param name="Steps">The steps, in order.</param>
public sealed record ScenarioFile(string Path, string Name, string Vendor, IReadOnlyList<ScenarioVmSpec> Vms, IReadOnlyList<ScenarioStepSpec> Steps);
