using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>Turns each expectation of a step into one pass/fail line of the <see cref="ScenarioRecorder"/>.</summary>
public sealed class ScenarioExpectationChecker
{
    private readonly ScenarioRecorder _rec;
    private readonly IReadOnlyDictionary<string, IScenarioVm> _vms;
    private readonly ScenarioGuestView _view;
    private readonly Dictionary<string, Dictionary<(string Device, ulong Iova, uint? Pasid, Access Access), ulong>> _warm = new();
    private ScenarioStepSpec? _noted;

    /// <summary>Creates the checker.</summary>
    public ScenarioExpectationChecker(ScenarioRecorder rec, IReadOnlyDictionary<string, IScenarioVm> vms, ScenarioGuestView view)
    {
        _rec = rec;
        _vms = vms;
        _view = view;
    }

    /// <summary>Checks the translation expectations of a <c>dma</c> or <c>stage2</c> step.</summary>
    public void Translation(ScenarioStepSpec step, string action, TranslationResult r, string vm, ulong? currentGpa)
    {
        var e = step.Expect;
        if (e.TranslatesTo is { } hpa)
        {
            Check(step, r.IsOk && r.Hpa == hpa, $"translates to HPA {Hex(hpa)}", action);
        }

        if (e.ReachesGpa is { } gpa)
        {
            var backed = _vms[vm].TryHpaOf(gpa, out var target);
            Check(step, backed && r.IsOk && r.Hpa == target, backed ? $"reaches GPA {Hex(gpa)} (HPA {Hex(target)})" : $"reaches GPA {Hex(gpa)} (which no RAM backs)", action);
        }

        if (e.PageShift is { } shift)
        {
            Check(step, r.IsOk && r.PageShift == shift, $"through a {Size(shift)} page", action);
        }

        if (e.Fault is { } code)
        {
            Check(step, !r.IsOk && r.Fault!.Code == code, $"faults with {code}", action);
        }

        if (e.FaultStage is { } stage)
        {
            Check(step, !r.IsOk && r.Fault!.Stage == stage, $"faults at {Stage(stage)}", action);
        }

        if (e.Source is { } source)
        {
            Check(step, r.IsOk && r.Source == source, $"comes from the {Source(source)}", action);
        }

        if (e.Stale is { } stale)
        {
            var current = currentGpa is { } g && _vms[vm].TryHpaOf(g, out var h) ? h : (ulong?)null;
            var isStale = r.IsOk && (current is null || current != r.Hpa);
            var now = current is { } c ? $"the current tables give HPA {Hex(c)}" : "the current tables give a fault";
            Check(step, isStale == stale, stale ? $"is stale: a cached translation the current guest tables no longer give ({now})" : $"is not stale ({now})", action);
        }
    }

    /// <summary>Checks the completion expectations of a <c>commands</c> or <c>attach</c> step.</summary>
    public void Completion(ScenarioStepSpec step, string action, bool completed, string? error, string? errorInfo, string decoded)
    {
        var e = step.Expect;
        if (e.Completes is { } completes)
        {
            Check(step, completed == completes, completes ? "completes" : "does not complete", action, decoded);
        }

        if (e.Error is { } expected)
        {
            var none = expected == "none";
            Check(step, none ? error is null : error == expected, none ? "stops with no error" : $"stops with {expected}", action, decoded);
        }

        if (e.ErrorInfo is { } info)
        {
            Check(step, errorInfo == info, $"error info {info}", action, decoded);
        }
    }

    /// <summary>Remembers a successful DMA translation (for <c>vm-untouched</c>), or forgets one that now faults.</summary>
    public void Remember(DmaStep d, TranslationResult r)
    {
        if (!_warm.TryGetValue(d.Vm, out var warm))
        {
            warm = new();
            _warm[d.Vm] = warm;
        }

        var key = (d.Device, d.Iova, d.Pasid, d.Access);
        if (r.IsOk)
        {
            warm[key] = r.Hpa;
        }
        else
        {
            warm.Remove(key);
        }
    }

    /// <summary>
    /// <c>vm-untouched</c>: every translation VM <paramref name="other"/>'s devices got earlier still gives the same HPA and
    /// still comes from a cache (IOTLB or ATC) — nothing of that VM was flushed or changed by the step.
    /// </summary>
    public void Untouched(ScenarioStepSpec step, string other)
    {
        if (!_warm.TryGetValue(other, out var warm) || warm.Count == 0)
        {
            Check(step, false, $"VM {other}'s translations are untouched", $"line {step.Line}: VM {other} has no earlier successful DMA to compare; add a dma step for it first");
            return;
        }

        var vm = _vms[other];
        var lines = new List<string>();
        var ok = true;
        foreach (var ((device, iova, pasid, access), hpa) in warm.OrderBy(w => w.Key.Device, System.StringComparer.Ordinal).ThenBy(w => w.Key.Iova))
        {
            var r = vm.Device(device).Translate(iova, pasid, access);
            var same = r.IsOk && r.Hpa == hpa && r.Source != TranslationSource.Walk;
            ok &= same;
            lines.Add($"{device} IOVA {Hex(iova)} → {r}");
        }

        Check(step, ok, $"VM {other}'s translations are untouched (same HPA, still cached)", $"line {step.Line}: {string.Join("; ", lines)}");
    }

    private static string Hex(ulong v) => string.Create(CultureInfo.InvariantCulture, $"0x{v:X}");

    private static string Size(int shift) => shift >= 30 ? $"{1UL << (shift - 30)} GiB" : shift >= 20 ? $"{1UL << (shift - 20)} MiB" : $"{1UL << (shift - 10)} KiB";

    private static string Stage(TranslationStage s) => s switch
    {
        TranslationStage.Stage1 => "stage 1 (the guest's tables)",
        TranslationStage.Stage2 => "stage 2 (the host's tables)",
        _ => "configuration",
    };

    private static string Source(TranslationSource s) => s switch
    {
        TranslationSource.Iotlb => "IOTLB",
        TranslationSource.Atc => "device's ATC",
        _ => "page-table walk",
    };

    private void Check(ScenarioStepSpec step, bool passed, string expectation, string action, string decoded = "")
    {
        var text = step.Note is { } note && !ReferenceEquals(_noted, step) ? $"{note}: {expectation}" : expectation;
        _noted = step;
        _rec.Check(passed, text, action, decoded);
    }
}
