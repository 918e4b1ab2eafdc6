using System.Linq;
using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>
/// Fields Linux and QEMU do not define, checked bit by bit against the other public implementations that encode them:
/// Xen (xen/drivers/passthrough/amd/iommu-defs.h: struct amd_iommu_dte, struct amd_iommu_pte, IOMMU_COMP_WAIT_F_FLAG_MASK,
/// IOMMU_INV_IOTLB_PAGES_PASID2_MASK), VirtualBox (include/VBox/iommu-amd.h: DTE_T, EVT_IO_PAGE_FAULT_T,
/// CMD_INV_IOTLB_PAGES_T) and illumos (amd_iommu_dte_t). Each vector sets exactly the bits that source names and
/// nothing else, so a field one bit off, or one that takes a neighbour's bit, fails.
/// </summary>
public sealed class XenVirtualBoxFieldTests
{
    [Fact]
    public void DteWordOneFlagBlockIsXensLayout()
    {
        // Xen struct amd_iommu_dte, bits 64..127: domain_id:16, gcr3_trp_30_15:16, i, se, sa, ioctl:2, cache, sd, ex, sys_mgt:2
        var se = DeviceTableEntry.Read(FromQwords([0, 1UL << 33, 0, 0]));
        var sa = DeviceTableEntry.Read(FromQwords([0, 1UL << 34, 0, 0]));
        var ioctl = DeviceTableEntry.Read(FromQwords([0, 3UL << 35, 0, 0]));
        var cache = DeviceTableEntry.Read(FromQwords([0, 1UL << 37, 0, 0]));
        var sd = DeviceTableEntry.Read(FromQwords([0, 1UL << 38, 0, 0]));
        Assert.True(se.Se && !se.Sa && !se.IotlbEnable);
        Assert.True(sa.Sa && !sa.Se && sa.IoCtl == 0);
        Assert.Equal(3UL, ioctl.IoCtl);
        Assert.False(ioctl.Sa || ioctl.Cache);
        Assert.True(cache.Cache && !cache.Sd && cache.IoCtl == 0);
        Assert.True(sd.Sd && !sd.Cache && !sd.Ex);
    }

    [Fact]
    public void DteGprpIgAndAttributeOverrideAreXensLayout()
    {
        // Xen: gprp is the bit after ppr (52) in word 0; ig follows iv (128) and int_tab_len:4 in word 2;
        // word 3: 54 unnamed bits, attr_v, mode0_fc, snoop_attr:8 (illumos amd_iommu_dte_t: attr_ovr_valid,
        // mode0_fc, snoop_attr:8 at the same bits, after resv4:5 and resv5_mbz).
        var gprp = DeviceTableEntry.Read(FromQwords([1UL << 53, 0, 0, 0]));
        Assert.True(gprp.Gprp && !gprp.Ppr && !gprp.GIov);
        var ig = DeviceTableEntry.Read(FromQwords([0, 0, 1UL << 5, 0]));
        Assert.True(ig.Ig && !ig.Iv && ig.IntTabLen == 0 && ig.IntTableRoot == 0);
        var word3 = DeviceTableEntry.Read(FromQwords([0, 0, 0, (1UL << 54) | (1UL << 55) | (0xA5UL << 56)]));
        Assert.True(word3.AttrV);
        Assert.True(word3.Mode0Fc);
        Assert.Equal(0xA5UL, word3.SnoopAttr);

        // the reserved bits between them stay must-be-zero (QEMU AMDVI_DTE_QUAD3_RESERVED; illumos resv3, resv4, resv5_mbz)
        Assert.True(DeviceTableEntry.Read(FromQwords([0, 0, 0, 1UL << 14])).Validate().HasReservedBitsSet);
        Assert.True(DeviceTableEntry.Read(FromQwords([0, 0, 0, 1UL << 53])).Validate().HasReservedBitsSet);
        Assert.False(word3.Validate().HasReservedBitsSet);
    }

    [Fact]
    public void HostPteAccessedBitIsXensA()
    {
        // Xen struct amd_iommu_pte: pr, ignored0:4, a, d, ignored1:2, next_level:3, ...
        var a = HostPageTableEntry.Read(FromQwords([1UL << 5]));
        var d = HostPageTableEntry.Read(FromQwords([1UL << 6]));
        Assert.True(a.A && !a.D && !a.Pr);
        Assert.True(d.D && !d.A);
    }

    [Fact]
    public void CompletionWaitFlushIsXensFFlag()
    {
        // Xen IOMMU_COMP_WAIT_F_FLAG_MASK 0x00000004 in the first 32-bit command word; S is 0x1, I is 0x2
        var f = CompletionWait.Read(FromQwords([(0x1UL << 60) | 0x4, 0]));
        Assert.True(f.F && !f.S && !f.I);
    }

    [Fact]
    public void IotlbPagesPasidHighNibbleAndTypeAreVirtualBoxsLayout()
    {
        // Xen IOMMU_INV_IOTLB_PAGES_PASID2_MASK 0x0fff0000 of command word 1 (bits 59:48) / VirtualBox u12PasidHi 59:48:
        // whatever the byte order below it, 59:56 holds PASID[19:16]. VirtualBox u2Type: bits 69:68.
        var high = InvalidateIotlbPages.Read(FromQwords([(0x4UL << 60) | (0xAUL << 56), 0]));
        Assert.Equal(0xAUL, high.PasidHigh);
        Assert.Equal(0UL, high.Pasid);
        Assert.Equal(0UL, high.QueueId);
        var type = InvalidateIotlbPages.Read(FromQwords([0x4UL << 60, 2UL << 4]));
        Assert.Equal(2UL, type.InvType);
        Assert.False(type.Gn);
        Assert.True(type.Validate().IsValid);
    }

    [Theory]
    [InlineData(48, "Gn")]
    [InlineData(49, "Nx")]
    [InlineData(50, "Us")]
    [InlineData(51, "I")]
    [InlineData(52, "Pr")]
    [InlineData(53, "Rw")]
    [InlineData(54, "Pe")]
    [InlineData(55, "Rz")]
    [InlineData(56, "Tr")]
    public void IoPageFaultFlagBitsAreVirtualBoxsLayout(int eventBit, string flag)
    {
        // VirtualBox EVT_IO_PAGE_FAULT_T: GN 48, NX 49, US 50, I 51, PR 52, RW 53, PE 54, RZ 55, TN 56 (event bits);
        // IoPageFaultFlags bit k is event bit 48 + k.
        var flags = IoPageFaultFlags.Read(FromQwords([1UL << (eventBit - 48)]));
        var set = new[]
        {
            ("Gn", flags.Gn), ("Nx", flags.Nx), ("Us", flags.Us), ("I", flags.I), ("Pr", flags.Pr),
            ("Rw", flags.Rw), ("Pe", flags.Pe), ("Rz", flags.Rz), ("Tr", flags.Tr),
        };
        Assert.Equal([flag], set.Where(s => s.Item2).Select(s => s.Item1));
    }
}
