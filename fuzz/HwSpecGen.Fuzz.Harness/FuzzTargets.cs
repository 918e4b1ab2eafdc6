using System;
using System.Collections.Immutable;
using System.Linq;
using HwSpecGen.Hardware;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>Every target, built from the generated registry: a new command set in the YAML is a new target on the next build.</summary>
public static class FuzzTargets
{
    private static readonly Lazy<ImmutableArray<FuzzTarget>> AllTargets = new(() =>
        FormatRegistry.Sets.Select(s => (FuzzTarget)new CommandSetTarget(s))
            .Append(new FormatsTarget(FormatRegistry.Formats))
            .ToImmutableArray());

    /// <summary>Every target: one per command set (<c>vendor.Set</c>), then <c>formats</c>.</summary>
    public static ImmutableArray<FuzzTarget> All => AllTargets.Value;

    /// <summary>The target named <paramref name="name"/> (<c>amd-vi.Command</c>; <c>amd-vi/Command</c> is accepted too), or null.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The target or null.</returns>
    public static FuzzTarget? Find(string name)
    {
        var key = name.Replace('/', '.');
        return All.FirstOrDefault(t => string.Equals(t.Name, key, StringComparison.OrdinalIgnoreCase));
    }
}
