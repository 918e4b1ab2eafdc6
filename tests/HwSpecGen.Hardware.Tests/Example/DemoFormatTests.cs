using System;
using HwSpecGen.Hardware.Example;
using HwSpecGen.Runtime;
using HwSpecGen.Tests.Shared;

namespace HwSpecGen.Hardware.Tests.Example;

/// <summary>Round trip, reserved bits, rules and variants on the small example spec (specs/example/demo.yaml).</summary>
public sealed class DemoFormatTests
{
    [Fact]
    public void FieldsLandOnTheirBits()
    {
        var cmd = DemoInvalidate.Create().WithTag(0xFFFFF).WithDomainId(0x8001).WithSize(true).WithAddress(0xFFFF_FFFF_FFFF_F000);
        Assert.Equal(0x3UL << 60 | 0x8001UL << 32 | 0xFFFFFUL, cmd.GetWord(0));
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL | 1UL, cmd.GetWord(1));
        Assert.True(cmd.Validate().IsValid);
    }

    [Fact]
    public void BytesAreLittleEndianWordsInMemoryOrder()
    {
        var wait = DemoWait.Create().WithStore(true).WithStoreAddress(0x1234_5678).WithStoreData(0x1122334455667788);
        var bytes = wait.ToBytes();
        Assert.Equal(16, bytes.Length);
        Assert.Equal(0x78 | 0x01, bytes[0]);
        Assert.Equal(0x10, bytes[7]); // opcode 1 in bits 63:60
        Assert.Equal(0x88, bytes[8]);
        Assert.Equal(0x11, bytes[15]);
        Assert.True(DemoWait.TryDecode(bytes, out var back, out var error));
        Assert.Equal(DecodeError.None, error);
        Assert.Equal(wait, back);
        Assert.Equal(0x1234_5678UL, back.StoreAddress);
    }

    [Fact]
    public void SplitFieldIsReassembledLeastSignificantSegmentFirst()
    {
        // GuestRoot address bits 14:12 at 60:58, 30:15 at 95:80, 51:31 at 127:107.
        var e = default(DemoEntry).WithGuestRoot(0x000F_FFFF_FFFF_F000);
        Assert.Equal(0x7UL << 58, e.GetWord(0));
        Assert.Equal((0xFFFFUL << 16) | (0x1F_FFFFUL << 43), e.GetWord(1));
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, e.GuestRoot);
        var one = default(DemoEntry).WithGuestRoot(1UL << 31);
        Assert.Equal(1UL << 43, one.GetWord(1));
    }

    [Fact]
    public void EveryMustBeZeroBitSetIsReportedAndIgnoredBitsAreNot()
    {
        Span<ulong> w = [0x3UL << 60 | 1UL << 20 | 1UL << 59, 0xFUL << 72 | 1UL << 66];
        var v = DemoInvalidate.FromWords(w).Validate();
        Assert.Equal(1UL << 20 | 1UL << 59, v.ReservedBitsSet(0));
        Assert.Equal(1UL << 2, v.ReservedBitsSet(1)); // bit 66; bits 75:72 are 'ignored'
        Assert.Equal(3, v.Count);
    }

    [Fact]
    public void WrongConstantFailsDecodeButKeepsTheBytes()
    {
        var bytes = new byte[16];
        bytes[7] = 0x20; // opcode 2
        bytes[0] = 0x05;
        Assert.False(DemoInvalidate.TryDecode(bytes, out var value, out var error));
        Assert.Equal(DecodeError.ConstantMismatch, error);
        Assert.Equal(0x5UL, value.Tag);
        Assert.False(DemoInvalidate.TryDecode(bytes.AsSpan(0, 15), out _, out error));
        Assert.Equal(DecodeError.TooShort, error);
    }

    [Fact]
    public void SignedFieldSignExtends()
    {
        var cmd = DemoInvalidate.Create().WithDelta(-8);
        Assert.Equal(-8, cmd.Delta);
        Assert.Equal(0x8UL << 4, cmd.GetWord(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => cmd.WithDelta(8));
        Assert.Equal(7, cmd.WithDelta(7).Delta);
    }

    [Fact]
    public void WithRejectsValuesThatDoNotFit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoInvalidate.Create().WithDomainId(0x1_0000));
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoInvalidate.Create().WithAddress(0x800)); // not 4K aligned
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoWait.Create().WithStoreAddress(1UL << 52));
    }

    [Fact]
    public void RulesAndEnumsAreChecked()
    {
        var good = default(DemoEntry).WithValid(true).WithMode(DemoMode.Level4).WithGuest(true).WithLevels(1);
        Assert.True(good.Validate().IsValid);
        var tooDeep = good.WithLevels(2);
        var v = tooDeep.Validate();
        Assert.True(v.IsRuleViolated(0));
        Assert.Equal(["ILLEGAL_ENTRY"], v.RuleErrors(DemoEntry.Layout));
        var offWithRoot = default(DemoEntry).WithValid(true).WithRoot(0x1000);
        Assert.True(offWithRoot.Validate().IsRuleViolated(1));
        var unnamed = default(DemoEntry).WithMode((DemoMode)5);
        Assert.Equal((DemoMode)5, unnamed.Mode);
        Assert.NotEqual(UInt128.Zero, unnamed.Validate().EnumFields);
    }

    [Fact]
    public void VariantAddsAFieldInFormerlyReservedBits()
    {
        var v2 = default(DemoEntryV2).WithPasidBits(0x1F).WithDomainId(0xFFFF);
        Assert.Equal(0x1FUL << 16 | 0xFFFF, v2.GetWord(2));
        Assert.True(v2.Validate().IsValid);
        Span<ulong> w = [0, 0, 0x1FUL << 16, 0];
        Assert.Equal(5, DemoEntry.FromWords(w).Validate().Count); // the same bits are reserved in the base
        Assert.Contains(DemoEntryV2.Layout.Fields, f => f.Name == "GuestRoot");
    }

    [Fact]
    public void DispatcherReturnsTheMemberOrUnknownOpcode()
    {
        var bytes = DemoInvalidate.Create().WithDomainId(7).ToBytes();
        var d = DemoCommandSet.Decode(bytes);
        Assert.Equal(DemoCommandKind.DemoInvalidate, d.Kind);
        Assert.True(d.TryGet(out DemoInvalidate inv));
        Assert.Equal(7UL, inv.DomainId);
        Assert.False(d.TryGet(out DemoWait _));
        bytes[7] = 0xF0;
        var unknown = DemoCommandSet.Decode(bytes);
        Assert.Equal(DecodeError.UnknownOpcode, unknown.Error);
        Assert.Equal(0xFUL, unknown.Opcode);
        Assert.Equal(DecodeError.TooShort, DemoCommandSet.Decode(bytes.AsSpan(0, 3)).Error);
    }

    [Fact]
    public void TableGeometryIndexesById()
    {
        Assert.Equal(32, DemoTableTable.EntryBytes);
        Assert.Equal(65536L, DemoTableTable.Entries);
        Assert.Equal(0x1234UL * 32, DemoTableTable.Offset(0xABCD_1234));
    }

    [Fact]
    public void DecodeValidateAndEncodeDoNotAllocate()
    {
        var bytes = DemoEntry.Create().WithMode(DemoMode.Level4).WithGuestRoot(0x1234_5000).ToBytes();
        var output = new byte[32];
        var sink = 0UL;
        var allocated = AllocationMeter.LeastAllocated(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                Exercise(bytes, output, ref sink);
            }
        });
        Assert.Equal(0, allocated);
        Assert.NotEqual(0UL, sink);
    }

    private static void Exercise(byte[] bytes, byte[] output, ref ulong sink)
    {
        DemoEntry.TryDecode(bytes, out var e, out _);
        var v = e.Validate();
        e.WithDomainId(3).WriteTo(output);
        var d = DemoCommandSet.Decode(bytes.AsSpan(0, 16));
        sink += e.GuestRoot + (ulong)v.Count + d.Opcode + output[16];
    }
}
