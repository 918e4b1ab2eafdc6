using HwSpecGen.Hardware.AmdVi;
using HwSpecGen.Runtime;
using static HwSpecGen.Hardware.Tests.AmdVi.AmdViBytes;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>The command set dispatches on bits 63:60 like QEMU amdvi_cmdbuf_exec (Linux CMD_SET_TYPE puts the opcode there).</summary>
public sealed class CommandSetTests
{
    [Theory]
    [InlineData(0x1u, CommandKind.CompletionWait)]
    [InlineData(0x2u, CommandKind.InvalidateDevtabEntry)]
    [InlineData(0x3u, CommandKind.InvalidateIommuPages)]
    [InlineData(0x4u, CommandKind.InvalidateIotlbPages)]
    [InlineData(0x5u, CommandKind.InvalidateInterruptTable)]
    [InlineData(0x6u, CommandKind.PrefetchIommuPages)]
    [InlineData(0x7u, CommandKind.CompletePprRequest)]
    [InlineData(0x8u, CommandKind.InvalidateIommuAll)]
    public void LinuxCmdSetTypeOpcodesDispatch(uint opcode, CommandKind kind)
    {
        // CMD_SET_TYPE(cmd, t): data[1] |= t << 28.
        var set = CommandSet.Decode(FromDwords(0, opcode << 28, 0, 0));
        Assert.Equal(kind, set.Kind);
        Assert.Equal((ulong)opcode, set.Opcode);
        Assert.True(set.IsKnown);
        Assert.Equal(DecodeError.None, set.Error);
    }

    [Theory]
    [InlineData(0x0u)]
    [InlineData(0x9u)]
    [InlineData(0xFu)]
    public void OtherOpcodesAreIllegalCommands(uint opcode)
    {
        var set = CommandSet.Decode(FromDwords(0, opcode << 28, 0, 0));
        Assert.False(set.IsKnown);
        Assert.Equal(DecodeError.UnknownOpcode, set.Error);
        Assert.Equal("ILLEGAL_COMMAND_ERROR", CommandSet.UnknownError);
    }

    [Fact]
    public void DispatchedCommandKeepsItsFields()
    {
        // Linux build_inv_iommu_pages vector (see InvalidateIommuPagesTests): domid 0xFFFF, 2 MiB block, PDE.
        var set = CommandSet.Decode(FromDwords(0x00000000, 0x3000FFFF, 0x002FF003, 0x80000000));
        Assert.True(set.TryGet(out InvalidateIommuPages cmd));
        Assert.False(set.TryGet(out CompletionWait _));
        Assert.Equal(0xFFFFUL, cmd.DomainId);
        Assert.Equal(0x8000_0000_002F_F000UL, cmd.Address);
        Assert.True(set.Validate().IsValid);
    }

    [Fact]
    public void ShortBufferIsTooShort()
    {
        Assert.Equal(DecodeError.TooShort, CommandSet.Decode(new byte[15]).Error);
    }
}
