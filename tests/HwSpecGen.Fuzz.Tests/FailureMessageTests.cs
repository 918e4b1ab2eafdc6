using System;
using HwSpecGen.Fuzz.Harness;

namespace HwSpecGen.Fuzz.Tests;

/// <summary><see cref="FuzzInvariantException.Check(bool, ref FailureMessageHandler)"/> formats its message only when the invariant breaks.</summary>
public sealed class FailureMessageTests
{
    [Fact]
    public void AHoldingInvariantFormatsNothing()
    {
        var probe = new CountingValue();
        FuzzInvariantException.Check(true, $"value {probe} at 0x{42:X}");
        Assert.Equal(0, probe.Formatted);
    }

    [Fact]
    public void ABrokenInvariantThrowsTheFormattedMessage()
    {
        var probe = new CountingValue();
        var ex = Assert.Throws<FuzzInvariantException>(() => FuzzInvariantException.Check(false, $"value {probe} at 0x{42:X}"));
        Assert.Equal("value counted at 0x2A", ex.Message);
        Assert.Equal(1, probe.Formatted);
        Assert.Throws<FuzzInvariantException>(() => FuzzInvariantException.Check(false, "plain text"));
    }

    private sealed class CountingValue
    {
        public int Formatted { get; private set; }

        public override string ToString()
        {
            Formatted++;
            return "counted";
        }
    }
}
