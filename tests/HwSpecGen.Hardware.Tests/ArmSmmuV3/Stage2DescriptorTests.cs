using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.LinuxSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.QemuSmmuV3;
using static HwSpecGen.Hardware.Tests.ArmSmmuV3.SmmuBytes;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>VMSAv8-64 stage-2 descriptors against Linux io-pgtable-arm.c (ARM_64_LPAE_S2) and QEMU smmu_ptw_64_s2 accessors.</summary>
public sealed class Stage2DescriptorTests
{
    // ARM_64_LPAE_S2, 4 KiB, level 3, prot = IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE, pa 0x8_1234_5000:
    // HAP_READ | HAP_WRITE | MEMATTR_OIWB (0xF << 2) | TYPE_PAGE | AF | SH_IS | pa.
    private const ulong LinuxS2Page = 0x0000_0008_1234_57FFUL;

    // prot = IOMMU_READ | IOMMU_MMIO | IOMMU_NOEXEC, pa 0xFFFF_FFFF_F000: HAP_READ | MEMATTR_DEV (1 << 2) | XN (3 << 53) | ...
    private const ulong LinuxS2PageDevice = 0x0060_FFFF_FFFF_F747UL;

    // 2 MiB block, prot = IOMMU_READ | IOMMU_WRITE (no IOMMU_CACHE -> MEMATTR_NC 0x5 << 2), pa 0x8000_0020_0000.
    private const ulong LinuxS2Block2M = 0x0000_8000_0020_07D5UL;

    [Fact]
    public void LinuxS2PagesDecode()
    {
        var rw = Decode<S2PageDescriptor4K>(FromQwords(LinuxS2Page));
        Assert.Equal(0x8_1234_5000UL, rw.OutputAddress);
        Assert.Equal(S2AccessPermission.ReadWrite, rw.S2Ap);
        Assert.Equal(0xFUL, rw.MemAttr);
        Assert.Equal(Shareability.InnerShareable, rw.Sh);
        Assert.True(rw.Af);
        Assert.Equal(0UL, rw.Xn);
        Assert.True(rw.Validate().IsValid);

        var dev = Decode<S2PageDescriptor4K>(FromQwords(LinuxS2PageDevice));
        Assert.Equal(S2AccessPermission.ReadOnly, dev.S2Ap);
        Assert.Equal(1UL, dev.MemAttr);
        Assert.Equal(3UL, dev.Xn);
        Assert.Equal(0xFFFF_FFFF_F000UL, dev.OutputAddress);

        Assert.Equal(FromQwords(LinuxS2Page), S2PageDescriptor4K.Create().WithOutputAddress(0x8_1234_5000).WithS2Ap(S2AccessPermission.ReadWrite)
            .WithMemAttr(0xF).WithSh(Shareability.InnerShareable).WithAf(true).ToBytes());
        Assert.Equal(LinuxS2PageDevice, S2PageDescriptor4K.Create().WithOutputAddress(0xFFFF_FFFF_F000).WithS2Ap(S2AccessPermission.ReadOnly)
            .WithMemAttr(1).WithXn(3).WithSh(Shareability.InnerShareable).WithAf(true).GetWord(0));
        Assert.Equal(LpaePteHapRead | LpaePteHapWrite, LinuxS2Page & (3UL << 6));
    }

    [Fact]
    public void QemuReadsOurS2Descriptors()
    {
        // smmu_ptw_64_s2: s2ap = PTE_AP(pte) (bits 7:6), PTE_AF, PTE_ADDRESS(pte, granule_sz).
        var pte = S2PageDescriptor16K.Create().WithOutputAddress(0x8000_0000_4000).WithS2Ap(S2AccessPermission.WriteOnly).WithAf(true).WithMemAttr(0x8).GetWord(0);
        Assert.Equal(2UL, PteAp(pte));
        Assert.Equal(1UL, PteAf(pte));
        Assert.Equal(0x8000_0000_4000UL, PteAddress(pte, 14));
        Assert.Equal(0x8UL << 2, pte & (0xFUL << 2));

        var block = Decode<S2BlockDescriptor4KLevel2>(FromQwords(LinuxS2Block2M));
        Assert.Equal(0x8000_0020_0000UL, block.OutputAddress);
        Assert.Equal(5UL, block.MemAttr);
        Assert.Equal(S2AccessPermission.ReadWrite, block.S2Ap);
        Assert.True(IsBlockPte(LinuxS2Block2M, 2));
        Assert.Equal(PteAddress(LinuxS2Block2M, 21), block.OutputAddress);
        Assert.Equal(FromQwords(LinuxS2Block2M), S2BlockDescriptor4KLevel2.Create().WithOutputAddress(0x8000_0020_0000).WithS2Ap(S2AccessPermission.ReadWrite)
            .WithMemAttr(5).WithSh(Shareability.InnerShareable).WithAf(true).ToBytes());
    }

    [Fact]
    public void OtherGranulesAndLevels()
    {
        var b1 = S2BlockDescriptor4KLevel1.Create().WithOutputAddress(0x8000_4000_0000).WithNt(true).WithContiguous(true).GetWord(0);
        Assert.Equal(0x8000_4000_0000UL, PteAddress(b1, 30));
        Assert.Equal(1UL, b1 & 3);
        Assert.Equal((1UL << 16) | (1UL << 52), b1 & ((1UL << 16) | (1UL << 52)));

        var b16 = Decode<S2BlockDescriptor16KLevel2>(FromQwords(S2BlockDescriptor16KLevel2.Create().WithOutputAddress(0xFFFF_FE00_0000).GetWord(0)));
        Assert.Equal(0xFFFF_FE00_0000UL, b16.OutputAddress);

        // 64 KiB: PA[51:48] in bits 15:12, as paddr_to_iopte packs them.
        var p64 = S2PageDescriptor64K.Create().WithOutputAddress(0x000F_0000_1234_0000).WithS2Ap(S2AccessPermission.ReadWrite).GetWord(0);
        Assert.Equal(PaddrToIopte(0x000F_0000_1234_0000), p64 & LpaePteAddrMask);
        Assert.Equal(0x000F_8000_2000_0000UL, Decode<S2BlockDescriptor64KLevel2>(FromQwords(S2BlockDescriptor64KLevel2.Create().WithOutputAddress(0x000F_8000_2000_0000).GetWord(0))).OutputAddress);
        Assert.Equal(0x000F_0400_0000_0000UL, Decode<S2BlockDescriptor64KLevel1>(FromQwords(S2BlockDescriptor64KLevel1.Create().WithOutputAddress(0x000F_0400_0000_0000).GetWord(0))).OutputAddress);

        // Stage-2 table descriptors: arm_lpae_install_table writes only the address and TYPE_TABLE; 63:59 are RES0.
        var t = Decode<S2TableDescriptor4K>(FromQwords(0x0000_8123_4567_8003UL));
        Assert.Equal(0x8123_4567_8000UL, t.NextTableAddress);
        Assert.Equal(1UL << 63, Decode<S2TableDescriptor4K>(FromQwords(0x8000_8123_4567_8003UL)).Validate().ReservedBitsSet(0));
        Assert.Equal(0xFFFF_FFFF_C000UL, Decode<S2TableDescriptor16K>(FromQwords(0x0000_FFFF_FFFF_C003UL)).NextTableAddress);
        Assert.Equal(0x000F_0000_1234_0000UL, Decode<S2TableDescriptor64K>(FromQwords(0x0000_0000_1234_F003UL)).NextTableAddress);
    }
}
