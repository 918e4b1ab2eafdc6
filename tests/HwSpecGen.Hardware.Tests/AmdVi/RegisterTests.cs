using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>MMIO register formats against Linux (amd_iommu_types.h, init.c, ppr.c) and QEMU (amd_iommu.h/.c) register code.</summary>
public sealed class RegisterTests
{
    [Theory]
    // init.c iommu_set_device_table: entry = phys | ((dev_table_size >> 12) - 1); 64 Ki DTEs * 32 bytes = 2 MiB -> 0x1FF.
    [InlineData(0x0008_0000_0020_0000UL, 0x1FFUL)]
    [InlineData(0x000F_FFFF_FFFF_F000UL, 0x100UL)]
    public void DeviceTableBaseAsLinuxWritesAndQemuReads(ulong phys, ulong size)
    {
        var raw = phys | size;
        var reg = DeviceTableBase.FromWords([raw]);
        Assert.Equal((phys, size), (reg.Base, reg.Size));
        Assert.Equal(raw, DeviceTableBase.Create().WithBase(phys).WithSize(size).GetWord(0));
        // amdvi_handle_devtab_write: devtab = val & AMDVI_MMIO_DEVTAB_BASE_MASK; devtab_len = ((val & 0xfff) + 1) * (4096 / 32)
        Assert.Equal(phys, raw & (((1UL << 52) - 1) & ~0xFFFUL));
        Assert.Equal((size + 1) * 128, ((raw & 0xFFF) + 1) * (4096 / 32));
    }

    [Theory]
    // Linux: phys | MMIO_CMD_SIZE_512 (0x9 << 56) / EVT_LEN_MASK (0x9 << 56) / PPR_LOG_SIZE_512 (0x9 << 56)
    [InlineData(0x0008_0000_1234_5000UL, 9UL)]
    [InlineData(0x000F_FFFF_FFFF_F000UL, 15UL)]
    public void RingBaseRegistersAsLinuxWritesAndQemuReads(ulong phys, ulong length)
    {
        var raw = phys | length << 56;
        var cmd = CommandBufferBase.FromWords([raw]);
        var evt = EventLogBase.FromWords([raw]);
        var ppr = PprLogBase.FromWords([raw]);
        Assert.Equal((phys, length), (cmd.Base, cmd.Length));
        Assert.Equal((phys, length), (evt.Base, evt.Length));
        Assert.Equal((phys, length), (ppr.Base, ppr.Length));
        Assert.Equal(raw, CommandBufferBase.Create().WithBase(phys).WithLength(length).GetWord(0));

        // amdvi_handle_cmdbase_write: cmdbuf = val & AMDVI_MMIO_CMDBUF_BASE_MASK; cmdbuf_len = 1 << (byte 7 & 0x0f)
        Assert.Equal(phys, raw & (((1UL << 52) - 1) & ~0xFFFUL));
        Assert.Equal(1UL << (int)length, 1UL << (int)((raw >> 56) & 0x0F));
    }

    [Theory]
    // copy_cmd_to_buffer: writel(tail) with tail a multiple of sizeof(struct iommu_cmd) = 16
    [InlineData(0x1FF0UL)]
    [InlineData(0x7_FFF0UL)]
    [InlineData(0x4_0000UL)]
    public void HeadAndTailPointersAreMaskedLikeQemu(ulong offset)
    {
        var junk = offset | 0xF | 0xFFFF_FFFF_FFF8_0000UL;
        // AMDVI_MMIO_CMDBUF_HEAD_MASK = ((1ULL << 19) - 1) & ~0x0f; Linux MMIO_CMD_HEAD_MASK = GENMASK_ULL(18, 4)
        Assert.Equal(junk & (((1UL << 19) - 1) & ~0x0FUL), CommandBufferHead.FromWords([junk]).Offset);
        Assert.Equal(offset, CommandBufferTail.FromWords([junk]).Offset);
        Assert.Equal(offset, EventLogHead.FromWords([junk]).Offset);
        Assert.Equal(offset, EventLogTail.FromWords([junk]).Offset);
        Assert.Equal(offset, PprLogHead.FromWords([junk]).Offset);
        Assert.Equal(offset, PprLogTail.FromWords([junk]).Offset);
        Assert.Equal(offset, CommandBufferTail.Create().WithOffset(offset).GetWord(0));
        Assert.True(CommandBufferTail.FromWords([junk]).Validate().IsValid); // ignored bits, not errors
    }

