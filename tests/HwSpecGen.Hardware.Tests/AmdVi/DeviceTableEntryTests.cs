using CsCheck;
using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>
/// The 256-bit DTE against Linux's DTE builders (iommu.c amd_iommu_make_clear_dte, amd_iommu_set_dte_v1,
/// set_dte_gcr3_table, set_dte_passthrough, set_dte_irq_entry; nested.c set_dte_nested) and QEMU's readers
/// (amd_iommu.c amdvi_get_perms, amdvi_page_walk, amdvi_get_irte, __amdvi_int_remap_msi, amdvi_validate_dte).
/// </summary>
public sealed class DeviceTableEntryTests
{
    private const ulong GuestGcr3 = 0x000C_0000_C000_F000;

    // Host DTE as set_dte_nested builds it for the guest DTE in GuestDeviceTableEntryTests:
    //  amd_iommu_make_clear_dte: data[0] = DTE_FLAG_V, plus IVHD flags from set_dev_entry_from_acpi
    //    (DEV_ENTRY_SYSMGT1/2 = bits 104/105, INIT/EINT/NMI_PASS = 184..186, LINT0/1_PASS = 190/191);
    //  amd_iommu_set_dte_v1(hdom_id = 0x8001, host_pt_root = 0x0008_0000_1234_5000, mode = 4, dirty tracking, ATS):
    //    data[0] |= TV | FIELD_PREP(DTE_MODE_MASK, 4) | DTE_FLAG_HAD | root | IR | IW; data[1] |= 0x8001 | DTE_FLAG_IOTLB;
    //  set_dte_nested: data[0] |= GV | (gdte[0] & (PPR | GLX | GIOV | GCR3_14_12)); data[1] |= gdte[1] & (GCR3_30_15 | GCR3_51_31);
    //    data[2] |= gdte[2] & DTE_GPT_LEVEL_MASK;
    //  set_dte_irq_entry(table at 0x0008_0000_0ABC_DE80, 2K entries): data[2] |= table | DTE_IRQ_REMAP_INTCTL
    //    | DTE_INTTABLEN_2K | DTE_IRQ_REMAP_ENABLE.
    private static readonly ulong[] LinuxNestedHostDte = [0x7ED8_0000_1234_5983, 0xC000_0B01_8001_8001, 0xE748_0000_0ABC_DE97, 0];

    // Linux set_dte_passthrough (IDENTITY domain, id 0xFFFF, ATS): data[0] = V | TV | IR | IW; data[1] = 0xFFFF | DTE_FLAG_IOTLB.
    private static readonly ulong[] LinuxPassthroughDte = [0x6000_0000_0000_0003, 0x0000_0001_0000_FFFF, 0, 0];

    [Fact]
    public void LinuxSetDteNestedPlusIrqEntryDecodes()
    {
        Assert.True(DeviceTableEntry.TryDecode(FromQwords(LinuxNestedHostDte), out var dte, out _));
        Assert.True(dte.V);
        Assert.True(dte.Tv);
        Assert.Equal(3UL, dte.Had);
        Assert.Equal(DteMode.Level4, dte.Mode);
        Assert.Equal(0x0008_0000_1234_5000UL, dte.HostPageTableRoot);
        Assert.True(dte.Ppr);
        Assert.True(dte.GIov);
        Assert.True(dte.Gv);
        Assert.Equal(2UL, dte.Glx);
        Assert.Equal(GuestGcr3, dte.Gcr3Root);
        Assert.True(dte.Ir);
        Assert.True(dte.Iw);
        Assert.Equal(0x8001UL, dte.DomainId);
        Assert.True(dte.IotlbEnable);
        Assert.Equal(3UL, dte.SysMgt);
        Assert.True(dte.Iv);
        Assert.Equal(11UL, dte.IntTabLen);
        Assert.Equal(0x0008_0000_0ABC_DE80UL, dte.IntTableRoot);
        Assert.Equal(GuestPagingMode.FiveLevel, dte.GuestPagingMode);
        Assert.True(dte.InitPass && dte.EIntPass && dte.NmiPass && dte.Lint0Pass && dte.Lint1Pass);
        Assert.Equal(IntCtl.Remap, dte.IntCtl);
        Assert.False(dte.Se || dte.Sa || dte.Cache || dte.Sd || dte.Ex);
        Assert.Equal(0UL, dte.IoCtl);
        Assert.True(dte.Validate().IsValid);
    }

