using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Scenarios;

/// <summary>One VM of an <see cref="IScenarioWorld"/>: its stage 2 (IOAS), its devices, the guest's stage-1 tables and its guest command queue.</summary>
public interface IScenarioVm
{
    /// <summary>Name.</summary>
    string Name { get; }

    /// <summary>The device named <paramref name="name"/> in the scenario.</summary>
    Device Device(string name);

    /// <summary>The HPA that backs <paramref name="gpa"/>, if any RAM does.</summary>
    bool TryHpaOf(ulong gpa, out ulong hpa);

    /// <summary>Walks the nest parent's stage-2 table for <paramref name="gpa"/>.</summary>
    TranslationResult WalkStage2(ulong gpa, Access access);

    /// <summary>Backs [gpa, +bytes) with host RAM (unless it already is) and maps it into the IOAS (IOMMU_IOAS_MAP).</summary>
    IommufdResult IoasMap(ulong gpa, ulong bytes);

    /// <summary>IOMMU_IOAS_UNMAP of [gpa, +bytes).</summary>
    IommufdResult IoasUnmap(ulong gpa, ulong bytes);

    /// <summary>A new, empty guest stage-1 page table in guest memory.</summary>
    IScenarioPageTable NewPageTable();

    /// <summary>
    /// The guest points <paramref name="device"/> (at <paramref name="pasid"/>, or without PASID) at <paramref name="table"/>
    /// under guest domain/address-space tag <paramref name="domainId"/> (VT-d DID, AMD DomainID, SMMU ASID) and tells its
    /// IOMMU the way its driver does; true when the guest's completion arrived.
    /// </summary>
    bool Attach(string device, IScenarioPageTable table, ulong domainId, uint? pasid);

    /// <summary>Writes <paramref name="commands"/> (raw, each one queue slot) into the guest queue, appends the completion when <paramref name="wait"/>, and rings the doorbell.</summary>
    ScenarioCommandOutcome Submit(IReadOnlyList<byte[]> commands, bool wait);

    /// <summary>What the guest driver does after a command error: acknowledges it, skips the refused command and restarts the queue.</summary>
    void RecoverQueue();
}