    [Fact]
    public void ControlBitsAreLinuxControlBitNumbers()
    {
        // iommu_feature_enable(iommu, bit) sets 1ULL << bit; iommu_set_inv_tlb_timeout(iommu, CTRL_INV_TO_1S) writes 4 << 5.
        int[] linuxBits = [0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 25, 28, 29, 45, 50, 51, 58, 59, 61];
        var raw = 4UL << 5 | 1UL << 43; // CONTROL_NUM_INT_REMAP_MODE_2K << CONTROL_NUM_INT_REMAP_MODE
        foreach (var bit in linuxBits)
        {
            raw |= 1UL << bit;
        }

        var c = Control.FromWords([raw]);
        Assert.True(c.IommuEn && c.HtTunEn && c.EventLogEn && c.EventIntEn && c.ComWaitIntEn && c.PassPw && c.ResPassPw && c.Coherent);
        Assert.True(c.Isoc && c.CmdBufEn && c.PprLogEn && c.PprIntEn && c.PprEn && c.GtEn && c.GaEn && c.GamEn && c.GaLogEn && c.GaIntEn);
        Assert.True(c.EphEn && c.XtEn && c.IntCapXtEn && c.Gcr3TrpMode && c.IrtCacheDis && c.SnpAvicEn);
        Assert.Equal(InvalidationTimeout.S1, c.InvTimeOut);
        Assert.Equal(1UL, c.NumIntRemapMode);
        Assert.True(c.Validate().IsValid);

        // QEMU amdvi_handle_control_write reads AMDVIEN (0), EVENTLOGEN (2), EVENTINTEN (3), COMWAITINTEN (4), CMDBUFLEN (12), GAEN (17).
        var q = Control.Create().WithIommuEn(true).WithEventLogEn(true).WithEventIntEn(true).WithComWaitIntEn(true).WithCmdBufEn(true).WithGaEn(true);
        Assert.Equal(1UL << 0 | 1UL << 2 | 1UL << 3 | 1UL << 4 | 1UL << 12 | 1UL << 17, q.GetWord(0));
    }

    [Fact]
    public void ControlMultiBitFieldsTopBits()
    {
        var c = Control.Create().WithInvTimeOut(InvalidationTimeout.S100).WithNumIntRemapMode(2);
        Assert.Equal(6UL << 5 | 2UL << 43, c.GetWord(0)); // CTRL_INV_TO_100S; NUM_INT_REMAP_MODE mask 0x3 at 43
        var d = Control.FromWords([4UL << 5 | 3UL << 43]); // CTRL_INV_TO_1S; both NUM_INT_REMAP_MODE bits
        Assert.Equal((InvalidationTimeout.S1, 3UL), (d.InvTimeOut, d.NumIntRemapMode));
        Assert.False(Control.FromWords([7UL << 5]).Validate().IsValid); // InvTimeOut 7 is not a CTRL_INV_TO_* value
    }

    [Fact]
    public void StatusBitsMatchLinuxMasksAndQemuResetMasks()
    {
        var s = Status.FromWords([0x7FFUL]);
        Assert.True(s.EventOverflow && s.EventLogInt && s.ComWaitInt && s.EventLogRun && s.CmdBufRun && s.PprOverflow);
        Assert.True(s.PprInt && s.PprLogRun && s.GaLogRun && s.GaLogOverflow && s.GaInt);
        // QEMU amdvi_init: amdvi_set_quad(s, AMDVI_MMIO_STATUS, 0, romask 0x98, w1cmask 0x67)
        Assert.Equal(0x98UL, Status.Create().WithEventLogRun(true).WithCmdBufRun(true).WithPprLogRun(true).GetWord(0));
        Assert.Equal(0x67UL, Status.Create().WithEventOverflow(true).WithEventLogInt(true).WithComWaitInt(true).WithPprOverflow(true).WithPprInt(true).GetWord(0));
    }

