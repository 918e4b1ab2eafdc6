using HwSpecGen.Hardware.IntelVtd;
using HwSpecGen.Runtime;
using static HwSpecGen.Hardware.Tests.IntelVtd.QemuVtdMacros;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>The page request descriptor as QEMU's PRI series writes it and Linux's struct page_req_dsc reads it.</summary>
public sealed class PageRequestDescriptorTests
{
    [Fact]
    public void QemuPrdMacrosBuildADescriptorWeDecode()
    {
        // VTD_PRD_TYPE | VTD_PRD_PP(1) | VTD_PRD_RID(0x8001) | VTD_PRD_PASID(0x80000) | VTD_PRD_EXR(1) | VTD_PRD_PMR(1);
        // hi = VTD_PRD_RDR(1) | VTD_PRD_WRR(1) | VTD_PRD_LPIG(1) | VTD_PRD_PRGI(0x100) | VTD_PRD_ADDR(1 << 63).
        var lo = PrdType | PrdPp(1) | PrdRid(0x8001) | PrdPasid(0x8_0000) | PrdExr(1) | PrdPmr(1);
        var hi = PrdRdr(1) | PrdWrr(1) | PrdLpig(1) | PrdPrgi(0x100) | PrdAddr(0x8000_0000_0000_0FFF);
        Assert.Equal(0x0038_0000_8001_0101UL, lo);
        Assert.Equal(0x8000_0000_0000_0807UL, hi);

        var d = PageRequestDescriptor.FromWords([lo, hi, 0, 0]);
        Assert.Equal(1UL, d.Type);
        Assert.True(d.Pp);
        Assert.Equal(0x8001UL, d.Rid);
        Assert.Equal(0x8_0000UL, d.Pasid);
        Assert.True(d.Exr);
        Assert.True(d.Pmr);
        Assert.True(d.Rdr);
        Assert.True(d.Wrr);
        Assert.True(d.Lpig);
        Assert.Equal(0x100UL, d.Prgi);
        Assert.Equal(0x8000_0000_0000_0000UL, d.Addr);
        Assert.True(d.Validate().IsValid);
    }

    [Fact]
    public void LinuxPageReqDscFieldsMatchOurs()
    {
        // struct page_req_dsc: type:8, pasid_present:1, priv_data_present:1 (older), rsvd, rid:16, pasid:20,
        // exe_req:1, pm_req:1, rsvd2:10 | rd_req:1, wr_req:1, lpig:1, prg_index:9, addr:52 | priv_data[2].
        var d = PageRequestDescriptor.Create().WithPdp(true).WithRid(0xFFFF).WithPasid(0xF_FFFF).WithPrgi(0x1FF)
            .WithAddr(0xFFFF_FFFF_FFFF_F000).WithPrivateData0(0x8000_0000_0000_0001).WithPrivateData1(ulong.MaxValue);
        ulong qw0 = d.GetWord(0), qw1 = d.GetWord(1);
        Assert.Equal(1UL, qw0 & 0xFF);                  // type
        Assert.Equal(1UL, (qw0 >> 9) & 1);               // priv_data_present
        Assert.Equal(0xFFFFUL, (qw0 >> 16) & 0xFFFF);    // rid
        Assert.Equal(0xF_FFFFUL, (qw0 >> 32) & 0xF_FFFF); // pasid
        Assert.Equal(0x1FFUL, (qw1 >> 3) & 0x1FF);       // prg_index
        Assert.Equal(0xF_FFFF_FFFF_FFFFUL, qw1 >> 12);   // addr (<< VTD_PAGE_SHIFT gives the page address)
        Assert.Equal(0x8000_0000_0000_0001UL, d.GetWord(2));
        Assert.Equal(ulong.MaxValue, d.GetWord(3));
    }

    [Fact]
    public void OtherDescriptorTypesFailDecode()
    {
        var bytes = new byte[32];
        bytes[0] = 0x2;
        Assert.False(PageRequestDescriptor.TryDecode(bytes, out _, out var error));
        Assert.Equal(DecodeError.ConstantMismatch, error);
        bytes[0] = 0x1;
        bytes[1] = 0xFC; // reserved bits 15:10 are ignored (written as 0 by hardware)
        Assert.True(PageRequestDescriptor.TryDecode(bytes, out var d, out _));
        Assert.True(d.Validate().IsValid);
    }
}
