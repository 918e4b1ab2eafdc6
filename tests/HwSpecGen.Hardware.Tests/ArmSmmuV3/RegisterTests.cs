using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// The ID, control and queue registers against QEMU smmuv3_init_regs / smmuv3-common.h REG32 FIELDs and the Linux
/// IDR*/CR0/GERROR/queue masks read by arm_smmu_device_hw_probe and written by arm_smmu_device_reset.
/// </summary>
public sealed class RegisterTests
{
    [Fact]
    public void QemuResetIdRegisters()
    {
        // smmuv3_init_regs (stage-1 default): S1P, TTF = 2, COHACC, ASID16, VMID16, TTENDIAN = 2, STALL_MODEL = 1,
        // TERM_MODEL, STLEVEL = 1.
        var idr0Value = InitIdr0(stage2: false);
        Assert.Equal(0x0D44_101AU, idr0Value);
        var idr0 = Decode<Idr0>(FromWords(idr0Value));
        Assert.True(idr0.S1p);
        Assert.False(idr0.S2p);
        Assert.Equal(TableFormat.Aarch64, idr0.Ttf);
        Assert.True(idr0.Cohacc && idr0.Asid16 && idr0.Vmid16 && idr0.TermModel);
        Assert.Equal(TranslationTableEndianness.LittleEndian, idr0.Ttendian);
        Assert.Equal(StallModel.TerminateOnly, idr0.StallModelSupport);
        Assert.Equal(1UL, idr0.StLevel);
        Assert.False(idr0.Hyp || idr0.Ats || idr0.Pri || idr0.Msi || idr0.Sev || idr0.Cd2l);

        // Linux arm_smmu_device_hw_probe / smmu_idr0_features on the same value.
        Assert.Equal(1UL, FieldGet(Idr0StLvl, idr0Value));
        Assert.Equal(2UL, FieldGet(Idr0TtEndian, idr0Value));
        Assert.Equal(1UL, FieldGet(Idr0StallModel, idr0Value));
        Assert.Equal(2UL, FieldGet(Idr0Ttf, idr0Value));
        Assert.Equal(Idr0S1P | Idr0CohAcc | Idr0Asid16 | Idr0Vmid16, idr0Value & (Idr0S1P | Idr0S2P | Idr0CohAcc | Idr0Asid16 | Idr0Vmid16));

        var idr0S2 = Decode<Idr0>(FromWords(InitIdr0(stage2: true)));
        Assert.True(idr0S2.S2p);
        Assert.False(idr0S2.S1p);

        var idr1 = Decode<Idr1>(FromWords(InitIdr1()));
        Assert.Equal(16UL, idr1.SidSize);
        Assert.Equal(19UL, idr1.EventqS);
        Assert.Equal(19UL, idr1.CmdqS);
        Assert.Equal(0UL, idr1.SsidSize);
        Assert.Equal(19UL, FieldGet(Idr1CmdqS, InitIdr1()));
        Assert.Equal(16UL, FieldGet(Idr1SidSize, InitIdr1()));

        var idr3 = Decode<Idr3>(FromWords(InitIdr3()));
        Assert.True(idr3.Ril && idr3.Had);
        Assert.Equal(2UL, idr3.Bbml);
        Assert.Equal(Idr3Ril, InitIdr3() & Idr3Ril);

        var idr5 = Decode<Idr5>(FromWords(InitIdr5()));
        Assert.True(idr5.Gran4K && idr5.Gran16K && idr5.Gran64K);
        Assert.Equal(AddressSize.Bits44, idr5.Oas);
        Assert.Equal(4UL, FieldGet(Idr5Oas, InitIdr5()));
        Assert.Equal(Idr5Gran4K | Idr5Gran16K | Idr5Gran64K, InitIdr5() & (Idr5Gran4K | Idr5Gran16K | Idr5Gran64K));
    }

