using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Scenarios;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// The scenario-file view of an <see cref="ArmVm"/>: devices by name, guest stage-1 tables, one linear CD table per
/// device (2^<see cref="CdTableLog2"/> CDs, one per SSID; requests without SSID use CD 0 through S1DSS), and the guest
/// Command queue with CMD_SYNC.
/// </summary>
public sealed class ArmScenarioVm : IScenarioVm
{
    /// <summary>STE.S1CDMax of the CD tables the guest builds: SSIDs 0 to 15.</summary>
    public const int CdTableLog2 = 4;

    private readonly IReadOnlyDictionary<string, ScenarioDevice> _devices;
    private readonly Dictionary<string, SmmuV3GuestCdTable> _cdTables = new();
    private readonly SmmuV3Iommu _smmu;
    private int _syncs;

    /// <summary>Wraps <paramref name="vm"/> on <paramref name="smmu"/>; <paramref name="devices"/> names its devices.</summary>
    public ArmScenarioVm(ArmVm vm, SmmuV3Iommu smmu, IReadOnlyDictionary<string, ScenarioDevice> devices)
    {
        Vm = vm;
        _smmu = smmu;
        _devices = devices;
        vm.Vsmmu.SyncCompleted = _ => _syncs++;
    }

    /// <summary>The wrapped VM.</summary>
    public ArmVm Vm { get; }

    /// <inheritdoc/>
    public string Name => Vm.Name;

    /// <inheritdoc/>
    public Device Device(string name) => Vm.Devices[_devices[name].VirtualId];

    /// <inheritdoc/>
    public bool TryHpaOf(ulong gpa, out ulong hpa) => Vm.Memory.TryTranslate(gpa, out hpa);

    /// <inheritdoc/>
    public TranslationResult WalkStage2(ulong gpa, Access access) => Vm.Parent.PageTable.Walk(gpa, access, _smmu.Trace);

    /// <inheritdoc/>
    public IommufdResult IoasMap(ulong gpa, ulong bytes)
    {
        var hpa = Vm.Memory.TryTranslate(gpa, out var backed) ? backed : Vm.Memory.AddRam(gpa, bytes).Hpa;
        return Vm.Fd.IoasMap(Vm.Ioas.Id, gpa, hpa, bytes, Access.ReadWrite);
    }

    /// <inheritdoc/>
    public IommufdResult IoasUnmap(ulong gpa, ulong bytes) => Vm.Fd.IoasUnmap(Vm.Ioas.Id, gpa, bytes).AsResult();

    /// <inheritdoc/>
    public IScenarioPageTable NewPageTable() => new ArmScenarioPageTable(new SmmuV3GuestPageTable(Vm.Memory, Vm.Allocator));

    /// <inheritdoc/>
    public bool Attach(string device, IScenarioPageTable table, ulong domainId, uint? pasid)
    {
        var spec = _devices[device];
        var ssid = (ulong)(pasid ?? 0);
        var first = !_cdTables.TryGetValue(device, out var cds);
        cds ??= _cdTables[device] = new SmmuV3GuestCdTable(Vm.Memory, Vm.Allocator, CdTableLog2, twoLevel: false);
        cds.Write(ssid, SmmuV3GuestCdTable.MakeS1Cd(domainId, ((ArmScenarioPageTable)table).Table.Root));
        if (first)
        {
            Vm.Guest.WriteSte(spec.VirtualId, SmmuV3GuestDriver.MakeCdTableSte(cds, spec.Ats));
            Vm.Guest.Produce(CfgiSte.Create().WithSid(spec.VirtualId).WithLeaf(true).ToBytes());
        }
        else
        {
            Vm.Guest.Produce(CfgiCd.Create().WithSid(spec.VirtualId).WithSsid(ssid).WithLeaf(true).ToBytes());
        }

        return Vm.Guest.SyncDone(Vm.Guest.Sync());
    }

    /// <inheritdoc/>
    public ScenarioCommandOutcome Submit(IReadOnlyList<byte[]> commands, bool wait)
    {
        var syncs = _syncs;
        var room = true;
        foreach (var c in commands)
        {
            room &= Vm.Guest.Produce(c);
        }

        var done = false;
        if (wait)
        {
            done = Vm.Guest.SyncDone(Vm.Guest.Sync());
        }
        else
        {
            Vm.Guest.RingDoorbell();
        }

        var q = Vm.Vsmmu.Cmdq;
        var error = q.ErrorActive ? ErrorName(q.Cons.Err) : null;
        var detail = $"CMDQ_PROD {q.Prod.Wr}, CMDQ_CONS {q.Cons.Rd}, {_syncs - syncs} CMD_SYNC interrupt(s)" + (error is null ? string.Empty : $", GERROR.CMDQ_ERR, CMDQ_CONS.ERR {q.Cons.Err}") + (room ? string.Empty : ", queue full");
        return new ScenarioCommandOutcome(done, error, null, detail);
    }

    /// <inheritdoc/>
    public void RecoverQueue() => Vm.Guest.AcknowledgeCommandError();

    private static string ErrorName(CommandError e) => e switch
    {
        CommandError.Ill => "CERROR_ILL",
        CommandError.Abt => "CERROR_ABT",
        CommandError.AtcInvSync => "CERROR_ATC_INV_SYNC",
        _ => $"CERROR_{(ulong)e:X}",
    };
}
