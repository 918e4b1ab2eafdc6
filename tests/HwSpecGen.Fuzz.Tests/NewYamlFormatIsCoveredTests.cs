using System;
using System.Linq;
using HwSpecGen.Fuzz.Tests.Support;

namespace HwSpecGen.Fuzz.Tests;

/// <summary>
/// The test specs under Specs/ (vendors fuzz-demo and fuzz-demo-v2) were added as YAML only: the generator compiled
/// them into this assembly, and the spec-driven and differential fixtures picked them up from the registry. This
/// checks that they did, so a broken discovery path cannot go unnoticed.
/// </summary>
public sealed class NewYamlFormatIsCoveredTests
{
    [Fact]
    public void TestSpecFormatsAreTheoryCasesOfTheSpecDrivenFixture()
    {
        var cases = SpecDrivenFuzzTests.Formats.Cast<object[]>().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        string[] demo = ["fuzz-demo/Ping", "fuzz-demo/Pong", "fuzz-demo/Tiny", "fuzz-demo/Wide", "fuzz-demo/WideV2", "fuzz-demo-v2/Ping", "fuzz-demo-v2/Reset", "fuzz-demo-v2/Wide"];
        Assert.All(demo, n => Assert.Contains(n, cases));
        Assert.Contains("amd-vi/InvalidateIommuPages", cases);
        Assert.Equal(Registries.Formats.Length, cases.Count);

        var differential = DifferentialTests.Formats.Cast<object[]>().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(cases, differential);
    }

    [Fact]
    public void TestSpecSetsAreTheoryCasesWithAGeneratedDispatcher()
    {
        var sets = SpecDrivenFuzzTests.Sets.Cast<object[]>().Select(row => (string)row[0]).ToList();
        Assert.Contains("fuzz-demo/Packet", sets);
        Assert.Contains("fuzz-demo-v2/Packet", sets);
        var v2 = Registries.Set("fuzz-demo-v2/Packet");
        Assert.NotNull(v2.Decoder);
        Assert.Equal(["Reset", "Ping", "Pong"], v2.Members.Select(m => m.Format.Layout.Name));
        Assert.Contains(v2.Members[1].Format.Layout.Fields, f => f.Name == "Hops");
    }

    [Fact]
    public void TheGeneratedTypesAreRealStructsOfThisAssembly()
    {
        var ping = FuzzDemoV2.Ping.Create().WithHops(9).WithOffset(-3);
        Assert.Equal(-3L, ping.Offset);
        Assert.Equal(9UL, ping.Hops);
        Assert.Equal(0x11UL, ping.Kind);
        var decoded = FuzzDemoV2.PacketSet.Decode(ping.ToBytes());
        Assert.True(decoded.TryGet(out FuzzDemoV2.Ping back));
        Assert.Equal(ping, back);
        Assert.True(back.Validate().IsValid);
    }
}
