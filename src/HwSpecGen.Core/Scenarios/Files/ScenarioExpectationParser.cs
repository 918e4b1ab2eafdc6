using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>Parses a step's <c>expect</c> mapping: the vocabulary, and which keys each step kind can produce.</summary>
public static class ScenarioExpectationParser
{
    /// <summary>Every expectation key.</summary>
    public static readonly string[] Vocabulary = ["translates-to", "reaches-gpa", "page-size", "fault", "fault-stage", "source", "stale", "completes", "error", "error-info", "vm-untouched"];

    private static readonly Dictionary<string, string[]> ByKind = new()
    {
        ["dma"] = ["translates-to", "reaches-gpa", "page-size", "fault", "fault-stage", "source", "stale", "vm-untouched"],
        ["stage2"] = ["translates-to", "reaches-gpa", "page-size", "fault", "fault-stage", "vm-untouched"],
        ["commands"] = ["completes", "error", "error-info", "vm-untouched"],
        ["attach"] = ["completes", "vm-untouched"],
    };

    /// <summary>Parses <paramref name="node"/> for a step of kind <paramref name="kind"/>; null when it is wrong.</summary>
    public static ScenarioExpectations? Parse(ScenarioNodeReader reader, YamlNode node, string kind, IReadOnlyList<ScenarioVmSpec> vms)
    {
        var keys = reader.Mapping(node, "'expect'", [], Vocabulary);
        if (keys is null)
        {
            return null;
        }

        if (keys.Count == 0)
        {
            reader.Error(node, ScenarioErrors.BadExpectation, "'expect' is empty");
            return null;
        }

        var allowed = ByKind.TryGetValue(kind, out var a) ? a : ["vm-untouched"];
        var result = new ScenarioExpectations();
        var ok = true;
        foreach (var (key, value) in node.Pairs.Where(p => keys.ContainsKey(p.Key.Value)).Select(p => (p.Key, p.Value)))
        {
            if (!allowed.Contains(key.Value))
            {
                reader.Error(key, ScenarioErrors.BadExpectation, $"a '{kind}' step cannot expect '{key.Value}'; it can expect {string.Join(", ", allowed)}");
                ok = false;
                continue;
            }

            var before = reader.Diagnostics.Count;
            result = key.Value switch
            {
                "translates-to" => result with { TranslatesTo = reader.Number(value, key.Value) },
                "reaches-gpa" => result with { ReachesGpa = reader.Number(value, key.Value) },
                "page-size" => result with { PageShift = PageShift(reader, value) },
                "fault" => result with { Fault = reader.Text(value, key.Value) },
                "fault-stage" => result with { FaultStage = Stage(reader, value) },
                "source" => result with { Source = Source(reader, value) },
                "stale" => result with { Stale = reader.Flag(value, key.Value) },
                "completes" => result with { Completes = reader.Flag(value, key.Value) },
                "error" => result with { Error = reader.Text(value, key.Value) },
                "error-info" => result with { ErrorInfo = reader.Text(value, key.Value) },
                _ => result with { VmUntouched = VmName(reader, value, vms) },
            };
            ok &= reader.Diagnostics.Count == before;
        }

        return ok ? result : null;
    }

    private static int? PageShift(ScenarioNodeReader reader, YamlNode node)
    {
        var size = reader.Size(node, "page-size");
        if (size is null)
        {
            return null;
        }

        if ((size & (size - 1)) != 0 || size < 0x1000)
        {
            reader.Error(node, ScenarioErrors.BadValue, "'page-size' must be a power of two of at least 4K");
            return null;
        }

        return System.Numerics.BitOperations.TrailingZeroCount(size.Value);
    }

    private static TranslationStage? Stage(ScenarioNodeReader reader, YamlNode node) => reader.Choice(node, "fault-stage", "1", "2", "config") switch
    {
        "1" => TranslationStage.Stage1,
        "2" => TranslationStage.Stage2,
        "config" => TranslationStage.Config,
        _ => null,
    };

    private static TranslationSource? Source(ScenarioNodeReader reader, YamlNode node) => reader.Choice(node, "source", "walk", "iotlb", "atc") switch
    {
        "walk" => TranslationSource.Walk,
        "iotlb" => TranslationSource.Iotlb,
        "atc" => TranslationSource.Atc,
        _ => null,
    };

    private static string? VmName(ScenarioNodeReader reader, YamlNode node, IReadOnlyList<ScenarioVmSpec> vms)
    {
        var name = reader.Text(node, "vm-untouched");
        if (name is not null && vms.All(v => v.Name != name))
        {
            reader.Error(node, ScenarioErrors.UnknownReference, $"no VM named '{name}'; VMs: {string.Join(", ", vms.Select(v => v.Name))}");
            return null;
        }

        return name;
    }
}
