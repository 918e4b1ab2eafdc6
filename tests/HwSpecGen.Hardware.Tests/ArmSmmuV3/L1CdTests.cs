using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>The level-1 CD descriptor and CD table geometry against Linux arm_smmu_write_cd_l1_desc / arm_smmu_get_cd_ptr.</summary>
public sealed class L1CdTests
{
    // arm_smmu_write_cd_l1_desc: val = (l2ptr_dma & GENMASK_ULL(51, 12)) | CTXDESC_L1_DESC_V, for
    // l2ptr_dma = 0x8_1234_0000 and 0x000F_FFFF_FFFF_F000.
    private const ulong LinuxL1Cd = 0x0000_0008_1234_0001UL;
    private const ulong LinuxL1CdHigh = 0x000F_FFFF_FFFF_F001UL;

    [Fact]
    public void LinuxL1CdDecodes()
    {
        var a = Decode<L1Cd>(FromQwords(LinuxL1Cd));
        Assert.True(a.V);
        Assert.Equal(0x8_1234_0000UL, a.L2Ptr);
        Assert.True(a.Validate().IsValid);
        var b = Decode<L1Cd>(FromQwords(LinuxL1CdHigh));
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, b.L2Ptr);
        Assert.Equal(FromQwords(LinuxL1Cd), L1Cd.Create().WithV(true).WithL2Ptr(0x8_1234_0000).ToBytes());
        Assert.Equal(FromQwords(LinuxL1CdHigh), L1Cd.Create().WithV(true).WithL2Ptr(0x000F_FFFF_FFFF_F000).ToBytes());
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, LinuxL1CdHigh & CtxDescL1DescL2PtrMask);
    }

    [Fact]
    public void SpecWidthAndRules()
    {
        // The spec's L2Ptr is [55:12]; bits 11:1 and 63:56 are RES0; V = 0 gives C_BAD_SUBSTREAMID.
        var top = L1Cd.Create().WithV(true).WithL2Ptr(0x0080_0000_0000_0000);
        Assert.Equal(0x0080_0000_0000_0001UL, Qwords(top.ToBytes())[0]);
        Assert.Equal(new[] { "ValidBit" }, ViolatedRules(L1Cd.Create().WithL2Ptr(0x1000)));
        Assert.Equal(new[] { "C_BAD_SUBSTREAMID" }, L1Cd.Create().Validate().RuleErrors(L1Cd.Layout));
        var v = Decode<L1Cd>(FromQwords(LinuxL1Cd | 0x2 | (1UL << 56))).Validate();
        Assert.Equal(0x2UL | (1UL << 56), v.ReservedBitsSet(0));
    }

    [Theory]
    [InlineData(0x0UL)]
    [InlineData(0x3FFUL)]
    [InlineData(0x400UL)]
    [InlineData(0xFFFFFUL)]
    public void CdTableGeometryMatchesLinux(ulong ssid)
    {
        // arm_smmu_get_cd_ptr: linear -> cdtab + ssid * CTXDESC_CD_DWORDS; 2-level (S1FMT_64K_L2) ->
        // l1_desc[ssid / CTXDESC_L2_ENTRIES (1024)].l2ptr[ssid % 1024].
        Assert.Equal(ssid * 64, CdTableLinearTable.Offset(ssid));
        Assert.Equal(ssid / 1024, CdTable64KLevel1Table.Index(ssid));
        Assert.Equal(ssid / 1024 * 8, CdTable64KLevel1Table.Offset(ssid));
        Assert.Equal(ssid % 1024, CdTable64KLevel2Table.Index(ssid));
        Assert.Equal(ssid % 1024 * 64, CdTable64KLevel2Table.Offset(ssid));

        // S1Fmt 1: 4 KiB leaves of 64 CDs.
        Assert.Equal(ssid / 64, CdTable4KLevel1Table.Index(ssid));
        Assert.Equal(ssid % 64 * 64, CdTable4KLevel2Table.Offset(ssid));
    }

    [Fact]
    public void LeafTableSizes()
    {
        // arm_smmu_alloc_cd_leaf_table: size = CTXDESC_L2_ENTRIES * (CTXDESC_CD_DWORDS << 3) = 64 KiB.
        Assert.Equal(1024L * 64, CdTable64KLevel2Table.SizeBytes);
        Assert.Equal(4096L, CdTable4KLevel2Table.SizeBytes);
        Assert.Equal(Cd.SizeBytes, CdTableLinearTable.EntryBytes);
        Assert.Equal(L1Cd.SizeBytes, CdTable64KLevel1Table.EntryBytes);
    }
}