    [Fact]
    public void IdRegistersTopBits()
    {
        // Linux masks: IDR0_ST_LVL 28:27, STALL_MODEL 25:24, TTENDIAN 22:21, HTTU 7:6, TTF 3:2; IDR1 CMDQS 25:21, EVTQS
        // 20:16, PRIQS 15:11, SSIDSIZE 10:6, SIDSIZE 5:0; IDR5 STALL_MAX 31:16, VAX 11:10, OAS 2:0.
        var idr0 = Idr0.Create().WithStLevel(2).WithStallModelSupport(StallModel.StallForced).WithTtendian(TranslationTableEndianness.BigEndian)
            .WithHttu(2).WithTtf(TableFormat.Aarch32And64).WithHyp(true).WithAts(true).WithPri(true).WithSev(true).WithMsi(true).WithCd2l(true);
        var v0 = idr0.GetWord(0);
        Assert.Equal(2UL, FieldGet(Idr0StLvl, v0));
        Assert.Equal(2UL, FieldGet(Idr0StallModel, v0));
        Assert.Equal(3UL, FieldGet(Idr0TtEndian, v0));
        Assert.Equal(2UL, FieldGet(Idr0Httu, v0));
        Assert.Equal(3UL, FieldGet(Idr0Ttf, v0));
        Assert.Equal(Idr0Hyp | Idr0Ats | Idr0Pri | Idr0Sev | Idr0Msi | Idr0Cd2l, v0 & (Idr0Hyp | Idr0Ats | Idr0Pri | Idr0Sev | Idr0Msi | Idr0Cd2l));

        var idr1 = Idr1.Create().WithCmdqS(0x10).WithEventqS(0x10).WithPriqS(0x10).WithSsidSize(0x10).WithSidSize(0x20).WithAttrTypesOvr(true)
            .WithRel(true).WithQueuesPreset(true).WithTablesPreset(true);
        var v1 = idr1.GetWord(0);
        Assert.Equal(0x10UL, FieldGet(Idr1CmdqS, v1));
        Assert.Equal(0x10UL, FieldGet(Idr1EvtqS, v1));
        Assert.Equal(0x10UL, FieldGet(Idr1PriqS, v1));
        Assert.Equal(0x10UL, FieldGet(Idr1SsidSize, v1));
        Assert.Equal(0x20UL, FieldGet(Idr1SidSize, v1));
        Assert.Equal(Idr1AttrTypesOvr | Idr1Rel | Idr1QueuesPreset | Idr1TablesPreset, v1 & (0xFUL << 27));

        var idr5 = Idr5.Create().WithStallMax(0x8000).WithVax(2).WithOas(AddressSize.Bits52);
        Assert.Equal(0x8000UL, FieldGet(Idr5StallMax, idr5.GetWord(0)));
        Assert.Equal(2UL, FieldGet(Idr5Vax, idr5.GetWord(0)));
        Assert.Equal(6UL, FieldGet(Idr5Oas, idr5.GetWord(0)));
        Assert.Equal(Idr3Fwb, Idr3.Create().WithFwb(true).GetWord(0));
    }

    [Fact]
    public void ControlRegister0()
    {
        // arm_smmu_device_reset enables CR0_SMMUEN | CR0_CMDQEN | CR0_EVTQEN | CR0_PRIQEN | CR0_ATSCHK (bits 0..4).
        var enables = Cr0AtsChk | Cr0SmmuEn | Cr0CmdqEn | Cr0EvtqEn | Cr0PriqEn;
        var cr0 = Decode<Cr0>(FromWords((uint)enables));
        Assert.True(cr0.SmmuEn && cr0.CmdqEn && cr0.EventqEn && cr0.PriqEn && cr0.AtsChk);
        Assert.True(cr0.Validate().IsValid);
        Assert.Equal(enables, Cr0.Create().WithSmmuEn(true).WithCmdqEn(true).WithEventqEn(true).WithPriqEn(true).WithAtsChk(true).GetWord(0));

        // QEMU SMMU_CR0_RESERVED = 0xFFFF_FC20 (bits 5 and 31:10). Our RES0 bits are the spec's 5, 9 and 31:11; QEMU's
        // mask wrongly reserves DPT_WALK_EN (10) and lets the RES0 bit 9 through (a 2025 qemu-devel patch by Tao Tang,
        // "SMMU_CR0_RESERVED mask is incorrect", swaps the two).
        var all = Decode<Cr0>(FromWords(uint.MaxValue)).Validate().ReservedBitsSet(0);
        Assert.Equal(((ulong)SmmuCr0Reserved & ~(1UL << 10)) | (1UL << 9), all);
        Assert.Equal(4UL, Cr0.Create().WithVmw(4).GetWord(0) >> 6);
    }