    [Fact]
    public void QemuDefaultExtendedFeaturesDecode()
    {
        // QEMU AMDVI_EXT_FEATURES: PREFETCH | PPR | IA | GT | HE | AMDVI_GATS_MODE (2 << 12) | AMDVI_HATS_MODE (2 << 10) | GA
        const ulong qemu = 0x1 | 0x2 | 0x40 | 0x10 | 0x100 | 2UL << 12 | 2UL << 10 | 0x80;
        var efr = ExtendedFeatures.FromWords([qemu]);
        Assert.True(efr.PreFSup && efr.PprSup && efr.IaSup && efr.GtSup && efr.HeSup && efr.GaSup);
        Assert.False(efr.XtSup || efr.NxSup || efr.PcSup);
        Assert.Equal(2UL, efr.Gats);                                    // Linux: only 1 selects 5-level guest tables
        Assert.Equal(HostAddressTranslationSize.Level6, efr.Hats);      // Linux: hpt_level = HATS + PAGE_MODE_4_LEVEL = 6
        Assert.True(efr.Validate().IsValid);
    }

    [Fact]
    public void LinuxFeatureMasksReadOurEfr()
    {
        var efr = ExtendedFeatures.Create().WithGtSup(true).WithNxSup(true).WithGlxSup(2).WithPasMax(0x10).WithGats(1)
            .WithHats(HostAddressTranslationSize.NotSupported).WithGIoSup(true).WithHaSup(true).WithHdSup(true).WithEphSup(true)
            .WithGamVapicSup(true).WithMsiCapMmioSup(true).WithSnpSup(true);
        var raw = efr.GetWord(0);
        Assert.Equal(2UL, (raw >> 14) & 3);                  // FEATURE_GLX
        Assert.Equal(0x10UL, (raw >> 32) & 0x1F);            // FEATURE_PASMAX
        Assert.Equal(1UL, (raw >> 12) & 3);                  // FEATURE_GATS == GUEST_PGTABLE_5_LEVEL
        Assert.Equal(3UL, (raw >> 10) & 3);                  // FEATURE_HATS == 0x3: amd_iommu_hatdis
        Assert.Equal(1UL << 3 | 1UL << 4 | 1UL << 21 | 1UL << 46 | 1UL << 48 | 1UL << 49 | 1UL << 50 | 1UL << 52 | 1UL << 63,
            raw & ~(0x3UL << 14 | 0x1FUL << 32 | 0xFUL << 10));
    }

    [Fact]
    public void EfrMultiBitFieldsTopBits()
    {
        // FEATURE_HATS 11:10, FEATURE_GATS 13:12, FEATURE_GLX 15:14, FEATURE_PASMAX 36:32: every bit of each field set.
        var efr = ExtendedFeatures.FromWords([0x3UL << 10 | 0x3UL << 12 | 0x3UL << 14 | 0x1FUL << 32]);
        Assert.Equal((HostAddressTranslationSize.NotSupported, 3UL, 3UL, 0x1FUL), (efr.Hats, efr.Gats, efr.GlxSup, efr.PasMax));
        var half = ExtendedFeatures.FromWords([0x2UL << 10 | 0x2UL << 12 | 0x2UL << 14 | 0x10UL << 32]);
        Assert.Equal((HostAddressTranslationSize.Level6, 2UL, 2UL, 0x10UL), (half.Hats, half.Gats, half.GlxSup, half.PasMax));
        var efr2 = ExtendedFeatures2.FromWords([0x7UL << 5 | 0x3UL << 8]);
        Assert.Equal((7UL, 3UL), (efr2.SnpAvicSup, efr2.NumIntRemapSup));
    }

    [Fact]
    public void ExtendedFeatures2AsLinuxReadsIt()
    {
        var efr2 = ExtendedFeatures2.FromWords([1UL << 1 | 1UL << 3 | 4UL << 5 | 2UL << 8 | 1UL << 11]);
        Assert.True(efr2.SevSnpIoSup && efr2.Gcr3TrpModeSup && efr2.HtRangeIgnore);
        Assert.Equal(4UL, efr2.SnpAvicSup);     // FEATURE_SNPAVICSUP = GENMASK(7, 5)
        Assert.Equal(2UL, efr2.NumIntRemapSup); // FEATURE_NUM_INT_REMAP_SUP = GENMASK(9, 8)

        var twoK = ExtendedFeatures2.Create().WithNumIntRemapSup(1).WithSnpAvicSup(1).GetWord(0);
        Assert.Equal(1UL << 8, twoK & (1UL << 8));  // FEATURE_NUM_INT_REMAP_SUP_2K; QEMU AMDVI_FEATURE_NUM_INT_REMAP_SUP (1 << 8)
        Assert.Equal(1UL, (twoK >> 5) & 7);        // FEATURE_SNPAVICSUP_GAM
    }
}
