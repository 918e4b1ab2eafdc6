using HwSpecGen.Hardware.AmdVi;
using HwSpecGen.Runtime;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>COMPLETION_WAIT (0x1) against Linux build_completion_wait and QEMU amdvi_completion_wait.</summary>
public sealed class CompletionWaitTests
{
    // Linux build_completion_wait(cmd, iommu, data) with cmd_sem_paddr = 0x000F_FFFF_FFFF_FFF8, data = 0x8000_0000_0000_0001:
    //   data[0] = lower_32_bits(paddr) | CMD_COMPL_WAIT_STORE_MASK = 0xFFFFFFF8 | 1           = 0xFFFFFFF9
    //   data[1] = upper_32_bits(paddr) | CMD_COMPL_WAIT << 28      = 0x000FFFFF | 0x10000000  = 0x100FFFFF
    //   data[2] = lower_32_bits(data) = 0x00000001, data[3] = upper_32_bits(data) = 0x80000000
    private static readonly byte[] LinuxVector1 = FromDwords(0xFFFFFFF9, 0x100FFFFF, 0x00000001, 0x80000000);

    // build_completion_wait with paddr = 0x0008_1234_5678_9AB8, data = 0xFEDC_BA98_7654_3210.
    private static readonly byte[] LinuxVector2 = FromDwords(0x56789AB9, 0x10081234, 0x76543210, 0xFEDCBA98);

    [Fact]
    public void LinuxBuildCompletionWaitVector1Decodes()
    {
        Assert.True(CompletionWait.TryDecode(LinuxVector1, out var cmd, out var error));
        Assert.Equal(DecodeError.None, error);
        Assert.True(cmd.S);
        Assert.False(cmd.I);
        Assert.False(cmd.F);
        Assert.Equal(0x000F_FFFF_FFFF_FFF8UL, cmd.StoreAddress);
        Assert.Equal(0x8000_0000_0000_0001UL, cmd.StoreData);
        Assert.Equal(0x1UL, cmd.Opcode);
        Assert.True(cmd.Validate().IsValid);
    }

    [Fact]
    public void LinuxBuildCompletionWaitVector2Decodes()
    {
        Assert.True(CompletionWait.TryDecode(LinuxVector2, out var cmd, out _));
        Assert.True(cmd.S);
        Assert.Equal(0x0008_1234_5678_9AB8UL, cmd.StoreAddress);
        Assert.Equal(0xFEDC_BA98_7654_3210UL, cmd.StoreData);
        Assert.True(cmd.Validate().IsValid);
    }

    [Fact]
    public void EncoderReproducesLinuxBuildCompletionWait()
    {
        var v1 = CompletionWait.Create().WithS(true).WithStoreAddress(0x000F_FFFF_FFFF_FFF8).WithStoreData(0x8000_0000_0000_0001);
        var v2 = CompletionWait.Create().WithS(true).WithStoreAddress(0x0008_1234_5678_9AB8).WithStoreData(0xFEDC_BA98_7654_3210);
        Assert.Equal(LinuxVector1, v1.ToBytes());
        Assert.Equal(LinuxVector2, v2.ToBytes());
    }

    [Fact]
    public void QemuAmdviCompletionWaitReadsOurEncoding()
    {
        var cmd = CompletionWait.Create().WithS(true).WithI(true).WithStoreAddress(0x0008_0000_0000_0008).WithStoreData(0x8000_0000_FFFF_0001);
        var bytes = cmd.ToBytes();
        var cmd0 = Qword(bytes, 0);
        var cmd1 = Qword(bytes, 1);

        Assert.Equal(0x1UL, Extract64(cmd0, 60, 4));                            // amdvi_cmdbuf_exec dispatch
        Assert.Equal(0x0008_0000_0000_0008UL, Extract64(cmd0, 3, 49) << 3);    // addr
        Assert.Equal(0x8000_0000_FFFF_0001UL, cmd1);                            // data
        Assert.Equal(1UL, Extract64(cmd0, 0, 1));                               // store
        Assert.Equal(1UL, Extract64(cmd0, 1, 1));                               // completion interrupt
        Assert.Equal(0UL, Extract64(cmd0, 52, 8));                              // no ILLEGAL_COMMAND_ERROR
    }

    [Fact]
    public void ReservedBits59To52AreMustBeZeroLikeQemu()
    {
        var words = new[] { 0x1UL << 60 | 0xFFUL << 52 | 1, 0UL };
        var cmd = CompletionWait.FromWords(words);
        var v = cmd.Validate();
        Assert.Equal(0xFFUL << 52, v.ReservedBitsSet(0));
        Assert.Equal(0UL, v.ReservedBitsSet(1));
        Assert.NotEqual(0UL, Extract64(words[0], 52, 8)); // QEMU would log ILLEGAL_COMMAND_ERROR too
        Assert.True(CompletionWait.FromWords(new[] { 0x1UL << 60 | 1UL << 2, 0UL }).Validate().IsValid); // F is not checked
    }

    [Fact]
    public void StoreAddressMustBeEightByteAligned()
    {
        Assert.Throws<System.ArgumentOutOfRangeException>(() => CompletionWait.Create().WithStoreAddress(0x1004));
        Assert.Throws<System.ArgumentOutOfRangeException>(() => CompletionWait.Create().WithStoreAddress(1UL << 52));
    }
}