    [Fact]
    public void GlobalErrors()
    {
        // Linux GERROR_* bits 0, 2..8 and GERROR_ERR_MASK 0x1FD; QEMU names bit 8 MSI_SFM_ERR, Linux SFM_ERR.
        var g = Decode<Gerror>(FromWords(0x1FD));
        Assert.True(g.CmdqErr && g.EventqAbtErr && g.PriqAbtErr && g.MsiCmdqAbtErr && g.MsiEventqAbtErr && g.MsiPriqAbtErr && g.MsiGerrorAbtErr && g.SfmErr);
        Assert.False(g.CmdqpErr || g.DptErr);
        Assert.True(g.Validate().IsValid);
        Assert.Equal(GerrorErrMask, Gerror.Create().WithCmdqErr(true).WithEventqAbtErr(true).WithPriqAbtErr(true).WithMsiCmdqAbtErr(true)
            .WithMsiEventqAbtErr(true).WithMsiPriqAbtErr(true).WithMsiGerrorAbtErr(true).WithSfmErr(true).GetWord(0));

        // arm_smmu_gerror_handler: active = gerror ^ gerrorn; it acknowledges by writing gerror to GERRORN.
        var gerrorn = Decode<Gerrorn>(FromWords(0x1));
        Assert.True(gerrorn.CmdqErr);
        Assert.Equal(1UL << 1, Decode<Gerror>(FromWords(0x2)).Validate().ReservedBitsSet(0));
        Assert.Equal(Gerror.Layout.Fields.Length, Gerrorn.Layout.Fields.Length);
    }

    [Fact]
    public void StreamTableBaseRegisters()
    {
        // arm_smmu_device_reset: STRTAB_BASE = (strtab_dma & STRTAB_BASE_ADDR_MASK) | STRTAB_BASE_RA;
        // STRTAB_BASE_CFG = FMT 2LVL (1) | SPLIT STRTAB_SPLIT (8) | LOG2SIZE sid_bits (here 32).
        var baseValue = (0x8_1234_5000UL & StrtabBaseAddrMask) | StrtabBaseRa;
        var b = Decode<StrtabBase>(FromQwords(baseValue));
        Assert.Equal(0x8_1234_5000UL, b.Addr);
        Assert.True(b.Ra);
        Assert.True(b.Validate().IsValid);
        Assert.Equal(baseValue & SmmuBaseAddrMask, b.Addr); // QEMU SMMU_BASE_ADDR_MASK (51:6)
        Assert.Equal(0x0080_0000_0000_0040UL, StrtabBase.Create().WithAddr(0x0080_0000_0000_0040).GetWord(0));

        var cfgValue = FieldPrep(StrtabBaseCfgFmt, 1) | FieldPrep(StrtabBaseCfgSplit, 8) | FieldPrep(StrtabBaseCfgLog2Size, 32);
        var cfg = Decode<StrtabBaseCfg>(FromWords((uint)cfgValue));
        Assert.Equal(1UL, cfg.Fmt);
        Assert.Equal(8UL, cfg.Split);
        Assert.Equal(32UL, cfg.Log2Size);
        Assert.Equal(cfgValue, StrtabBaseCfg.Create().WithFmt(1).WithSplit(8).WithLog2Size(32).GetWord(0));
        Assert.Equal(0x10UL, FieldGet(StrtabBaseCfgSplit, StrtabBaseCfg.Create().WithSplit(0x10).GetWord(0)));
        Assert.Equal(0x20UL, FieldGet(StrtabBaseCfgLog2Size, StrtabBaseCfg.Create().WithLog2Size(0x20).GetWord(0)));
        Assert.Equal(2UL, FieldGet(StrtabBaseCfgFmt, StrtabBaseCfg.Create().WithFmt(2).GetWord(0)));
    }

