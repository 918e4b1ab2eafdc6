using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// The guest-command rewriting Linux arm-smmu-v3-iommufd.c <c>arm_vsmmu_convert_user_cmd</c> performs before a
/// vSMMU's invalidations reach the host queue: done with our structs, checked against the Linux masks.
/// </summary>
public sealed class VsmmuCommandTests
{
    private const ulong HostVmid = 0x8042;

    [Fact]
    public void NsnhAllBecomesNhAllOfTheVmid()
    {
        // case CMDQ_OP_TLBI_NSNH_ALL: cmd[0] = CMDQ_OP_TLBI_NH_ALL | FIELD_PREP(CMDQ_TLBI_0_VMID, vmid); cmd[1] = 0.
        var guest = TlbiNsnhAll.Create();
        Assert.Equal(CommandKind.TlbiNsnhAll, CommandSet.Decode(guest.ToBytes()).Kind);
        var host = TlbiNhAll.Create().WithVmid(HostVmid);
        Assert.Equal(new[] { 0x10UL | FieldPrep(CmdqTlbi0Vmid, HostVmid), 0UL }, Qwords(host.ToBytes()));
    }

    [Fact]
    public void NhCommandsGetTheHostVmid()
    {
        // case CMDQ_OP_TLBI_NH_VA/VAA/ALL/ASID: cmd[0] &= ~CMDQ_TLBI_0_VMID; cmd[0] |= FIELD_PREP(CMDQ_TLBI_0_VMID, vmid).
        var guest = TlbiNhVa.Create().WithVmid(0x7).WithAsid(0x8001).WithTg(TlbiGranule.Granule4K).WithNum(3).WithScale(2).WithTtl(3).WithLeaf(true)
            .WithAddress(0x8000_0000_1234_0000);
        var raw = Qwords(guest.ToBytes());
        var converted = new[] { (raw[0] & ~CmdqTlbi0Vmid) | FieldPrep(CmdqTlbi0Vmid, HostVmid), raw[1] };
        Assert.Equal(FromQwords(converted), guest.WithVmid(HostVmid).ToBytes());

        var nhAsid = TlbiNhAsid.Create().WithAsid(0xFFFF).WithVmid(1);
        raw = Qwords(nhAsid.ToBytes());
        Assert.Equal(FromQwords((raw[0] & ~CmdqTlbi0Vmid) | FieldPrep(CmdqTlbi0Vmid, HostVmid), raw[1]), nhAsid.WithVmid(HostVmid).ToBytes());
    }

    [Fact]
    public void CdAndAtcCommandsGetThePhysicalStreamId()
    {
        // case CMDQ_OP_ATC_INV / CFGI_CD / CFGI_CD_ALL: the vSID in CMDQ_CFGI_0_SID (63:32) is replaced by the
        // physical SID - the same bits are CMDQ_ATC_0_SID.
        const ulong vsid = 0x3;
        const ulong psid = 0x8000_0100;
        Assert.Equal(CmdqCfgi0Sid, CmdqAtc0Sid);

        var cd = CfgiCd.Create().WithSid(vsid).WithSsid(0x12345).WithLeaf(true);
        var raw = Qwords(cd.ToBytes());
        Assert.Equal(FromQwords((raw[0] & ~CmdqCfgi0Sid) | FieldPrep(CmdqCfgi0Sid, psid), raw[1]), cd.WithSid(psid).ToBytes());

        var atc = AtcInv.ForRange(vsid, 0x12345, 0x4000, 0x1000);
        raw = Qwords(atc.ToBytes());
        Assert.Equal(FromQwords((raw[0] & ~CmdqCfgi0Sid) | FieldPrep(CmdqCfgi0Sid, psid), raw[1]), atc.WithSid(psid).ToBytes());

        var cdAll = CfgiCdAll.Create().WithSid(vsid);
        raw = Qwords(cdAll.ToBytes());
        Assert.Equal(FromQwords((raw[0] & ~CmdqCfgi0Sid) | FieldPrep(CmdqCfgi0Sid, psid), raw[1]), cdAll.WithSid(psid).ToBytes());
    }
}
