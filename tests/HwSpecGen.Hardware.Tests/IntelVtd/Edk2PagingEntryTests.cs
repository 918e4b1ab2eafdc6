using System;
using System.Buffers.Binary;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>
/// Second-stage leaf bits Linux and QEMU leave alone, checked against Intel's own EDK II definition
/// (edk2 IntelSiliconPkg/Include/IndustryStandard/Vtd.h, VTD_SECOND_LEVEL_PAGING_ENTRY: Read 0, Write 1, Execute 2,
/// ExtendedMemoryType 5:3, IgnorePAT 6, PageSize 7, Snoop 11).
/// </summary>
public sealed class Edk2PagingEntryTests
{
    [Theory]
    [InlineData(0UL, false, false)]
    [InlineData(6UL, false, false)] // EMT = WB (6)
    [InlineData(7UL, false, true)]
    [InlineData(1UL, true, true)]
    public void EmtAndIpatSitAtEdk2Positions(ulong emt, bool x, bool ipat)
    {
        var word = (emt << 3) | (ipat ? 1UL << 6 : 0) | (x ? 1UL << 2 : 0) | 0x3; // R | W
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, word);
        var e4k = SecondStagePte.Read(b);
        Assert.Equal(emt, e4k.Emt);
        Assert.Equal(ipat, e4k.Ipat);
        Assert.Equal(x, e4k.X);
        Assert.True(e4k.R && e4k.W && !e4k.Snp);
        Assert.Equal(word, e4k.GetWord(0));
        var e2m = SecondStageLargePde.Read(b);
        var e1g = SecondStageLargePdpe.Read(b);
        Assert.Equal((emt, ipat), (e2m.Emt, e2m.Ipat));
        Assert.Equal((emt, ipat), (e1g.Emt, e1g.Ipat));
    }
}