    [Fact]
    public void QueueRegisters()
    {
        // arm_smmu_init_one_queue: q_base = Q_BASE_RWA | (base_dma & Q_BASE_ADDR_MASK (51:5)) | FIELD_PREP(Q_BASE_LOG2SIZE, max_n_shift).
        var qbase = Q_BaseFor(0x8_0000_0000, 19);
        var cmdq = Decode<CmdqBase>(FromQwords(qbase));
        Assert.True(cmdq.Ra);
        Assert.Equal(0x8_0000_0000UL, cmdq.Addr);
        Assert.Equal(19UL, cmdq.Log2Size);
        var evtq = Decode<EventqBase>(FromQwords(qbase));
        Assert.True(evtq.Wa);
        Assert.Equal(0x8_0000_0000UL, evtq.Addr);
        Assert.Equal(qbase, CmdqBase.Create().WithRa(true).WithAddr(0x8_0000_0000).WithLog2Size(19).GetWord(0));

        // QEMU smmuv3_init_regs: cmdq.base = deposit64(base, 0, 5, SMMU_CMDQS (19)).
        Assert.Equal(19UL, Decode<CmdqBase>(FromQwords(19)).Log2Size);
        Assert.Equal(0x10UL, FieldGet(QBaseLog2Size, CmdqBase.Create().WithLog2Size(0x10).GetWord(0)));
        Assert.Equal(0x0080_0000_0000_0020UL, EventqBase.Create().WithAddr(0x0080_0000_0000_0020).GetWord(0));
        Assert.Equal(0x0080_0000_0000_0020UL, CmdqBase.Create().WithAddr(0x0080_0000_0000_0020).GetWord(0));
        Assert.Equal(0x8_0000_0000UL, Decode<CmdqBase>(FromQwords(qbase | (1UL << 56))).Addr);
        Assert.Equal(1UL << 56, Decode<CmdqBase>(FromQwords(qbase | (1UL << 56))).Validate().ReservedBitsSet(0));

        // CMDQ_CONS.ERR (30:24): QEMU smmu_write_cmdq_err deposits SMMUCmdError; Linux __arm_smmu_cmdq_skip_err reads
        // FIELD_GET(CMDQ_CONS_ERR, cons) and compares with CMDQ_ERR_CERROR_*_IDX.
        var cons = Decode<CmdqCons>(FromWords((SmmuCerrorIll << 24) | 0x8_0005));
        Assert.Equal(CommandError.Ill, cons.Err);
        Assert.Equal(0x8_0005UL, cons.Rd);
        Assert.Equal(1UL, FieldGet(CmdqConsErr, cons.GetWord(0)));
        Assert.Equal(CommandError.AtcInvSync, Decode<CmdqCons>(FromWords(SmmuCerrorAtcInvSync << 24)).Err);
        Assert.Equal(0x40UL, FieldGet(CmdqConsErr, CmdqCons.Create().WithErr((CommandError)0x40).GetWord(0)));

        // Q_OVERFLOW_FLAG (bit 31): EVENTQ_PROD.OVFLG and EVENTQ_CONS.OVACKFLG.
        var prod = Decode<EventqProd>(FromWords((uint)QOverflowFlag | 0xF_FFFF));
        Assert.True(prod.OvFlg);
        Assert.Equal(0xF_FFFFUL, prod.Wr);
        Assert.True(Decode<EventqCons>(FromWords((uint)QOverflowFlag | 3)).OvAckFlg);
        Assert.Equal(0x8_0000UL, Decode<CmdqProd>(FromWords(0x8_0000)).Wr);
        Assert.Equal(1UL << 20, Decode<CmdqProd>(FromWords(1U << 20)).Validate().ReservedBitsSet(0));
    }

    [Fact]
    public void RemainingRegistersTopBits()
    {
        // SMMU_IDR2.BA_VATOS (9:0, QEMU smmuv3-common.h FIELD(IDR2, BA_VATOS, 0, 10)); SMMU_IDR4 is IMPLEMENTATION DEFINED.
        Assert.Equal(0x200UL, Decode<Idr2>(FromWords(0x200)).BaVatos);
        Assert.Equal(0x3FFUL, Decode<Idr2>(FromWords(uint.MaxValue)).BaVatos);
        Assert.Equal(0x8000_0000UL, Decode<Idr4>(FromWords(0x8000_0000)).ImplementationDefined);
        Assert.Equal(0x1UL, Decode<Idr4>(FromWords(1)).ImplementationDefined);

        // Queue indexes with the wrap bit at the top of a 2^19-entry queue (Q_IDX | Q_WRP with max_n_shift 19).
        Assert.Equal(0x8_0000UL | 0x7_FFFF, Decode<CmdqProd>(FromWords(0xF_FFFF)).Wr);
        Assert.Equal(0xF_FFFFUL, Decode<CmdqCons>(FromWords(0xF_FFFF)).Rd);
        var prod = Decode<EventqProd>(FromWords(0x8_0001));
        Assert.False(prod.OvFlg);
        Assert.Equal(0x8_0001UL, prod.Wr);
        var cons = Decode<EventqCons>(FromWords(0x0_0001));
        Assert.False(cons.OvAckFlg);
        Assert.Equal(1UL, cons.Rd);
        Assert.Equal(0x7FFUL << 20, Decode<EventqCons>(FromWords(0x7FFU << 20)).Validate().ReservedBitsSet(0));

        // GERRORN mirrors GERROR: Linux acknowledges by writing the GERROR value back (arm_smmu_gerror_handler).
        var gerrorn = Decode<Gerrorn>(FromWords((uint)GerrorErrMask));
        Assert.True(gerrorn.CmdqErr && gerrorn.SfmErr && gerrorn.MsiGerrorAbtErr);
        Assert.Equal(Decode<Gerror>(FromWords((uint)GerrorErrMask)).GetWord(0), gerrorn.GetWord(0));
        Assert.Equal((1UL << 9) | (1UL << 10), Gerrorn.Create().WithCmdqpErr(true).WithDptErr(true).GetWord(0));
    }

    private static ulong Q_BaseFor(ulong dma, ulong log2) => QBaseRwa | (dma & QBaseAddrMask) | FieldPrep(QBaseLog2Size, log2);
}
