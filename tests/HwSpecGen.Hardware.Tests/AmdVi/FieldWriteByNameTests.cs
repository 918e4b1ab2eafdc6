using System;
using HwSpecGen.Hardware.AmdVi;
using HwSpecGen.Runtime;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary><see cref="FieldLayout.TryWriteValue"/>: setting a field by name through the runtime metadata agrees with the generated getters, split fields included.</summary>
public sealed class FieldWriteByNameTests
{
    [Theory]
    [InlineData(0x1000UL)]
    [InlineData(0x7000UL)]
    [InlineData(0x8000UL)]
    [InlineData(0x7FFF_F000UL)]
    [InlineData(0x8000_0000UL)]
    [InlineData(0x000F_FFFF_FFFF_F000UL)]
    [InlineData(0x000A_5A5A_5A5A_5000UL)]
    public void Gcr3RootInThreeSegmentsRoundTripsThroughTheGetter(ulong gcr3)
    {
        var layout = DeviceTableEntry.Layout;
        var field = layout.FindField("Gcr3Root")!;
        Assert.Equal(3, field.Segments.Length);
        Span<ulong> words = stackalloc ulong[layout.WordCount];
        words.Fill(0xFFFF_FFFF_FFFF_FFFF);
        Assert.True(field.TryWriteValue(words, gcr3));
        var dte = DeviceTableEntry.FromWords(words);
        Assert.Equal(gcr3, dte.Gcr3Root);
        Assert.Equal(gcr3, field.ReadValue(words));

        // Only the field's bits changed: every other field still reads all ones.
        Assert.Equal(0xFFFFUL, dte.DomainId);
        Assert.True(dte.Gv);
        Assert.Equal(DeviceTableEntry.Create().WithGcr3Root(gcr3).Gcr3Root, dte.Gcr3Root);
    }

    [Fact]
    public void AgreesWithTheGeneratedWither()
    {
        var layout = DeviceTableEntry.Layout;
        Span<ulong> words = stackalloc ulong[layout.WordCount];
        Assert.True(layout.FindField("Gcr3Root")!.TryWriteValue(words, 0x1234_5678_9000));
        Assert.True(layout.FindField("DomainId")!.TryWriteValue(words, 0x42));
        Assert.True(layout.FindField("Gv")!.TryWriteValue(words, 1));
        var expected = DeviceTableEntry.Create().WithGcr3Root(0x1234_5678_9000).WithDomainId(0x42).WithGv(true);
        for (var i = 0; i < layout.WordCount; i++)
        {
            Assert.Equal(expected.GetWord(i), words[i]);
        }
    }

    [Theory]
    [InlineData(0x1234UL)]
    [InlineData(0x0010_0000_0000_0000UL)]
    public void AValueThatDoesNotFitLeavesTheWordsAlone(ulong gcr3)
    {
        var layout = DeviceTableEntry.Layout;
        Span<ulong> words = stackalloc ulong[layout.WordCount];
        words[1] = 0xABCD;
        Assert.False(layout.FindField("Gcr3Root")!.TryWriteValue(words, gcr3));
        Assert.Equal(0UL, words[0]);
        Assert.Equal(0xABCDUL, words[1]);
    }

    [Fact]
    public void ASplitCommandFieldRoundTrips()
    {
        var field = InvalidateIotlbPages.Layout.FindField("Pasid")!;
        Assert.Equal(2, field.Segments.Length);
        Span<ulong> words = stackalloc ulong[InvalidateIotlbPages.Layout.WordCount];
        Assert.True(field.TryWriteValue(words, 0xBEEF));
        Assert.Equal(0xBEEFUL, InvalidateIotlbPages.FromWords(words).Pasid);
        Assert.False(field.TryWriteValue(words, 0x1_0000));
    }
}