    [Fact]
    public void EncoderReproducesLinuxSetDteNested()
    {
        var dte = DeviceTableEntry.Create()
            .WithV(true).WithTv(true).WithHad(3).WithMode(DteMode.Level4).WithHostPageTableRoot(0x0008_0000_1234_5000)
            .WithPpr(true).WithGIov(true).WithGv(true).WithGlx(2).WithGcr3Root(GuestGcr3).WithIr(true).WithIw(true)
            .WithDomainId(0x8001).WithIotlbEnable(true).WithSysMgt(3)
            .WithIv(true).WithIntTabLen(11).WithIntTableRoot(0x0008_0000_0ABC_DE80).WithGuestPagingMode(GuestPagingMode.FiveLevel)
            .WithInitPass(true).WithEIntPass(true).WithNmiPass(true).WithIntCtl(IntCtl.Remap).WithLint0Pass(true).WithLint1Pass(true);
        Assert.Equal(FromQwords(LinuxNestedHostDte), dte.ToBytes());
    }

    [Fact]
    public void Gcr3RootSegmentsAreWhereLinuxPutsThem()
    {
        // set_dte_gcr3_table: FIELD_PREP(DTE_GCR3_14_12, gcr3 >> 12) into data[0], FIELD_PREP(DTE_GCR3_30_15, gcr3 >> 15)
        // and FIELD_PREP(DTE_GCR3_51_31, gcr3 >> 31) into data[1].
        var dte = DeviceTableEntry.Create().WithGcr3Root(GuestGcr3);
        Assert.Equal(((GuestGcr3 >> 12) << 58) & GenMask(60, 58), dte.GetWord(0));
        Assert.Equal((((GuestGcr3 >> 15) << 16) & GenMask(31, 16)) | (((GuestGcr3 >> 31) << 43) & GenMask(63, 43)), dte.GetWord(1));
        Assert.Equal(0x7UL, Extract64(dte.GetWord(0), 58, 3));
        Assert.Equal(0x8001UL, Extract64(dte.GetWord(1), 16, 16));
        Assert.Equal(0x18_0001UL, Extract64(dte.GetWord(1), 43, 21));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => dte.WithGcr3Root(0x1800));      // not 4 KiB aligned
        Assert.Throws<System.ArgumentOutOfRangeException>(() => dte.WithGcr3Root(1UL << 52));   // past bit 51
    }

    [Fact]
    public void LinuxSetDtePassthroughDecodes()
    {
        var dte = DeviceTableEntry.Read(FromQwords(LinuxPassthroughDte));
        Assert.True(dte.V && dte.Tv && dte.Ir && dte.Iw && dte.IotlbEnable);
        Assert.Equal(DteMode.None, dte.Mode);
        Assert.Equal(0xFFFFUL, dte.DomainId);
        Assert.False(dte.Gv);
        Assert.True(dte.Validate().IsValid);
        Assert.Equal(FromQwords(LinuxPassthroughDte), DeviceTableEntry.Create().WithV(true).WithTv(true).WithIr(true).WithIw(true)
            .WithDomainId(0xFFFF).WithIotlbEnable(true).ToBytes());
    }

    [Fact]
    public void QemuReadsOurEncoding()
    {
        var dte = DeviceTableEntry.Create()
            .WithV(true).WithTv(true).WithHad(2).WithMode(DteMode.Level6).WithHostPageTableRoot(0x000F_FFFF_FFFF_F000)
            .WithIr(true).WithIw(false).WithDomainId(0xFFFF).WithIoCtl(2).WithSysMgt(2).WithSe(true).WithSa(true).WithCache(true)
            .WithSd(true).WithEx(true).WithIv(true).WithIntTabLen(8).WithIntTableRoot(0x0007_FFFF_FFFF_FFC0)
            .WithIntCtl(IntCtl.Forward).WithNmiPass(true);
        var bytes = dte.ToBytes();
        var d0 = Qword(bytes, 0);
        var d1 = Qword(bytes, 1);
        var d2 = Qword(bytes, 2);
        var d3 = Qword(bytes, 3);

        Assert.Equal(1UL, d0 & 1);                                                     // AMDVI_DEV_VALID
        Assert.Equal(2UL, d0 & 2);                                                     // AMDVI_DEV_TRANSLATION_VALID
        Assert.Equal(1UL, (d0 & (1UL << 61 | 1UL << 62)) >> 61);                       // amdvi_get_perms: read only
        Assert.Equal(6UL, (d0 >> 9) & 0x7);                                            // AMDVI_DEV_MODE_RSHIFT/MASK
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, d0 & 0xF_FFFF_FFFF_F000);                // AMDVI_DEV_PT_ROOT_MASK
        Assert.Equal(0xFFFFUL, d1 & 0xFFFF);                                           // AMDVI_DEV_DOMID_ID_MASK
        Assert.Equal(1UL, d2 & 1);                                                     // AMDVI_IR_REMAP_ENABLE
        Assert.Equal(1UL, (d2 >> 60) & 3);                                             // AMDVI_IR_INTCTL_PASS
        Assert.Equal(0x0007_FFFF_FFFF_FFC0UL, d2 & (((1UL << 45) - 1) << 6));          // AMDVI_IR_PHYS_ADDR_MASK (45 bits)
        Assert.NotEqual(0UL, d2 & (1UL << 58));                                        // AMDVI_DEV_NMI_PASS_MASK
        Assert.Equal(0UL, d0 & (GenMask(6, 2) | GenMask(63, 63)));                      // amdvi_validate_dte: QUAD0
        Assert.Equal(0UL, d2 & GenMask(53, 52));                                       // QUAD2
        Assert.Equal(0UL, d3 & (GenMask(14, 0) | GenMask(53, 48)));                    // QUAD3
        Assert.True(dte.Validate().IsValid);
    }

    [Fact]
    public void TopBitOfEveryMultiBitFieldRoundTrips()
    {
        // Had 2, Mode 4, root bit 51, Glx 2, Gcr3Root bit 51, DomainId 0x8000, IoCtl 2, SysMgt 2, IntTabLen 8,
        // IntTableRoot bit 51, GuestPagingMode 2 (not a valid mode), IntCtl 2; words worked out by hand from the bit positions.
        ulong[] words =
        [
            1UL << 8 | 4UL << 9 | 1UL << 51 | 2UL << 56 | 1UL << 55 | 1,
            0x8000UL | 2UL << 35 | 2UL << 40 | 1UL << 63,
            8UL << 1 | 1UL << 179 - 128 | 2UL << 54 | 2UL << 60 | 1,
            0,
        ];
        var dte = DeviceTableEntry.FromWords(words);
        Assert.Equal((2UL, DteMode.Level4, 1UL << 51, 2UL, 1UL << 51), (dte.Had, dte.Mode, dte.HostPageTableRoot, dte.Glx, dte.Gcr3Root));
        Assert.Equal((0x8000UL, 2UL, 2UL, 8UL, 1UL << 51), (dte.DomainId, dte.IoCtl, dte.SysMgt, dte.IntTabLen, dte.IntTableRoot));
        Assert.Equal(((GuestPagingMode)2, IntCtl.Remap), (dte.GuestPagingMode, dte.IntCtl));
        var back = DeviceTableEntry.Create().WithV(true).WithHad(2).WithMode(DteMode.Level4).WithHostPageTableRoot(1UL << 51).WithGv(true)
            .WithGlx(2).WithGcr3Root(1UL << 51).WithDomainId(0x8000).WithIoCtl(2).WithSysMgt(2).WithIv(true).WithIntTabLen(8)
            .WithIntTableRoot(1UL << 51).WithGuestPagingMode((GuestPagingMode)2).WithIntCtl(IntCtl.Remap);
        Assert.Equal(dte, back);
        Assert.Equal(new[] { "GuestPagingModeValid" }, AmdViRules.Violated(dte)); // V and GV set: mode 2 is illegal
        Assert.NotEqual(System.UInt128.Zero, dte.Validate().EnumFields);           // and not a named GuestPagingMode
    }

    [Fact]
    public void QemuInterruptTableMaskDropsBit51ThatLinuxUses()
    {
        // Linux DTE_IRQ_PHYS_ADDR_MASK = GENMASK_ULL(51, 6) (46 bits); the QEMU header read has ((1ULL << 45) - 1) << 6.
        var dte = DeviceTableEntry.Read(FromQwords(LinuxNestedHostDte));
        var d2 = dte.GetWord(2);
        Assert.Equal(dte.IntTableRoot, d2 & GenMask(51, 6));
        Assert.Equal(dte.IntTableRoot & ~(1UL << 51), d2 & (((1UL << 45) - 1) << 6));
    }

    [Fact]
    public void ReservedBitsAreExactlyQemuAmdviValidateDteMasks()
    {
        Gen.ULong.Array[4].Sample(words =>
        {
            var v = DeviceTableEntry.FromWords(words).Validate();
            Assert.Equal(words[0] & (GenMask(6, 2) | GenMask(63, 63)), v.ReservedBitsSet(0)); // AMDVI_DTE_QUAD0_RESERVED
            Assert.Equal(0UL, v.ReservedBitsSet(1));                                         // AMDVI_DTE_QUAD1_RESERVED = 0
            Assert.Equal(words[2] & GenMask(53, 52), v.ReservedBitsSet(2));                  // AMDVI_DTE_QUAD2_RESERVED
            Assert.Equal(words[3] & (GenMask(14, 0) | GenMask(53, 48)), v.ReservedBitsSet(3)); // AMDVI_DTE_QUAD3_RESERVED
        });
    }

    [Fact]
    public void IllegalCombinationsRaiseIllegalDevTableEntry()
    {
        var valid = DeviceTableEntry.Read(FromQwords(LinuxNestedHostDte));
        Assert.Empty(AmdViRules.Violated(valid));

        Assert.Equal(new[] { "GlxNotReserved" }, AmdViRules.Violated(valid.WithGlx(3)));
        Assert.Equal(new[] { "GuestPagingModeValid" }, AmdViRules.Violated(valid.WithGuestPagingMode((GuestPagingMode)2)));
        Assert.Equal(new[] { "IntCtlNotReserved" }, AmdViRules.Violated(valid.WithIntCtl((IntCtl)3)));
        Assert.Equal(new[] { "ModeNotReserved" }, AmdViRules.Violated(valid.WithMode((DteMode)7)));
        Assert.All(valid.WithGlx(3).Validate().RuleErrors(DeviceTableEntry.Layout), e => Assert.Equal("ILLEGAL_DEV_TABLE_ENTRY", e));

        // The guards: GLX/guest paging mode only matter with V and GV, IntCtl only with IV, Mode only with V and TV.
        Assert.Empty(AmdViRules.Violated(valid.WithGv(false).WithGlx(3).WithGuestPagingMode((GuestPagingMode)3)));
        Assert.Empty(AmdViRules.Violated(valid.WithIv(false).WithIntCtl((IntCtl)3)));
        Assert.Empty(AmdViRules.Violated(valid.WithTv(false).WithMode((DteMode)7)));
    }

    [Fact]
    public void DeviceTableGeometryMatchesLinuxAndQemu()
    {
        // DEV_TABLE_ENTRY_SIZE = 32; QEMU amdvi_get_dte: offset = devid * AMDVI_DEVTAB_ENTRY_SIZE.
        Assert.Equal(32, DeviceTableTable.EntryBytes);
        Assert.Equal(65536L, DeviceTableTable.Entries);
        Assert.Equal(0xFFFFUL * 32, DeviceTableTable.Offset(0xFFFF));
        Assert.Equal(0x8001UL * 32, DeviceTableTable.Offset(0x8001));
    }
}
