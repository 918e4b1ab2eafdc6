using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>CMD_SYNC against Linux arm_smmu_cmdq_build_sync_cmd / arm_smmu_cmdq_build_cmd and QEMU CMD_SYNC_CS.</summary>
public sealed class CmdSyncTests
{
    // arm_smmu_cmdq_build_sync_cmd with MSI polling: msiaddr = q->base_dma + Q_IDX(prod) * ent_dwords * 8
    // = 0x8_0000_0000 + 5 * 2 * 8 = 0x8_0000_0050; arm_smmu_cmdq_build_cmd(CMDQ_OP_CMD_SYNC):
    //   cmd[0] = 0x46 | CS = CMDQ_SYNC_0_CS_IRQ (1) << 12 | MSH = ARM_SMMU_SH_ISH (3) << 22 | MSIATTR = OIWB (0xF) << 24
    //   cmd[1] = msiaddr & GENMASK_ULL(51, 2)
    private static readonly ulong[] LinuxSyncMsi = { 0x0000_0000_0FC0_1046UL, 0x0000_0008_0000_0050UL };

    // Without MSI (sync.msiaddr = 0): CS = CMDQ_SYNC_0_CS_SEV (2), MSH and MSIATTR still written.
    private static readonly ulong[] LinuxSyncSev = { 0x0000_0000_0FC0_2046UL, 0x0000_0000_0000_0000UL };

    [Fact]
    public void LinuxSyncDecodes()
    {
        var msi = Decode<CmdSync>(FromQwords(LinuxSyncMsi));
        Assert.Equal(CmdSyncCompletionSignal.SigIrq, msi.Cs);
        Assert.Equal(Shareability.InnerShareable, msi.Msh);
        Assert.Equal(0xFUL, msi.MsiAttr);
        Assert.Equal(0UL, msi.MsiData);
        Assert.Equal(0x8_0000_0050UL, msi.MsiAddr);
        Assert.True(msi.Validate().IsValid);

        var sev = Decode<CmdSync>(FromQwords(LinuxSyncSev));
        Assert.Equal(CmdSyncCompletionSignal.SigSev, sev.Cs);
        Assert.Equal(0UL, sev.MsiAddr);
        Assert.True(sev.Validate().IsValid);

        Assert.Equal(FromQwords(LinuxSyncMsi), CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigIrq).WithMsh(Shareability.InnerShareable).WithMsiAttr(0xF).WithMsiAddr(0x8_0000_0050).ToBytes());
        Assert.Equal(FromQwords(LinuxSyncSev), CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigSev).WithMsh(Shareability.InnerShareable).WithMsiAttr(0xF).ToBytes());
    }

    [Fact]
    public void QemuReadsTheCompletionSignal()
    {
        // smmuv3_cmdq_consume SMMU_CMD_SYNC: if (CMD_SYNC_CS(&cmd) & CMD_SYNC_SIG_IRQ) raise the interrupt.
        Assert.Equal(1U, CmdSyncCs(Words(FromQwords(LinuxSyncMsi))));
        Assert.Equal(2U, CmdSyncCs(Words(FromQwords(LinuxSyncSev))));
    }

    [Fact]
    public void MsiPayloadTopBits()
    {
        // MsiData 63:32 and MsiAddr [55:2] (bits 119:66); Linux's CMDQ_SYNC_1_MSIADDR_MASK stops at bit 51.
        var cmd = CmdSync.Create().WithCs(CmdSyncCompletionSignal.SigIrq).WithMsh(Shareability.OuterShareable).WithMsiAttr(0x8)
            .WithMsiData(0x8000_0000).WithMsiAddr(0x0080_0000_0000_0004);
        var q = Qwords(cmd.ToBytes());
        Assert.Equal(0x8000_0000UL, FieldGet(CmdqSync0MsiData, q[0]));
        Assert.Equal(2UL, FieldGet(CmdqSync0Msh, q[0]));
        Assert.Equal(8UL, FieldGet(CmdqSync0MsiAttr, q[0]));
        Assert.Equal(0x0080_0000_0000_0004UL, q[1]);
        Assert.Equal(4UL, q[1] & CmdqSync1MsiAddrMask); // Linux would drop address bit 55
        Assert.True(cmd.Validate().IsValid);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => CmdSync.Create().WithMsiAddr(0x2)); // 4-byte aligned
    }

    [Fact]
    public void ReservedCompletionSignalIsIllegal()
    {
        var bad = Decode<CmdSync>(FromQwords(LinuxSyncSev[0] | FieldPrep(CmdqSync0Cs, 3), 0));
        Assert.Equal(new[] { "CsNotReserved" }, ViolatedRules(bad));
        Assert.Equal(new[] { "CERROR_ILL" }, bad.Validate().RuleErrors(CmdSync.Layout));

        // MSI address bits 1:0 (cmd[1] bits 1:0) and above 55 are RES0.
        var v = Decode<CmdSync>(FromQwords(LinuxSyncMsi[0], LinuxSyncMsi[1] | 3 | (1UL << 56))).Validate();
        Assert.Equal(3UL | (1UL << 56), v.ReservedBitsSet(1));
    }
}
