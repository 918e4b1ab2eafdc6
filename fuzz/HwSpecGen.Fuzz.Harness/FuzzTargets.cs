using System;
using System.Collections.Immutable;
using System.Linq;
using HwSpecGen.Fuzz.Harness.GuestQueues;
using HwSpecGen.Hardware;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>
/// Every target: one per command set of the generated registry (a new command set in the YAML is a new target on the
/// next build), <c>formats</c>, and one per vendor over the guest-queue processors of the invalidation core.
/// </summary>
public static class FuzzTargets
{
    private static readonly Lazy<ImmutableArray<FuzzTarget>> AllTargets = new(() =>
        FormatRegistry.Sets.Select(s => (FuzzTarget)new CommandSetTarget(s))
            .Append(new FormatsTarget(FormatRegistry.Formats))
            .Append(new AmdGuestQueueTarget())
            .Append(new ArmGuestQueueTarget())
            .Append(new IntelGuestQueueTarget())
            .ToImmutableArray());

    /// <summary>Every target: one per command set (<c>vendor.Set</c>), <c>formats</c>, then the guest-queue targets (<c>vendor.GuestQueue</c>).</summary>
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
