using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Scenarios;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>The scenario-file view of an <see cref="IntelVm"/>: devices by name, the guest's first-stage tables and its invalidation queue.</summary>
public sealed class IntelScenarioVm : IScenarioVm
{
    private readonly IReadOnlyDictionary<string, ushort> _virtualRids;
    private int _interrupts;

    /// <summary>Wraps <paramref name="vm"/>; <paramref name="virtualRids"/> names its devices.</summary>
    public IntelScenarioVm(IntelVm vm, IReadOnlyDictionary<string, ushort> virtualRids)
    {
        Vm = vm;
        _virtualRids = virtualRids;
        vm.Viommu.CompletionInterrupt = () => _interrupts++;
    }

    /// <summary>The wrapped VM.</summary>
    public IntelVm Vm { get; }

    /// <inheritdoc/>
    public string Name => Vm.Name;

    /// <inheritdoc/>
    public Device Device(string name) => Vm.Device(_virtualRids[name]);

    /// <inheritdoc/>
    public bool TryHpaOf(ulong gpa, out ulong hpa) => Vm.Memory.TryTranslate(gpa, out hpa);

    /// <inheritdoc/>
    public TranslationResult WalkStage2(ulong gpa, Access access) => Vm.NestParent.PageTable.Walk(gpa, access, Vm.Scenario.Iommu.Trace);

    /// <inheritdoc/>
    public IommufdResult IoasMap(ulong gpa, ulong bytes)
    {
        var hpa = Vm.Memory.TryTranslate(gpa, out var backed) ? backed : Vm.Memory.AddRam(gpa, bytes).Hpa;
        return Vm.Fd.IoasMap(Vm.Ioas.Id, gpa, hpa, bytes, Access.ReadWrite);
    }

    /// <inheritdoc/>
    public IommufdResult IoasUnmap(ulong gpa, ulong bytes) => Vm.Fd.IoasUnmap(Vm.Ioas.Id, gpa, bytes).AsResult();

    /// <inheritdoc/>
    public IScenarioPageTable NewPageTable() => new IntelScenarioPageTable(Vm.NewPageTable());

    /// <inheritdoc/>
    public bool Attach(string device, IScenarioPageTable table, ulong domainId, uint? pasid)
    {
        EnsureQueue();
        return Vm.GuestAttach(_virtualRids[device], (ushort)domainId, ((IntelScenarioPageTable)table).Table, pasid ?? 0);
    }

    /// <inheritdoc/>
    public ScenarioCommandOutcome Submit(IReadOnlyList<byte[]> commands, bool wait)
    {
        var queue = EnsureQueue();
        var interrupts = _interrupts;
        foreach (var c in commands)
        {
            queue.WriteRaw(c);
        }

        var slot = wait ? queue.WriteWait(interrupt: true) : 0;
        queue.Ring();
        var iqe = Vm.Viommu.Faults.Fsts.Iqe;
        var done = wait && queue.IsDone(slot);
        var detail = $"IQH {Vm.Viommu.HeadIndex}, IQT {Vm.Viommu.TailIndex}" + (done ? $", status QI_DONE, ICS.IWC {Vm.Viommu.Ics.Iwc}, {_interrupts - interrupts} completion interrupt(s)" : string.Empty) + (iqe ? $", FSTS.IQE, IQERCD.IQEI {Vm.Viommu.Iqercd.Iqei}" : string.Empty);
        return new ScenarioCommandOutcome(done, iqe ? "IQE" : null, iqe ? Vm.Viommu.Iqercd.Iqei.ToString() : null, detail);
    }

    /// <inheritdoc/>
    public void RecoverQueue() => EnsureQueue().RecoverFromError();

    private IntelGuestQueue EnsureQueue()
    {
        if (Vm.Queue is { } queue)
        {
            return queue;
        }

        queue = Vm.EnableGuestIommu();
        Vm.Viommu.WriteRegister(VtdRegister.InvalidationEventControl, 0); // the guest unmasks IECTL.IM for its wait interrupts
        return queue;
    }
}
