using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>
/// VMSAv8-64 stage-1 table, block and page descriptors against Linux io-pgtable-arm.c (arm_lpae_prot_to_pte,
/// __arm_lpae_init_pte, arm_lpae_install_table, paddr_to_iopte) and QEMU smmu-internal.h (PTE_ADDRESS, PTE_AP,
/// PTE_APTABLE, PTE_AF, is_*_pte).
/// </summary>
public sealed class Stage1DescriptorTests
{
    // ARM_64_LPAE_S1, 4 KiB, level 3, prot = IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE with IO_PGTABLE_QUIRK_ARM_HD,
    // pa 0x8_1234_5000: nG | DBM | AP_UNPRIV | ATTR_IDX_CACHE (1) << 2 | TYPE_PAGE | AF | SH_IS | paddr_to_iopte(pa).
    private const ulong LinuxPage4K = 0x0008_0008_1234_5F47UL;

    // prot = IOMMU_READ | IOMMU_PRIV | IOMMU_NOEXEC | IOMMU_MMIO with IO_PGTABLE_QUIRK_ARM_NS, pa 0xFFFF_FFFF_F000:
    // nG | AP_RDONLY | ATTR_IDX_DEV (2) << 2 | XN (3 << 53) | NS | TYPE_PAGE | AF | SH_IS | pa.
    private const ulong LinuxPage4KReadOnly = 0x0060_FFFF_FFFF_FFABUL;

    // 64 KiB granule, 52-bit PA 0x000F_0000_1234_0000, prot = IOMMU_READ | IOMMU_CACHE: paddr_to_iopte folds PA[51:48]
    // into bits 15:12 -> 0x1234_F000; nG | AP_RDONLY | AP_UNPRIV | 1 << 2 | PAGE | AF | SH_IS.
    private const ulong LinuxPage64K52 = 0x0000_0000_1234_FFC7UL;

    // 4 KiB granule blocks (level 2: 2 MiB at 0x8000_0020_0000; level 1: 1 GiB at 0xFFFF_C000_0000), prot RW|CACHE:
    // nG | AP_UNPRIV | 1 << 2 | TYPE_BLOCK (1) | AF | SH_IS | pa.
    private const ulong LinuxBlock2M = 0x0000_8000_0020_0F45UL;
    private const ulong LinuxBlock1G = 0x0000_FFFF_C000_0F45UL;

    // arm_lpae_install_table: paddr_to_iopte(__pa(table)) | ARM_LPAE_PTE_TYPE_TABLE (| NSTABLE with the NS quirk).
    private const ulong LinuxTable4K = 0x0000_8123_4567_8003UL;
    private const ulong LinuxTable4KNs = 0x8000_8123_4567_8003UL;
    private const ulong LinuxTable64K52 = 0x0000_0000_1234_F003UL;

    [Fact]
    public void LinuxPagesDecode()
    {
        var rw = Decode<S1PageDescriptor4K>(FromQwords(LinuxPage4K));
        Assert.Equal(0x8_1234_5000UL, rw.OutputAddress);
        Assert.Equal(S1AccessPermission.ReadWrite, rw.Ap);
        Assert.Equal(1UL, rw.AttrIndx);
        Assert.Equal(Shareability.InnerShareable, rw.Sh);
        Assert.True(rw.Af && rw.Ng && rw.Dbm);
        Assert.False(rw.Ns || rw.Pxn || rw.Uxn || rw.Contiguous);
        Assert.True(rw.Validate().IsValid);

        var ro = Decode<S1PageDescriptor4K>(FromQwords(LinuxPage4KReadOnly));
        Assert.Equal(0xFFFF_FFFF_F000UL, ro.OutputAddress);
        Assert.Equal(S1AccessPermission.PrivilegedReadOnly, ro.Ap);
        Assert.Equal(2UL, ro.AttrIndx);
        Assert.True(ro.Pxn && ro.Uxn && ro.Ns);
        Assert.False(ro.Dbm);

        Assert.Equal(FromQwords(LinuxPage4K), S1PageDescriptor4K.Create().WithOutputAddress(0x8_1234_5000).WithAp(S1AccessPermission.ReadWrite)
            .WithAttrIndx(1).WithSh(Shareability.InnerShareable).WithAf(true).WithNg(true).WithDbm(true).ToBytes());
        Assert.Equal(FromQwords(LinuxPage4KReadOnly), S1PageDescriptor4K.Create().WithOutputAddress(0xFFFF_FFFF_F000).WithAp(S1AccessPermission.PrivilegedReadOnly)
            .WithAttrIndx(2).WithPxn(true).WithUxn(true).WithNs(true).WithSh(Shareability.InnerShareable).WithAf(true).WithNg(true).ToBytes());
    }

