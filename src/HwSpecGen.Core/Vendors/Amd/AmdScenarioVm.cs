using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Scenarios;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// The scenario-file view of an <see cref="AmdVm"/>: devices by name, guest v2 tables, one GCR3 table per guest DomainID
/// (its PASID entries point at the attached tables), and the guest command buffer with COMPLETION_WAIT.
/// </summary>
public sealed class AmdScenarioVm : IScenarioVm
{
    private readonly IReadOnlyDictionary<string, ushort> _guestIds;
    private readonly Dictionary<ulong, AmdGcr3Table> _gcr3ByDomain = new();

    /// <summary>Wraps <paramref name="vm"/>; <paramref name="guestIds"/> names its devices.</summary>
    public AmdScenarioVm(AmdVm vm, IReadOnlyDictionary<string, ushort> guestIds)
    {
        Vm = vm;
        _guestIds = guestIds;
    }

    /// <summary>The wrapped VM.</summary>
    public AmdVm Vm { get; }

    /// <inheritdoc/>
    public string Name => Vm.Name;

    /// <inheritdoc/>
    public Device Device(string name) => Vm.Device(_guestIds[name]);

    /// <inheritdoc/>
    public bool TryHpaOf(ulong gpa, out ulong hpa) => Vm.Memory.TryTranslate(gpa, out hpa);

    /// <inheritdoc/>
    public TranslationResult WalkStage2(ulong gpa, Access access) => Vm.Parent.PageTable.Walk(gpa, access, Vm.Scenario.Iommu.Trace);

    /// <inheritdoc/>
    public IommufdResult IoasMap(ulong gpa, ulong bytes)
    {
        var hpa = Vm.Memory.TryTranslate(gpa, out var backed) ? backed : Vm.Memory.AddRam(gpa, bytes).Hpa;
        return Vm.Context.IoasMap(Vm.Ioas.Id, gpa, hpa, bytes, Access.ReadWrite);
    }

    /// <inheritdoc/>
    public IommufdResult IoasUnmap(ulong gpa, ulong bytes) => Vm.Context.IoasUnmap(Vm.Ioas.Id, gpa, bytes).AsResult();

    /// <inheritdoc/>
    public IScenarioPageTable NewPageTable() => new AmdScenarioPageTable(Vm.NewPageTable());

    /// <inheritdoc/>
    public bool Attach(string device, IScenarioPageTable table, ulong domainId, uint? pasid)
    {
        if (!_gcr3ByDomain.TryGetValue(domainId, out var gcr3))
        {
            gcr3 = Vm.NewGcr3Table();
            _gcr3ByDomain[domainId] = gcr3;
        }

        gcr3.Set(pasid ?? 0, ((AmdScenarioPageTable)table).Table.RootGpa);
        return Vm.ConfigureDevice(_guestIds[device], AmdVm.NestedDte(domainId, gcr3));
    }

    /// <inheritdoc/>
    public ScenarioCommandOutcome Submit(IReadOnlyList<byte[]> commands, bool wait)
    {
        var interrupts = Vm.CompletionInterrupts;
        foreach (var c in commands)
        {
            Vm.QueueRaw(c);
        }

        var done = false;
        if (wait)
        {
            done = Vm.Sync();
        }
        else
        {
            Vm.Doorbell();
        }

        string? error = null;
        var detail = string.Empty;
        foreach (var e in Vm.ReadGuestEvents())
        {
            if (IllegalCommandErrorEvent.TryDecode(e, out var ill, out _))
            {
                error ??= "ILLEGAL_COMMAND_ERROR";
                detail += $", event {ill}";
            }
            else if (CommandHardwareErrorEvent.TryDecode(e, out var hw, out _))
            {
                error ??= "COMMAND_HARDWARE_ERROR";
                detail += $", event {hw}";
            }
        }

        var status = Vm.GuestIommu.StatusRegister;
        return new ScenarioCommandOutcome(done, error, null, $"head 0x{Vm.GuestIommu.CommandHead.Offset:X}, CmdBufRun {status.CmdBufRun}, {Vm.CompletionInterrupts - interrupts} completion interrupt(s){detail}");
    }

    /// <inheritdoc/>
    public void RecoverQueue() => Vm.RestartCommandBuffer();
}
