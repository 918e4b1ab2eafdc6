using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Scenarios;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>The scenario-file view of an <see cref="AmdScenario"/> host (one AMD IOMMU).</summary>
public sealed class AmdScenarioWorld : IScenarioWorld
{
    private ScenarioRecorder? _recorder;

    /// <summary>The host the VMs are built on.</summary>
    public AmdScenario Host { get; } = new();

    /// <inheritdoc/>
    public string Vendor => "amd-vi";

    /// <inheritdoc/>
    public void TraceInto(ScenarioRecorder recorder)
    {
        _recorder = recorder;
        if (recorder.Tracing)
        {
            Host.Iommu.Trace = s => recorder.TraceLine($"  walk {s.Stage} L{s.Level} @HPA 0x{s.Address:X} {s.Format}: {s.Decoded}");
            Host.Iommu.CommandTrace = line => recorder.TraceLine("  " + line);
        }
    }

    /// <inheritdoc/>
    public IScenarioVm CreateVm(string name, ulong ramBytes, IReadOnlyList<ScenarioDevice> devices)
    {
        var specs = devices.Select(d => new AmdDeviceSpec(d.PhysicalId, (ushort)d.VirtualId, d.Ats, d.PasidBits ?? 16, $"{name}/{d.Name}")).ToArray();
        var vm = Host.CreateVm(name, ramBytes, specs);
        if (_recorder is { Tracing: true } rec)
        {
            vm.GuestIommu.Trace = t => rec.TraceLine($"  {name} {t}");
        }

        return new AmdScenarioVm(vm, devices.ToDictionary(d => d.Name, d => (ushort)d.VirtualId));
    }
}
