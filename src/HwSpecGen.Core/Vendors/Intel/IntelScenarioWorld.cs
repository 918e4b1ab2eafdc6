using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Scenarios;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>The scenario-file view of an <see cref="IntelScenario"/> host (one VT-d remapping unit).</summary>
public sealed class IntelScenarioWorld : IScenarioWorld
{
    private ScenarioRecorder? _recorder;

    /// <summary>The host the VMs are built on.</summary>
    public IntelScenario Host { get; } = new();

    /// <inheritdoc/>
    public string Vendor => "intel-vtd";

    /// <inheritdoc/>
    public void TraceInto(ScenarioRecorder recorder)
    {
        _recorder = recorder;
        if (recorder.Tracing)
        {
            Host.Iommu.Trace = s => recorder.TraceLine($"  walk {s.Stage} L{s.Level} @0x{s.Address:X}: {s.Decoded}");
            Host.Iommu.CommandTrace = s => recorder.TraceLine("  " + s);
        }
    }

    /// <inheritdoc/>
    public IScenarioVm CreateVm(string name, ulong ramBytes, IReadOnlyList<ScenarioDevice> devices)
    {
        var vm = Host.CreateVm(name, ramBytes, devices.Select(d => new IntelVmDevice((ushort)d.PhysicalId, (ushort)d.VirtualId, d.Ats, d.PasidBits ?? 0)).ToArray());
        if (_recorder is { Tracing: true } rec)
        {
            vm.Viommu.Trace = s => rec.TraceLine($"  {name} vIOMMU {s}");
        }

        return new IntelScenarioVm(vm, devices.ToDictionary(d => d.Name, d => (ushort)d.VirtualId));
    }
}
