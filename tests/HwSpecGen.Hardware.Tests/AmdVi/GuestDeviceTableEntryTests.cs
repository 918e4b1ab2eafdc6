using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>The guest DTE of a nested domain against Linux nested.c validate_gdte_nested and set_dte_nested.</summary>
public sealed class GuestDeviceTableEntryTests
{
    // A guest DTE as a VMM passes it in struct iommu_hwpt_amd_guest: V | GV | PPR | GIOV | GLX = 2 | GCR3 root
    // 0x000C_0000_C000_F000 (FIELD_PREP of gcr3 >> 12 / >> 15 / >> 31 into DTE_GCR3_14_12 / _30_15 / _51_31),
    // guest DomainID 0x0042, guest paging mode 1 (GUEST_PGTABLE_5_LEVEL).
    private static readonly ulong[] GuestDte = [0x1ED0_0000_0000_0001, 0xC000_0800_8001_0042, 0x0040_0000_0000_0000, 0];

    // What set_dte_nested + set_dte_irq_entry build from it (see DeviceTableEntryTests).
    private static readonly ulong[] HostDte = [0x7ED8_0000_1234_5983, 0xC000_0B01_8001_8001, 0xE748_0000_0ABC_DE97, 0];

    [Fact]
    public void ValidGuestDtePassesValidateGdteNested()
    {
        Assert.True(GuestDeviceTableEntry.TryDecode(FromQwords(GuestDte), out var guest, out _));
        Assert.True(guest.Validate().IsValid);
        Assert.Equal(0x0042UL, guest.DomainId); // amd_iommu_alloc_domain_nested: gdom_id = FIELD_GET(DTE_DOMID_MASK, dte[1])
        Assert.Equal(0x000C_0000_C000_F000UL, guest.Gcr3Root);
        Assert.Equal(2UL, guest.Glx);
        Assert.Equal(GuestPagingMode.FiveLevel, guest.GuestPagingMode);
    }

    [Fact]
    public void SetDteNestedCopiesOnlyTheGuestTranslationFields()
    {
        var guest = GuestDeviceTableEntry.FromWords(GuestDte);
        var host = DeviceTableEntry.FromWords(HostDte);
        Assert.Equal(guest.Ppr, host.Ppr);
        Assert.Equal(guest.GIov, host.GIov);
        Assert.Equal(guest.Glx, host.Glx);
        Assert.Equal(guest.Gcr3Root, host.Gcr3Root);
        Assert.Equal(guest.GuestPagingMode, host.GuestPagingMode);
        Assert.True(host.Gv);                                 // "GV is required for nested page table"
        Assert.NotEqual(guest.DomainId, host.DomainId);       // host DomainID from the gDomID -> hDomID map
    }

    [Theory]
    [InlineData("GuestModeIsZero")]
    [InlineData("GuestHostRootIsZero")]
    [InlineData("GuestGcr3RootPresent")]
    [InlineData("GuestPagingModeKnown")]
    [InlineData("GuestGlxNotReserved")]
    public void EachValidateGdteNestedRejectionIsOneRule(string rule)
    {
        var guest = GuestDeviceTableEntry.FromWords(GuestDte);
        var bad = rule switch
        {
            "GuestModeIsZero" => guest.WithMode(DteMode.Level4),                          // FIELD_GET(DTE_MODE_MASK, dte[0]) != 0
            "GuestHostRootIsZero" => guest.WithHostPageTableRoot(0x1000),                 // FIELD_GET(DTE_HOST_TRP, dte[0]) != 0
            "GuestGcr3RootPresent" => guest.WithGcr3Root(0),                              // V, GV and all GCR3 segments zero
            "GuestPagingModeKnown" => guest.WithV(false).WithGuestPagingMode((GuestPagingMode)2), // checked whatever V says
            _ => guest.WithGv(false).WithGlx(3),                                          // GLX = 3 is reserved, whatever GV says
        };
        Assert.Equal(new[] { rule }, AmdViRules.Violated(bad));
        Assert.All(bad.Validate().RuleErrors(GuestDeviceTableEntry.Layout), e => Assert.Equal("EINVAL", e));
    }

    [Fact]
    public void HostOnlyDteIsNotAValidGuestDte()
    {
        var asGuest = GuestDeviceTableEntry.FromWords(HostDte);
        Assert.Equal(new[] { "GuestModeIsZero", "GuestHostRootIsZero" }, AmdViRules.Violated(asGuest));
    }
}
