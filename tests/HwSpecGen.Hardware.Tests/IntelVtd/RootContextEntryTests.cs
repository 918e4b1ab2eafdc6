using HwSpecGen.Hardware.IntelVtd;
using static HwSpecGen.Hardware.Tests.IntelVtd.QemuVtdMacros;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>Scalable-mode root and context entries against Linux's builders and QEMU's checks.</summary>
public sealed class RootContextEntryTests
{
    [Fact]
    public void IommuContextAddrFillsBothHalvesOfTheRootEntry()
    {
        // Linux iommu_context_addr (scalable mode): *entry = phy_addr | 1 on root->lo for devfn < 0x80
        // and on root->hi for devfn >= 0x80.
        var e = ScalableModeRootEntry.FromWords([0x8000_0000_0000_0001UL, 0xFFFF_FFFF_FFFF_F001UL]);
        Assert.True(e.Lp);
        Assert.Equal(0x8000_0000_0000_0000UL, e.Lctp);
        Assert.True(e.Up);
        Assert.Equal(0xFFFF_FFFF_FFFF_F000UL, e.Uctp);
        Assert.True(e.Validate().IsValid);
    }

    [Fact]
    public void UpperOnlyRootEntryPassesQemuReservedCheck()
    {
        var e = ScalableModeRootEntry.Create().WithUp(true).WithUctp(0x1_2345_6000);
        Assert.Equal(0UL, e.GetWord(0));
        Assert.Equal(0x1_2345_6001UL, e.GetWord(1));
        Assert.Equal(RootEntryP, e.GetWord(1) & RootEntryP);
        Assert.Equal(0x1_2345_6000UL, e.GetWord(1) & RootEntryCtp);
        Assert.Equal(0UL, e.GetWord(0) & RootEntryRsvd(48));
        Assert.Equal(0UL, e.GetWord(1) & RootEntryRsvd(48));

        // vtd_root_entry_rsvd_bits_check: bits 11:1 of either half -> fault 0x0A.
        var bad = ScalableModeRootEntry.FromWords([0x1UL | 1UL << 11, 0x1UL | 1UL << 1]);
        Assert.Equal(1UL << 11, bad.Validate().ReservedBitsSet(0));
        Assert.Equal(1UL << 1, bad.Validate().ReservedBitsSet(1));
        Assert.Equal(0xFFEUL, ScalableModeRootEntry.Layout.MustBeZeroMask(0));
        Assert.Equal(0xFFEUL, ScalableModeRootEntry.Layout.MustBeZeroMask(1));
    }

    [Fact]
    public void ContextEntrySetPasidTableWithAllFeatures()
    {
        // context_clear_entry; lo = dir | context_pdts(4); context_set_sm_rid2pasid(0x80000);
        // context_set_sm_dte; context_set_pasid; context_set_sm_pre; context_set_fault_enable; context_set_present.
        var e = ScalableModeContextEntry.FromWords([0x8000_0000_0000_081DUL, 0x8_0000UL, 0, 0]);
        Assert.True(e.P);
        Assert.False(e.Fpd);
        Assert.True(e.Dte);
        Assert.True(e.Paside);
        Assert.True(e.Pre);
        Assert.Equal(4UL, e.Pdts);
        Assert.Equal(0x8000_0000_0000_0000UL, e.Pasiddirptr);
        Assert.Equal(0x8_0000UL, e.RidPasid);
        Assert.False(e.RidPriv);
        Assert.True(e.Validate().IsValid);
    }

    [Fact]
    public void ContextEntryAsQemuReadsIt()
    {
        var e = ScalableModeContextEntry.Create().WithP(true).WithFpd(true).WithPdts(7).WithPasiddirptr(0x000F_FFFF_FFFF_F000)
            .WithRidPasid(0xF_FFFF).WithRidPriv(true);
        ulong v0 = e.GetWord(0), v1 = e.GetWord(1);
        Assert.Equal(7UL, SmContextEntryPdts(v0));
        Assert.Equal(0x000F_FFFF_FFFF_F000UL, v0 & PasidDirBaseAddrMask);
        Assert.Equal(0xF_FFFFUL, v1 & SmContextEntryRid2PasidMask);
        Assert.Equal(0UL, v0 & SmContextEntryRsvdVal0(52));
        Assert.Equal(0UL, v1 & SmContextEntryRsvdVal1); // RID_PRIV (bit 84) is outside QEMU's mask
        Assert.Equal(0UL, e.GetWord(2) | e.GetWord(3));
        Assert.Equal(0x1E0UL, ScalableModeContextEntry.Layout.MustBeZeroMask(0));
        Assert.Equal(SmContextEntryRsvdVal1, ScalableModeContextEntry.Layout.MustBeZeroMask(1));
        Assert.Equal(ulong.MaxValue, ScalableModeContextEntry.Layout.MustBeZeroMask(2));

        // Linux: is_pasid_enabled = lo bit 3; get_pasid_dir_size = 1 << (PDTS + 7).
        Assert.Equal(1UL << (7 + 7), 1UL << (int)(e.Pdts + 7));
    }

    [Fact]
    public void ContextEntryReservedBitsAreReported()
    {
        // QEMU vtd_context_entry_rsvd_bits_check: val[0] & 0x1e0, val[1] & 0xffffffffffe00000, val[2], val[3].
        var e = ScalableModeContextEntry.FromWords([0x1UL | 1UL << 5, 1UL << 21, 1, 1UL << 63]);
        var v = e.Validate();
        Assert.Equal(1UL << 5, v.ReservedBitsSet(0));
        Assert.Equal(1UL << 21, v.ReservedBitsSet(1));
        Assert.Equal(1UL, v.ReservedBitsSet(2));
        Assert.Equal(1UL << 63, v.ReservedBitsSet(3));
        Assert.Equal(4, v.Count);
    }
}
