using System;
using System.Collections.Immutable;
using System.Linq;
using HwSpecGen.Runtime;

namespace HwSpecGen.Fuzz.Tests.Support;

/// <summary>
/// Every generated format and command set the fixtures cover: the hardware layer's registry (specs/) and this test
/// project's own (Specs/, generated into <see cref="FormatRegistry"/>). Theory data comes from here, so a format
/// added in YAML becomes test cases with no new test code.
/// </summary>
internal static class Registries
{
    public static ImmutableArray<FormatDescriptor> Formats { get; } =
        HwSpecGen.Hardware.FormatRegistry.Formats.AddRange(FormatRegistry.Formats);

    public static ImmutableArray<CommandSetDescriptor> Sets { get; } =
        HwSpecGen.Hardware.FormatRegistry.Sets.AddRange(FormatRegistry.Sets);

    public static TheoryData<string> FormatNames => Data(Formats.Select(f => f.FullName));

    public static TheoryData<string> SetNames => Data(Sets.Select(s => s.FullName));

    public static FormatDescriptor Format(string fullName) => Formats.Single(f => f.FullName == fullName);

    public static CommandSetDescriptor Set(string fullName) => Sets.Single(s => s.FullName == fullName);

    private static TheoryData<string> Data(System.Collections.Generic.IEnumerable<string> names)
    {
        var data = new TheoryData<string>();
        foreach (var n in names.OrderBy(n => n, StringComparer.Ordinal))
        {
            data.Add(n);
        }

        return data;
    }
}
