using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Scenarios;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>The scenario-file view of an <see cref="ArmScenario"/> host (one physical SMMUv3).</summary>
public sealed class ArmScenarioWorld : IScenarioWorld
{
    private ScenarioRecorder? _recorder;

    /// <summary>The host the VMs are built on.</summary>
    public ArmScenario Host { get; } = new();

    /// <inheritdoc/>
    public string Vendor => "arm-smmuv3";

    /// <inheritdoc/>
    public void TraceInto(ScenarioRecorder recorder)
    {
        _recorder = recorder;
        if (recorder.Tracing)
        {
            Host.Smmu.Trace = s => recorder.TraceLine($"  walk {s.Stage} L{s.Level} @0x{s.Address:X}: {s.Decoded}");
            Host.Smmu.CommandTrace = line => recorder.TraceLine("  " + line);
        }
    }

    /// <inheritdoc/>
    public IScenarioVm CreateVm(string name, ulong ramBytes, IReadOnlyList<ScenarioDevice> devices)
    {
        var vm = Host.CreateVm(name, ramBytes, devices.Select(d => (d.PhysicalId, (ulong)d.VirtualId, d.Ats)).ToArray());
        if (_recorder is { Tracing: true } rec)
        {
            vm.Vsmmu.CommandProcessed = t => rec.TraceLine($"  {name} vSMMU {t}");
        }

        return new ArmScenarioVm(vm, Host.Smmu, devices.ToDictionary(d => d.Name, d => d));
    }
}
