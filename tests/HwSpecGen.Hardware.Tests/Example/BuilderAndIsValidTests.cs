using System;
using HwSpecGen.Hardware.AmdVi;
using HwSpecGen.Hardware.Example;
using HwSpecGen.Tests.Shared;

namespace HwSpecGen.Hardware.Tests.Example;

/// <summary>
/// The generated mutable <c>Builder</c> (fields set in place, then <c>Build()</c>) and the boolean <c>IsValid</c>:
/// both must mean exactly what the <c>With…</c> chain and <c>Validate()</c> mean.
/// </summary>
public sealed class BuilderAndIsValidTests
{
    [Fact]
    public void ABuilderStartsFromCreateWithItsConstants()
    {
        Assert.Equal(DemoInvalidate.Create(), new DemoInvalidate.Builder().Build());
        Assert.Equal(3UL, new DemoInvalidate.Builder().Build().Opcode);
        Assert.Equal(DemoInvalidate.Create(), DemoInvalidate.CreateBuilder().Build());
    }

    [Fact]
    public void BuilderAndWithChainGiveTheSameBits()
    {
        var chained = DemoInvalidate.Create().WithTag(0xABCDE).WithDomainId(0x8001).WithSize(true).WithDelta(-3).WithAddress(0xFFFF_0000_1234_5000);
        var built = new DemoInvalidate.Builder { Tag = 0xABCDE, DomainId = 0x8001, Size = true, Delta = -3, Address = 0xFFFF_0000_1234_5000 }.Build();
        Assert.Equal(chained, built);
        Assert.Equal(-3, built.Delta);

        // a split field (GuestRoot is three segments) and an enum
        var entry = DemoEntry.Create().WithValid(true).WithMode(DemoMode.Level4).WithGuestRoot(0x000A_BCDE_F012_3000).WithDomainId(7);
        var entryBuilt = new DemoEntry.Builder { Valid = true, Mode = DemoMode.Level4, GuestRoot = 0x000A_BCDE_F012_3000, DomainId = 7 }.Build();
        Assert.Equal(entry, entryBuilt);
    }

    [Fact]
    public void TheAmdDteGcr3RootSplitFieldBuildsAsItsWithMethodDoes()
    {
        const ulong Gcr3 = 0x000F_EDCB_A987_6000; // bits 51:12, across the three segments 14:12, 30:15, 51:31
        var chained = DeviceTableEntry.Create().WithV(true).WithGv(true).WithGlx(1).WithGcr3Root(Gcr3).WithDomainId(0x1234);
        var builder = new DeviceTableEntry.Builder { V = true, Gv = true, Glx = 1, Gcr3Root = Gcr3, DomainId = 0x1234 };
        Assert.Equal(Gcr3, builder.Gcr3Root);
        Assert.Equal(chained, builder.Build());
    }

    [Fact]
    public void ToBuilderChangesACopyInPlace()
    {
        var original = DemoEntry.Create().WithValid(true).WithRoot(0x1000).WithDomainId(5);
        var builder = original.ToBuilder();
        builder.DomainId = 6;
        builder.Root = 0x2000;
        var changed = builder.Build();
        Assert.Equal(5UL, original.DomainId);
        Assert.Equal(original.WithDomainId(6).WithRoot(0x2000), changed);
        Assert.True(changed.Valid);
    }

    [Fact]
    public void BuilderSettersCheckAsWithMethodsDoAndLeaveTheBuilderUnchanged()
    {
        var builder = new DemoInvalidate.Builder { Tag = 1 };
        var before = builder.Build();
        var tooWide = Assert.Throws<ArgumentOutOfRangeException>(() => builder.Tag = 1UL << 20);
        Assert.Contains("Tag holds 20 bits", tooWide.Message, StringComparison.Ordinal);
        var misaligned = Assert.Throws<ArgumentOutOfRangeException>(() => builder.Address = 0x1001);
        Assert.Contains("Address holds address bits 63:12", misaligned.Message, StringComparison.Ordinal);
        var signed = Assert.Throws<ArgumentOutOfRangeException>(() => builder.Delta = 8);
        Assert.Contains("Delta holds 4 signed bits", signed.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoInvalidate.Create().WithTag(1UL << 20));
        Assert.Equal(before, builder.Build());
    }

    [Fact]
    public void IsValidIsValidateWithoutTheReport()
    {
        var good = DemoEntry.Create().WithValid(true).WithMode(DemoMode.Level4).WithGuest(true).WithLevels(1);
        Assert.True(good.IsValid);
        Assert.True(good.Validate().IsValid);

        var ruleBroken = good.WithLevels(2); // GuestNeedsFewLevels
        Assert.False(ruleBroken.IsValid);
        Assert.False(ruleBroken.Validate().IsValid);

        Span<ulong> words = [DemoInvalidate.Create().GetWord(0), 0];
        Assert.True(DemoInvalidate.FromWords(words).IsValid);
        words[0] |= 1UL << 20; // must-be-zero 31:20 in the demo command
        Assert.False(DemoInvalidate.FromWords(words).IsValid);
        Assert.False(DemoInvalidate.FromWords(words).Validate().IsValid);
        Assert.False(default(DemoInvalidate).IsValid); // the opcode constant is wrong
    }

    [Fact]
    public void BuildingAndCheckingDoNotAllocate()
    {
        var sink = 0UL;
        var allocated = AllocationMeter.LeastAllocated(() =>
        {
            for (var i = 0UL; i < 10_000; i++)
            {
                var e = new DemoEntry.Builder { Valid = true, Mode = DemoMode.Level4, GuestRoot = (i & 0xFFFF) << 12, DomainId = i & 0xFFFF }.Build();
                sink += e.IsValid ? e.GetWord(1) : 1;
            }
        });
        Assert.Equal(0, allocated);
        Assert.NotEqual(0UL, sink);
    }
}
