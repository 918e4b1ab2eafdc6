using HwSpecGen.Hardware.IntelVtd;
using static HwSpecGen.Hardware.Tests.IntelVtd.QemuVtdMacros;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>The fault recording register as QEMU writes it and Linux dmar_fault reads it.</summary>
public sealed class FaultRecordTests
{
    [Fact]
    public void DmarFaultReadsTheSameFieldsWeDecode()
    {
        // A record with F, T (read), PV 0x80000, FR 0x91, PP, SID 0x8001 and FI 0xFFFF_FFFF_FFFF_F000.
        ulong lo = 0xFFFF_FFFF_FFFF_F000UL, hi = 0xC800_0091_8000_8001UL;
        var r = FaultRecord.FromWords([lo, hi]);

        // Linux dmar_fault: data = readl(+12); fault_reason = data & 0xff; type = (data >> 30) & 1;
        // pasid = (data >> 8) & 0xfffff; data = readl(+8): source_id = data & 0xffff, pasid_present = data >> 31;
        // guest_addr = readq(+0) & PAGE_MASK.
        var upper = (uint)(hi >> 32);
        var lower = (uint)hi;
        Assert.Equal((upper & (1U << 31)) != 0, r.F);
        Assert.Equal((ulong)(upper & 0xFF), (ulong)r.Fr);
        Assert.Equal(FaultReason.SmFirstStageBitUpdateFailed, r.Fr);
        Assert.Equal((upper >> 30) & 1, r.T ? 1U : 0U);
        Assert.Equal((ulong)((upper >> 8) & 0xF_FFFF), r.Pv);
        Assert.Equal(0x8_0000UL, r.Pv);
        Assert.Equal((ulong)(lower & 0xFFFF), r.Sid);
        Assert.Equal((lower >> 31) & 1, r.Pp ? 1U : 0U);
        Assert.Equal(lo & ~0xFFFUL, r.Fi);
        Assert.True(r.Validate().IsValid);
    }

    [Fact]
    public void VtdReportDmarFaultBuildsTheSameWordsAsOurEncoder()
    {
        // QEMU vtd_report_dmar_fault: hi = VTD_FRCD_F | VTD_FRCD_FR(fault) | VTD_FRCD_SID(source_id)
        // | VTD_FRCD_PV(pasid) | VTD_FRCD_PP(1) (| VTD_FRCD_T when not a write); lo = VTD_FRCD_FI(addr).
        var ours = FaultRecord.Create().WithF(true).WithFr(FaultReason.SmNoWrite).WithSid(0xFFFF).WithPv(0xFFFF).WithPp(true)
            .WithFi(0x8000_0000_0000_0000);
        Assert.Equal(FrcdF | FrcdFr(0x85) | FrcdSid(0xFFFF) | FrcdPv(0xFFFF) | FrcdPp(1), ours.GetWord(1));
        Assert.Equal(FrcdFi(0x8000_0000_0000_0FFF), ours.GetWord(0));

        var read = ours.WithT(true).WithFr(FaultReason.PagingEntryReserved);
        Assert.Equal(FrcdF | FrcdT | FrcdFr(0x0C) | FrcdSid(0xFFFF) | FrcdPv(0xFFFF) | FrcdPp(1), read.GetWord(1));
    }

    [Fact]
    public void SpecOnlyFieldsAndHardwareZeroBits()
    {
        // T2 (92), PRIV (93), EXE (94) and AT (125:124) per the spec (VirtualBox iommu-intel.h); the 20-bit PV top bit.
        var r = FaultRecord.Create().WithT2(true).WithPriv(true).WithExe(true).WithAt(2).WithPv(0x8_0000);
        Assert.Equal(1UL << 28 | 1UL << 29 | 1UL << 30 | 2UL << 60 | 0x8_0000UL << 40, r.GetWord(1));

        // Reserved bits 11:0 and 91:80 are "ignored": set by nobody, not reported.
        Assert.True(FaultRecord.FromWords([0xFFFUL, 0xFFFUL << 16]).Validate().IsValid);
        Assert.Equal(0UL, FaultRecord.Layout.MustBeZeroMask(0) | FaultRecord.Layout.MustBeZeroMask(1));
    }

    [Fact]
    public void FaultReasonCodesMatchLinuxAndQemuTables()
    {
        // QEMU enum VTDFaultReason and Linux dma_remap_sm_fault_reasons (index + 0x30).
        Assert.Equal(0x0AUL, (ulong)FaultReason.RootEntryReserved);
        Assert.Equal(0x0EUL, (ulong)FaultReason.InterruptAddress);
        Assert.Equal(0x26UL, (ulong)FaultReason.IrSidError);
        Assert.Equal(0x42UL, (ulong)FaultReason.SmContextEntryReserved);
        Assert.Equal(0x51UL, (ulong)FaultReason.SmPasidDirectoryEntryNotPresent);
        Assert.Equal(0x73UL, (ulong)FaultReason.SmFirstStageRootAccessError);
        Assert.Equal(0x77UL, (ulong)FaultReason.SmNestedFirstStageWritePermission);
        Assert.Equal(0x87UL, (ulong)FaultReason.SmInterruptAddress);
        Assert.Equal(0x90UL, (ulong)FaultReason.SmFirstStageAccessedDirtyNoSnoop);

        // Not strict: an unnamed code decodes and is not a violation.
        var unnamed = FaultRecord.Create().WithFr((FaultReason)0x33);
        Assert.True(unnamed.Validate().IsValid);
    }
}
