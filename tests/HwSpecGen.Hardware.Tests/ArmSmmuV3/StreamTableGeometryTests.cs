using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>Linear and 2-level stream table indexing against Linux arm_smmu_get_step_for_sid / arm_smmu_strtab_l1_idx / l2_idx and QEMU smmu_find_ste.</summary>
public sealed class StreamTableGeometryTests
{
    [Theory]
    [InlineData(0x0UL)]
    [InlineData(0x1234UL)]
    [InlineData(0xFFFFUL)]
    [InlineData(0x8000_0001UL)]
    public void TwoLevelSplit8MatchesLinux(ulong sid)
    {
        // Linux STRTAB_SPLIT = 8: arm_smmu_strtab_l1_idx(sid) = sid / STRTAB_NUM_L2_STES (256), l2_idx = sid % 256;
        // an L1 descriptor is one __le64, an STE STRTAB_STE_DWORDS (8) __le64.
        Assert.Equal(sid / 256, StreamTableSplit8Level1Table.Index(sid));
        Assert.Equal(sid % 256, StreamTableSplit8Level2Table.Index(sid));
        Assert.Equal(sid / 256 * 8, StreamTableSplit8Level1Table.Offset(sid));
        Assert.Equal(sid % 256 * 64, StreamTableSplit8Level2Table.Offset(sid));
    }

    [Theory]
    [InlineData(6, 0x1234UL)]
    [InlineData(10, 0x1234UL)]
    [InlineData(6, 0xFFFF_FFFFUL)]
    [InlineData(10, 0x8000_0000UL)]
    public void OtherSplitsMatchQemu(int split, ulong sid)
    {
        // QEMU smmu_find_ste: l1_ste_offset = sid >> sid_split; l1ptr = base + l1_ste_offset * sizeof(STEDesc) (8);
        // l2_ste_offset = sid & ((1 << sid_split) - 1); addr = l2ptr + l2_ste_offset * sizeof(STE) (64).
        var l1 = split == 6 ? StreamTableSplit6Level1Table.Offset(sid) : StreamTableSplit10Level1Table.Offset(sid);
        var l2 = split == 6 ? StreamTableSplit6Level2Table.Offset(sid) : StreamTableSplit10Level2Table.Offset(sid);
        Assert.Equal((sid >> split) * 8, l1);
        Assert.Equal((sid & ((1UL << split) - 1)) * 64, l2);
    }

    [Fact]
    public void LinearTable()
    {
        // QEMU smmu_find_ste (linear): addr = strtab_base + sid * sizeof(STE); Linux: &cfg->strtab[sid * STRTAB_STE_DWORDS].
        Assert.Equal(0x1234UL * 64, StreamTableLinearTable.Offset(0x1234));
        Assert.Equal(64, StreamTableLinearTable.EntryBytes);
        Assert.Equal(8, StreamTableSplit8Level1Table.EntryBytes);
        Assert.Equal(256L, StreamTableSplit8Level2Table.Entries);
        Assert.Equal(256L * 64, StreamTableSplit8Level2Table.SizeBytes);

        // Linux arm_smmu_init_l2_strtab: size = 1 << (STRTAB_SPLIT + ilog2(STRTAB_STE_DWORDS) + 3) = 16 KiB.
        Assert.Equal(1L << (8 + 3 + 3), StreamTableSplit8Level2Table.SizeBytes);
        Assert.Equal(Ste.SizeBytes, StreamTableSplit8Level2Table.EntryBytes);
        Assert.Equal(L1Std.SizeBytes, StreamTableSplit8Level1Table.EntryBytes);
    }
}