    [Fact]
    public void QemuReadsOurPages()
    {
        // smmu_ptw_64_s1: PTE_ADDRESS(pte, granule_sz), PTE_AP (7:6), PTE_AF; is_page_pte at level 3.
        var pte = S1PageDescriptor4K.Create().WithOutputAddress(0x8000_0000_0000).WithAp(S1AccessPermission.ReadOnly).WithAf(true).WithAttrIndx(7).GetWord(0);
        Assert.True(IsPagePte(pte, 3));
        Assert.Equal(0x8000_0000_0000UL, PteAddress(pte, 12));
        Assert.Equal(3UL, PteAp(pte));
        Assert.Equal(1UL, PteAf(pte));
        Assert.Equal(0x8_1234_5000UL, PteAddress(LinuxPage4K, 12));

        var p16 = S1PageDescriptor16K.Create().WithOutputAddress(0x8000_0000_4000).WithAp(S1AccessPermission.PrivilegedReadOnly).GetWord(0);
        Assert.Equal(0x8000_0000_4000UL, PteAddress(p16, 14));
        Assert.Equal(2UL, PteAp(p16));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => S1PageDescriptor16K.Create().WithOutputAddress(0x1000));
    }

    [Fact]
    public void SixtyFourKilobyteGranuleFoldsAddressBits51To48()
    {
        // iopte_to_paddr (64 KiB): (pte & 47:12 | (pte & 47:12) << 36) & 51:16 - our two-segment OutputAddress.
        var p = Decode<S1PageDescriptor64K>(FromQwords(LinuxPage64K52));
        Assert.Equal(0x000F_0000_1234_0000UL, p.OutputAddress);
        Assert.Equal(S1AccessPermission.ReadOnly, p.Ap);
        Assert.Equal(LinuxPage64K52, S1PageDescriptor64K.Create().WithOutputAddress(0x000F_0000_1234_0000).WithAp(S1AccessPermission.ReadOnly)
            .WithAttrIndx(1).WithSh(Shareability.InnerShareable).WithAf(true).WithNg(true).GetWord(0));
        Assert.Equal(PaddrToIopte(0x0008_FFFF_FFFF_0000), S1PageDescriptor64K.Create().WithOutputAddress(0x0008_FFFF_FFFF_0000).GetWord(0) & LpaePteAddrMask);

        // QEMU's PTE_ADDRESS keeps 47:16 and does not know the folded bits.
        Assert.Equal(0x1234_0000UL, PteAddress(LinuxPage64K52, 16));

        var t = Decode<S1TableDescriptor64K>(FromQwords(LinuxTable64K52));
        Assert.Equal(0x000F_0000_1234_0000UL, t.NextTableAddress);
    }

    [Fact]
    public void LinuxBlocksDecode()
    {
        var b2 = Decode<S1BlockDescriptor4KLevel2>(FromQwords(LinuxBlock2M));
        Assert.Equal(0x8000_0020_0000UL, b2.OutputAddress);
        Assert.Equal(S1AccessPermission.ReadWrite, b2.Ap);
        Assert.True(b2.Af && b2.Ng);
        Assert.True(b2.Validate().IsValid);
        Assert.True(IsBlockPte(LinuxBlock2M, 2));
        Assert.Equal(PteAddress(LinuxBlock2M, 21), b2.OutputAddress);

        var b1 = Decode<S1BlockDescriptor4KLevel1>(FromQwords(LinuxBlock1G));
        Assert.Equal(0xFFFF_C000_0000UL, b1.OutputAddress);
        Assert.Equal(FromQwords(LinuxBlock1G), S1BlockDescriptor4KLevel1.Create().WithOutputAddress(0xFFFF_C000_0000).WithAp(S1AccessPermission.ReadWrite)
            .WithAttrIndx(1).WithSh(Shareability.InnerShareable).WithAf(true).WithNg(true).ToBytes());

        // Offset bits inside a block are RES0; a page-type encoding is not a block.
        Assert.Equal(1UL << 20, Decode<S1BlockDescriptor4KLevel2>(FromQwords(LinuxBlock2M | (1UL << 20))).Validate().ReservedBitsSet(0));
        Assert.False(S1BlockDescriptor4KLevel2.TryDecode(FromQwords(LinuxPage4K), out _, out _));

        var b16 = S1BlockDescriptor16KLevel2.Create().WithOutputAddress(0x8000_0200_0000).WithNt(true).GetWord(0);
        Assert.Equal(0x8000_0200_0000UL, PteAddress(b16, 25));
        Assert.Equal(1UL << 16, b16 & (1UL << 16));
        var b64 = S1BlockDescriptor64KLevel2.Create().WithOutputAddress(0x000F_8000_2000_0000).GetWord(0);
        Assert.Equal(0x8000_2000_0000UL, PteAddress(b64, 29));
        Assert.Equal(0xFUL << 12, b64 & (0xFUL << 12));
        Assert.Equal(0x000F_0400_0000_0000UL, Decode<S1BlockDescriptor64KLevel1>(FromQwords(S1BlockDescriptor64KLevel1.Create().WithOutputAddress(0x000F_0400_0000_0000).GetWord(0))).OutputAddress);
    }

    [Fact]
    public void LinuxTablesDecode()
    {
        var t = Decode<S1TableDescriptor4K>(FromQwords(LinuxTable4K));
        Assert.Equal(0x8123_4567_8000UL, t.NextTableAddress);
        Assert.False(t.NsTable);
        Assert.True(IsTablePte(LinuxTable4K, 1));
        Assert.Equal(PteAddress(LinuxTable4K, 12), t.NextTableAddress);

        var ns = Decode<S1TableDescriptor4K>(FromQwords(LinuxTable4KNs));
        Assert.True(ns.NsTable);
        Assert.Equal(LinuxTable4KNs, S1TableDescriptor4K.Create().WithNextTableAddress(0x8123_4567_8000).WithNsTable(true).GetWord(0));

        // APTable (62:61), UXNTable (60), PXNTable (59): QEMU PTE_APTABLE reads 62:61.
        var limited = S1TableDescriptor16K.Create().WithNextTableAddress(0xFFFF_FFFF_C000).WithApTable(2).WithUxnTable(true).WithPxnTable(true).GetWord(0);
        Assert.Equal(2UL, PteApTable(limited));
        Assert.Equal(0xFFFF_FFFF_C000UL, PteAddress(limited, 14));
        Assert.Equal((2UL << 61) | (1UL << 60) | (1UL << 59), limited & (0xFUL << 59));

        // Bits 51:48 of a 4 KiB table descriptor are RES0 without FEAT_LPA2 (Linux ARM_LPAE_PTE_ADDR_MASK is 47:12).
        Assert.Equal(0xFUL << 48, Decode<S1TableDescriptor4K>(FromQwords(LinuxTable4K | (0xFUL << 48))).Validate().ReservedBitsSet(0));
    }

    [Fact]
    public void TranslationTableGeometryMatchesQemuLevelIndexing()
    {
        // QEMU iova_level_offset(iova, inputsize = 48, level, granule): (iova >> level_shift) & ((1 << (gsz - 3)) - 1).
        const ulong iova = 0x0000_8765_4321_0FEDUL;
        Assert.Equal(IovaLevelOffset(iova, 48, 0, 12), TranslationTable4KLevel0Table.Index(iova));
        Assert.Equal(IovaLevelOffset(iova, 48, 1, 12), TranslationTable4KLevel1Table.Index(iova));
        Assert.Equal(IovaLevelOffset(iova, 48, 2, 12), TranslationTable4KLevel2Table.Index(iova));
        Assert.Equal(IovaLevelOffset(iova, 48, 3, 12), TranslationTable4KLevel3Table.Index(iova));
        Assert.Equal(IovaLevelOffset(iova, 48, 1, 14), TranslationTable16KLevel1Table.Index(iova));
        Assert.Equal(IovaLevelOffset(iova, 48, 2, 14), TranslationTable16KLevel2Table.Index(iova));
        Assert.Equal(IovaLevelOffset(iova, 48, 3, 14), TranslationTable16KLevel3Table.Index(iova));
        Assert.Equal(IovaLevelOffset(iova, 48, 2, 16), TranslationTable64KLevel2Table.Index(iova));
        Assert.Equal(IovaLevelOffset(iova, 48, 3, 16), TranslationTable64KLevel3Table.Index(iova));

        // The top levels take what is left of a 48-bit input: 16K level 0 is bit 47, 64K level 1 is 47:42.
        Assert.Equal((iova >> 47) & 1, TranslationTable16KLevel0Table.Index(iova));
        Assert.Equal((iova >> 42) & 0x3F, TranslationTable64KLevel1Table.Index(iova));
        Assert.Equal(512L, TranslationTable4KLevel3Table.Entries);
        Assert.Equal(4096L, TranslationTable4KLevel3Table.SizeBytes);
        Assert.Equal(16384L, TranslationTable16KLevel3Table.SizeBytes);
        Assert.Equal(65536L, TranslationTable64KLevel3Table.SizeBytes);
    }
}
