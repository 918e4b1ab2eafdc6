using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>The <c>expect</c> mapping of a step; every key that is set yields one pass/fail line.</summary>
public sealed record ScenarioExpectations
{
    /// <summary>No expectations.</summary>
    public static ScenarioExpectations None { get; } = new();

    /// <summary><c>translates-to</c>: the HPA.</summary>
    public ulong? TranslatesTo { get; init; }

    /// <summary><c>reaches-gpa</c>: the GPA whose backing HPA the result must be.</summary>
    public ulong? ReachesGpa { get; init; }

    /// <summary><c>page-size</c>, as log2.</summary>
    public int? PageShift { get; init; }

    /// <summary><c>fault</c>: the vendor's fault code.</summary>
    public string? Fault { get; init; }

    /// <summary><c>fault-stage</c>.</summary>
    public TranslationStage? FaultStage { get; init; }

    /// <summary><c>source</c>.</summary>
    public TranslationSource? Source { get; init; }

    /// <summary><c>stale</c>.</summary>
    public bool? Stale { get; init; }

    /// <summary><c>completes</c>.</summary>
    public bool? Completes { get; init; }

    /// <summary><c>error</c>: the architected command error.</summary>
    public string? Error { get; init; }

    /// <summary><c>error-info</c>: its detail (VT-d IQEI).</summary>
    public string? ErrorInfo { get; init; }

    /// <summary><c>vm-untouched</c>: a VM whose earlier translations must survive the step.</summary>
    public string? VmUntouched { get; init; }

    /// <summary>Whether any key is set.</summary>
    public bool Any => this != None;
}
