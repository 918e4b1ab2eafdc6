using HwSpecGen.Hardware.IntelVtd;
using HwSpecGen.Runtime;
using static HwSpecGen.Hardware.Tests.IntelVtd.VtdBytes;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>
/// The two queue widths as QEMU vtd_process_inv_desc dispatches them: the type is bits 3:0 with its
/// high part in bits 11:9 (VTD_INV_DESC_TYPE), PASID-based types exist only in a 256-bit queue, and in a
/// 256-bit queue the upper 128 bits of every type are reserved.
/// </summary>
public sealed class QiDescriptorSetTests
{
    [Theory]
    [InlineData(0x1UL, QiDescriptor256Kind.ContextCacheInvalidate256)]
    [InlineData(0x2UL, QiDescriptor256Kind.IotlbInvalidate256)]
    [InlineData(0x3UL, QiDescriptor256Kind.DeviceTlbInvalidate256)]
    [InlineData(0x4UL, QiDescriptor256Kind.InterruptEntryCacheInvalidate256)]
    [InlineData(0x5UL, QiDescriptor256Kind.InvalidationWait256)]
    [InlineData(0x6UL, QiDescriptor256Kind.PasidIotlbInvalidate256)]
    [InlineData(0x7UL, QiDescriptor256Kind.PasidCacheInvalidate256)]
    [InlineData(0x8UL, QiDescriptor256Kind.PasidDeviceTlbInvalidate256)]
    [InlineData(0x9UL, QiDescriptor256Kind.PageGroupResponse256)]
    public void EveryTypeDispatchesInA256BitQueue(ulong type, QiDescriptor256Kind kind)
    {
        var set = QiDescriptor256Set.Decode(Bytes(type, 0, 0, 0));
        Assert.Equal(kind, set.Kind);
        Assert.Equal(type, set.Opcode);
        Assert.True(set.IsKnown);
    }

    [Theory]
    [InlineData(0x6UL)]
    [InlineData(0x7UL)]
    [InlineData(0x8UL)]
    public void PasidBasedTypesAreUnknownInA128BitQueue(ulong type)
    {
        // QEMU: "256-bit ... desc in 128-bit invalidation queue" -> IQE.
        var set = QiDescriptorSet.Decode(Bytes(type, 0));
        Assert.Equal(QiDescriptorKind.Unknown, set.Kind);
        Assert.Equal(DecodeError.UnknownOpcode, set.Error);
    }

    [Fact]
    public void TypeHighBitsFormPartOfTheTypeCode()
    {
        // Bits 11:9 = 1 with bits 3:0 = 2: VTD_INV_DESC_TYPE gives 0x12, an unknown type (IQE), not an
        // IOTLB descriptor with a reserved bit set.
        var set = QiDescriptorSet.Decode(Bytes(1UL << 9 | 0x2UL, 0));
        Assert.Equal(QiDescriptorKind.Unknown, set.Kind);
        Assert.Equal(0x12UL, set.Opcode);
        Assert.Equal(0x12UL, QemuVtdMacros.InvDescType(1UL << 9 | 0x2UL));

        Assert.False(IotlbInvalidate.TryDecode(Bytes(1UL << 9 | 0x2UL, 0), out var value, out var error));
        Assert.Equal(DecodeError.ConstantMismatch, error);
        Assert.Equal(0x12UL, value.Type);
    }

    [Fact]
    public void UpperHalfOfA256BitDescriptorIsReserved()
    {
        // A 128-bit type in a 256-bit queue: QEMU checks val[2] and val[3] against VTD_INV_DESC_ALL_ONE.
        var set = QiDescriptor256Set.Decode(Bytes(0x0000_0002_0000_0025UL, 0x1000UL, 0, 1UL << 63));
        Assert.True(set.TryGet(out InvalidationWait256 wait));
        var v = wait.Validate();
        Assert.Equal(1UL << 63, v.ReservedBitsSet(3));
        Assert.Equal(1, v.Count);
    }

    [Fact]
    public void PageGroupResponseUpperHalfIsIgnoredAsQemuDoes()
    {
        var d = PageGroupResponse256.FromWords([0x9UL, 0, ulong.MaxValue, ulong.MaxValue]);
        Assert.True(d.Validate().IsValid);
        Assert.Equal(ulong.MaxValue, d.GetWord(2)); // a decoded value keeps its bits
    }

    [Fact]
    public void VariantCarriesTheBaseFieldsAndRules()
    {
        var narrow = InvalidationWait.Create().WithIf(true).WithStatusData(7);
        var wide = InvalidationWait256.Create().WithIf(true).WithStatusData(7);
        Assert.Equal(narrow.GetWord(0), wide.GetWord(0));
        Assert.Equal(narrow.GetWord(1), wide.GetWord(1));
        Assert.Equal(InvalidationWait.Layout.Rules.Length, InvalidationWait256.Layout.Rules.Length);
        Assert.True(wide.Validate().IsValid);
        Assert.False(InvalidationWait256.Create().Validate().IsValid); // neither SW nor IF
    }

    [Fact]
    public void ReservedBitsOfTheLowHalfAreReportedOneByOne()
    {
        // IOTLB descriptor with reserved bits 8, 12 and 71 set (QEMU RSVD_LO / RSVD_HI).
        var d = IotlbInvalidate.FromWords([0x2UL | 0x20UL | 1UL << 8 | 1UL << 12, 1UL << 7]);
        var v = d.Validate();
        Assert.Equal(1UL << 8 | 1UL << 12, v.ReservedBitsSet(0));
        Assert.Equal(1UL << 7, v.ReservedBitsSet(1));
        Assert.Equal(3, v.Count);
    }
}
