using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>The level-1 stream table descriptor against Linux arm_smmu_write_strtab_l1_desc and QEMU L1STD_SPAN / l1std_l2ptr.</summary>
public sealed class L1StdTests
{
    // arm_smmu_write_strtab_l1_desc(dst, l2ptr_dma = 0x8_1234_4000):
    //   val = FIELD_PREP(STRTAB_L1_DESC_SPAN, STRTAB_SPLIT + 1 = 9) | (l2ptr_dma & GENMASK_ULL(51, 6))
    private const ulong LinuxL1Std = 0x0000_0008_1234_4009UL;

    // Same with l2ptr_dma = 0x000F_FFFF_FFFF_FFC0 (top of the Linux mask).
    private const ulong LinuxL1StdHigh = 0x000F_FFFF_FFFF_FFC9UL;

    [Fact]
    public void LinuxL1StdDecodes()
    {
        var a = Decode<L1Std>(FromQwords(LinuxL1Std));
        Assert.Equal(9UL, a.Span);
        Assert.Equal(0x8_1234_4000UL, a.L2Ptr);
        Assert.True(a.Validate().IsValid);

        var b = Decode<L1Std>(FromQwords(LinuxL1StdHigh));
        Assert.Equal(0x000F_FFFF_FFFF_FFC0UL, b.L2Ptr);
        Assert.Equal(FromQwords(LinuxL1Std), L1Std.Create().WithSpan(9).WithL2Ptr(0x8_1234_4000).ToBytes());
        Assert.Equal(FromQwords(LinuxL1StdHigh), L1Std.Create().WithSpan(9).WithL2Ptr(0x000F_FFFF_FFFF_FFC0).ToBytes());
        Assert.Equal(9UL, FieldGet(StrtabL1DescSpan, LinuxL1Std));
    }

    [Fact]
    public void QemuReadsOurL1Std()
    {
        // smmu_find_ste: span = L1STD_SPAN(&l1std); l2ptr = l1std_l2ptr(&l1std) (word[1] << 32 | word[0] & ~0x1f).
        var std = L1Std.Create().WithSpan(11).WithL2Ptr(0x0080_0000_0000_0040);
        var w = Words(std.ToBytes());
        Assert.Equal(11U, L1StdSpan(w));
        Assert.Equal(0x0080_0000_0000_0040UL, L1StdL2Ptr(w));
        Assert.True(std.Validate().IsValid);
    }

    [Fact]
    public void SpanRules()
    {
        // QEMU smmu_find_ste: span == 0 -> SMMU_EVT_C_BAD_STREAMID; the spec makes 12..31 reserved (treated as 0).
        Assert.Equal(new[] { "SpanValid" }, ViolatedRules(L1Std.Create()));
        Assert.Equal(new[] { "C_BAD_STREAMID" }, L1Std.Create().Validate().RuleErrors(L1Std.Layout));
        var top = L1Std.Create().WithSpan(0x10).WithL2Ptr(0x1000);
        Assert.Equal(16U, L1StdSpan(Words(top.ToBytes())));
        Assert.Equal(new[] { "SpanValid" }, ViolatedRules(top));
        Assert.Empty(ViolatedRules(L1Std.Create().WithSpan(1)));
    }

    [Fact]
    public void L2PtrWidthDisagreement()
    {
        // Linux STRTAB_L1_DESC_L2PTR_MASK is 51:6 and QEMU l1std_l2ptr keeps 63:5; the spec's L2Ptr is [55:6] with
        // bit 5 and 63:56 RES0. A QEMU-style descriptor with bit 5 set decodes to the same L2Ptr but is reported.
        var v = Decode<L1Std>(FromQwords(LinuxL1Std | (1UL << 5) | (1UL << 60))).Validate();
        Assert.Equal((1UL << 5) | (1UL << 60), v.ReservedBitsSet(0));
        Assert.Equal(0x8_1234_4020UL, L1StdL2Ptr(Words(FromQwords(LinuxL1Std | (1UL << 5)))));
        Assert.Equal(0x8_1234_4000UL, Decode<L1Std>(FromQwords(LinuxL1Std | (1UL << 5))).L2Ptr);
    }
}
