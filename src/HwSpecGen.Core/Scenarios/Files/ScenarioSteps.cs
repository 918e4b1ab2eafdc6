using System.Collections.Generic;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary><c>phase</c>: starts a new phase of the report.</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Name">The phase name.</param>
public sealed record PhaseStep(int Line, string Name) : ScenarioStepSpec(Line, null, ScenarioExpectations.None);

/// <summary><c>stage2</c>: walks the VM's nest parent (stage 2) for a GPA.</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Note">The author's words for what the step shows.</param>
/// <param name="Expect">Its expectations.</param>
/// <param name="Vm">The VM.</param>
/// <param name="Gpa">Guest-physical address.</param>
/// <param name="Access">Read, write or both.</param>
public sealed record Stage2Step(int Line, string? Note, ScenarioExpectations Expect, string Vm, ulong Gpa, Access Access) : ScenarioStepSpec(Line, Note, Expect);

/// <summary><c>ioas-map</c>: backs a GPA range with host RAM and maps it into the VM's IOAS.</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Note">The author's words for what the step shows.</param>
/// <param name="Expect">Its expectations.</param>
/// <param name="Vm">The VM.</param>
/// <param name="Gpa">Guest-physical address.</param>
/// <param name="Size">Bytes.</param>
public sealed record IoasMapStep(int Line, string? Note, ScenarioExpectations Expect, string Vm, ulong Gpa, ulong Size) : ScenarioStepSpec(Line, Note, Expect);

/// <summary><c>ioas-unmap</c>: IOMMU_IOAS_UNMAP of a GPA range.</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Note">The author's words for what the step shows.</param>
/// <param name="Expect">Its expectations.</param>
/// <param name="Vm">The VM.</param>
/// <param name="Gpa">Guest-physical address.</param>
/// <param name="Size">Bytes.</param>
public sealed record IoasUnmapStep(int Line, string? Note, ScenarioExpectations Expect, string Vm, ulong Gpa, ulong Size) : ScenarioStepSpec(Line, Note, Expect);

/// <summary><c>map</c>: the guest writes stage-1 entries (IOVA → GPA) into one of its page tables.</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Note">The author's words for what the step shows.</param>
/// <param name="Expect">Its expectations.</param>
/// <param name="Vm">The VM.</param>
/// <param name="Table">The page table (a name declared in the VM).</param>
/// <param name="Iova">I/O virtual address.</param>
/// <param name="Gpa">Guest-physical address.</param>
/// <param name="Size">Bytes.</param>
/// <param name="PageShift">log2 of the page size.</param>
/// <param name="Access">Read, write or both.</param>
public sealed record MapStep(int Line, string? Note, ScenarioExpectations Expect, string Vm, string Table, ulong Iova, ulong Gpa, ulong Size, int PageShift, Access Access) : ScenarioStepSpec(Line, Note, Expect);

/// <summary><c>unmap</c>: the guest clears stage-1 entries, without invalidating anything.</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Note">The author's words for what the step shows.</param>
/// <param name="Expect">Its expectations.</param>
/// <param name="Vm">The VM.</param>
/// <param name="Table">The page table (a name declared in the VM).</param>
/// <param name="Iova">I/O virtual address.</param>
/// <param name="Size">Bytes.</param>
public sealed record UnmapStep(int Line, string? Note, ScenarioExpectations Expect, string Vm, string Table, ulong Iova, ulong Size) : ScenarioStepSpec(Line, Note, Expect);

/// <summary><c>attach</c>: the guest points a device (at a PASID/SSID) at a page table and tells its IOMMU.</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Note">The author's words for what the step shows.</param>
/// <param name="Expect">Its expectations.</param>
/// <param name="Vm">The VM.</param>
/// <param name="Device">The device (a name declared in the VM).</param>
/// <param name="Table">The page table (a name declared in the VM).</param>
/// <param name="DomainId">VT-d DID, AMD DomainID or SMMU ASID.</param>
/// <param name="Pasid">PASID/SSID, or null for requests without one.</param>
public sealed record AttachStep(int Line, string? Note, ScenarioExpectations Expect, string Vm, string Device, string Table, ulong DomainId, uint? Pasid) : ScenarioStepSpec(Line, Note, Expect);

/// <summary><c>dma</c>: a device reads or writes an IOVA (4 bytes).</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Note">The author's words for what the step shows.</param>
/// <param name="Expect">Its expectations.</param>
/// <param name="Vm">The VM.</param>
/// <param name="Device">The device (a name declared in the VM).</param>
/// <param name="Iova">I/O virtual address.</param>
/// <param name="Access">Read, write or both.</param>
/// <param name="Pasid">PASID/SSID, or null for requests without one.</param>
public sealed record DmaStep(int Line, string? Note, ScenarioExpectations Expect, string Vm, string Device, ulong Iova, Access Access, uint? Pasid) : ScenarioStepSpec(Line, Note, Expect);

/// <summary><c>commands</c>: the guest writes commands into its queue, optionally a completion, and rings the doorbell.</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Note">The author's words for what the step shows.</param>
/// <param name="Expect">Its expectations.</param>
/// <param name="Vm">The VM.</param>
/// <param name="Commands">The commands.</param>
/// <param name="Wait">Whether a completion (wait, COMPLETION_WAIT, CMD_SYNC) follows them.</param>
public sealed record CommandsStep(int Line, string? Note, ScenarioExpectations Expect, string Vm, IReadOnlyList<ScenarioCommand> Commands, bool Wait) : ScenarioStepSpec(Line, Note, Expect);

/// <summary><c>recover</c>: the guest acknowledges a command error and restarts its queue.</summary>
/// <param name="Line">Line of the step in the file.</param>
/// <param name="Note">The author's words for what the step shows.</param>
/// <param name="Expect">Its expectations.</param>
/// <param name="Vm">The VM.</param>
public sealed record RecoverStep(int Line, string? Note, ScenarioExpectations Expect, string Vm) : ScenarioStepSpec(Line, Note, Expect);
