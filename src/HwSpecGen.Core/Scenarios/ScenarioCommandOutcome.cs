namespace HwSpecGen.Core.Scenarios;

/// <summary>What became of commands a guest submitted.</summary>
/// <param name="Completed">The completion (VT-d wait, AMD COMPLETION_WAIT, SMMU CMD_SYNC) arrived; false without one.</param>
/// <param name="Error">The architected error the queue stopped with (<c>IQE</c>, <c>ILLEGAL_COMMAND_ERROR</c>, <c>CERROR_ILL</c>…), or null.</param>
/// <param name="ErrorInfo">Detail of the error (VT-d IQERCD.IQEI), or null.</param>
/// <param name="Detail">What the queue looks like afterwards, for the report.</param>
public sealed record ScenarioCommandOutcome(bool Completed, string? Error, string? ErrorInfo, string Detail);
