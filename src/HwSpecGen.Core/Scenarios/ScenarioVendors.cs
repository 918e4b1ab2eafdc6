using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Vendors.Amd;
using HwSpecGen.Core.Vendors.Arm;
using HwSpecGen.Core.Vendors.Intel;

namespace HwSpecGen.Core.Scenarios;

/// <summary>The vendors scenario files can name.</summary>
public static class ScenarioVendors
{
    /// <summary>Every vendor.</summary>
    public static IReadOnlyList<ScenarioVendor> All { get; } =
    [
        new("intel-vtd", "QiDescriptor256", 32, ram => (0x10_0000, Math.Min(IntelVm.GuestTableLimit, ram)), 0xF_FFFF, () => new IntelScenarioWorld()),
        new("amd-vi", "Command", 16, ram => (ram / 2, ram), 0xF_FFFF, () => new AmdScenarioWorld()),
        new("arm-smmuv3", "Command", 16, ram => (ram / 2, ram), (1U << ArmScenarioVm.CdTableLog2) - 1, () => new ArmScenarioWorld()),
    ];

    /// <summary>The vendor with key <paramref name="key"/>, or null.</summary>
    public static ScenarioVendor? Find(string key) => All.FirstOrDefault(v => v.Key == key);
}
