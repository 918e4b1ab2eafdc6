using HwSpecGen.Hardware.IntelVtd;
using HwSpecGen.Runtime;
using static HwSpecGen.Hardware.Tests.IntelVtd.VtdBytes;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>
/// Golden vectors: the words Linux's queued-invalidation builders (drivers/iommu/intel/dmar.c,
/// iommu.h) produce for chosen inputs, worked out by hand from the QI_* macros, decoded by our structs.
/// </summary>
public sealed class InvalidationDescriptorLinuxTests
{
    [Fact]
    public void QiFlushContextDeviceSelectiveDecodes()
    {
        // qi_flush_context(iommu, did = 0x8001, sid = 0x8002, fm = DMA_CCMD_MASK_3BIT, DMA_CCMD_DEVICE_INVL):
        // QI_CC_FM(3) = 3 << 48, QI_CC_SID = 0x8002 << 32, QI_CC_DID = 0x8001 << 16,
        // QI_CC_GRAN(3 << 61) = 3 << 4, QI_CC_TYPE = 1; qw1 = 0.
        var set = QiDescriptorSet.Decode(Bytes(0x0003_8002_8001_0031UL, 0));
        Assert.Equal(QiDescriptorKind.ContextCacheInvalidate, set.Kind);
        Assert.True(set.TryGet(out ContextCacheInvalidate d));
        Assert.Equal(ContextCacheGranularity.DeviceSelective, d.G);
        Assert.Equal(0x8001UL, d.Did);
        Assert.Equal(0x8002UL, d.Sid);
        Assert.Equal(FunctionMask.ThreeBits, d.Fm);
        Assert.True(d.Validate().IsValid);
    }

    [Fact]
    public void QiFlushContextGlobalDecodes()
    {
        // qi_flush_context(iommu, 0xFFFF, 0xFFFF, DMA_CCMD_MASK_2BIT, DMA_CCMD_GLOBAL_INVL): G = 1 << 4.
        var d = ContextCacheInvalidate.FromWords([0x0002_FFFF_FFFF_0011UL, 0]);
        Assert.Equal(ContextCacheGranularity.Global, d.G);
        Assert.Equal(0xFFFFUL, d.Did);
        Assert.Equal(0xFFFFUL, d.Sid);
        Assert.Equal(FunctionMask.TwoBits, d.Fm);
        Assert.Equal(d, ContextCacheInvalidate.Create().WithG(ContextCacheGranularity.Global).WithDid(0xFFFF).WithSid(0xFFFF).WithFm(FunctionMask.TwoBits));
    }

    [Fact]
    public void QiDescIotlbPageSelectiveWithDrainsAndHintDecodes()
    {
        // qi_desc_iotlb(iommu with cap_write_drain and cap_read_drain, did = 0x8000,
        //   addr = 0xFFFF_F000_0000_0001 (bit 0 = IH), size_order = 0x20, DMA_TLB_PSI_FLUSH):
        // qw0 = QI_IOTLB_DID(0x8000) | QI_IOTLB_DR(1) << 7 | QI_IOTLB_DW(1) << 6 | (3 << 60) >> 56 | 2
        // qw1 = QI_IOTLB_ADDR(addr) | QI_IOTLB_IH(1) << 6 | QI_IOTLB_AM(0x20); qw2 = qw3 = 0.
        var set = QiDescriptor256Set.Decode(Bytes(0x0000_0000_8000_00F2UL, 0xFFFF_F000_0000_0060UL, 0, 0));
        Assert.True(set.TryGet(out IotlbInvalidate256 d));
        Assert.Equal(IotlbGranularity.PageSelective, d.G);
        Assert.True(d.Dw);
        Assert.True(d.Dr);
        Assert.Equal(0x8000UL, d.Did);
        Assert.Equal(0x20UL, d.Am);
        Assert.True(d.Ih);
        Assert.Equal(0xFFFF_F000_0000_0000UL, d.Addr);
        Assert.True(d.Validate().IsValid);
        Assert.Equal(1UL << 32, d.PageCount);
        Assert.Equal(new InvalidationRange(0xFFFF_F000_0000_0000UL, 0xFFFF_FFFF_FFFF_FFFFUL), d.CoveredRange);
    }

    [Fact]
    public void QiDescIotlbDomainSelectiveWithoutDrainsDecodes()
    {
        // qi_desc_iotlb(iommu without drain caps, did = 0xFFFF, addr = 0, 0, DMA_TLB_DSI_FLUSH): G = 2 << 4.
        var d = IotlbInvalidate.FromWords([0x0000_0000_FFFF_0022UL, 0]);
        Assert.Equal(IotlbGranularity.DomainSelective, d.G);
        Assert.False(d.Dw);
        Assert.False(d.Dr);
        Assert.Equal(0xFFFFUL, d.Did);
        Assert.Equal(0UL, d.Am);
        Assert.False(d.Ih);
        Assert.True(d.Validate().IsValid);
    }

    [Fact]
    public void QiDescDevIotlbRangeWithPfsidDecodes()
    {
        // qi_desc_dev_iotlb(sid = 0x8010, pfsid = 0x8009, qdep = 0x10, addr = 1 << 63, mask = 4):
        // addr |= (1 << 15) - 1, qw1 = QI_DEV_IOTLB_ADDR | QI_DEV_IOTLB_SIZE = 0x8000_0000_0000_7001;
        // qw0 = QI_DEV_IOTLB_SID << 32 | QI_DEV_IOTLB_QDEP << 16 | 3 | PFSID[3:0] << 12 | PFSID[15:4] << 52.
        var d = DeviceTlbInvalidate.FromWords([0x8000_8010_0010_9003UL, 0x8000_0000_0000_7001UL]);
        Assert.Equal(0x8009UL, d.Pfsid);
        Assert.Equal(0x10UL, d.Mip);
        Assert.Equal(0x8010UL, d.Sid);
        Assert.True(d.S);
        Assert.Equal(0x8000_0000_0000_7000UL, d.Addr);
        Assert.Equal(new InvalidationRange(1UL << 63, (1UL << 63) + 0xFFFF), d.CoveredRange);
        Assert.Equal(d, DeviceTlbInvalidate.Create().WithSid(0x8010).WithPfsid(0x8009).WithMip(0x10).WithAtsRange(1UL << 63, 4));

        // Only the QEMU-derived PFSID rule fires: no reserved bit is set.
        var v = d.Validate();
        Assert.False(v.HasReservedBitsSet);
        Assert.Equal(new[] { "IQE" }, v.RuleErrors(DeviceTlbInvalidate.Layout));
    }

    [Fact]
    public void QiDescDevIotlbWholeAddressSpaceDecodes()
    {
        // qi_desc_dev_iotlb(sid = 0xFFFF, pfsid = 0, qdep = 32 -> 0, addr = 0, mask = MAX_AGAW_PFN_WIDTH = 52):
        // addr |= (1 << 63) - 1 -> qw1 = 0x7FFF_FFFF_FFFF_F000 | QI_DEV_IOTLB_SIZE.
        var set = QiDescriptorSet.Decode(Bytes(0x0000_FFFF_0000_0003UL, 0x7FFF_FFFF_FFFF_F001UL));
        Assert.True(set.TryGet(out DeviceTlbInvalidate d));
        Assert.Equal(0UL, d.Mip);
        Assert.Equal(0xFFFFUL, d.Sid);
        Assert.True(d.CoveredRange.IsAll);
        Assert.True(d.Validate().IsValid);
    }

    [Fact]
    public void QiGlobalIecAndIndexSelectiveIecDecode()
    {
        // qi_global_iec: qw0 = QI_IEC_TYPE.
        var global = InterruptEntryCacheInvalidate.FromWords([0x4UL, 0]);
        Assert.Equal(InterruptEntryCacheGranularity.Global, global.G);
        Assert.True(global.Validate().IsValid);

        // QI_IEC_IIDEX(0x8000) | QI_IEC_TYPE | QI_IEC_IM(0x10) | QI_IEC_SELECTIVE.
        var selective = InterruptEntryCacheInvalidate.FromWords([0x0000_8000_8000_0014UL, 0]);
        Assert.Equal(InterruptEntryCacheGranularity.IndexSelective, selective.G);
        Assert.Equal(0x10UL, selective.Im);
        Assert.Equal(0x8000UL, selective.Iidx);
        Assert.True(selective.Validate().IsValid);
    }

    [Fact]
    public void QiSubmitSyncWaitDescriptorDecodes()
    {
        // qi_submit_sync: wait_desc.qw0 = QI_IWD_STATUS_DATA(QI_DONE = 2) | QI_IWD_STATUS_WRITE | QI_IWD_TYPE,
        // qw1 = virt_to_phys(&desc_status[wait_index]) (an int slot), qw2 = qw3 = 0.
        var set = QiDescriptor256Set.Decode(Bytes(0x0000_0002_0000_0025UL, 0x0000_0001_2345_6788UL, 0, 0));
        Assert.Equal(QiDescriptor256Kind.InvalidationWait256, set.Kind);
        Assert.True(set.TryGet(out InvalidationWait256 d));
        Assert.True(d.Sw);
        Assert.False(d.If);
        Assert.False(d.Fn);
        Assert.False(d.Pd);
        Assert.Equal(2UL, d.StatusData);
        Assert.Equal(0x1_2345_6788UL, d.StatusAddress);
        Assert.True(d.Validate().IsValid);
    }

    [Fact]
    public void QiSubmitSyncWaitDrainSetsPdWhichQemuRejects()
    {
        // qi_submit_sync(..., QI_OPT_WAIT_DRAIN): wait_desc.qw0 |= QI_IWD_PRQ_DRAIN (bit 7).
        var d = InvalidationWait.FromWords([0x0000_0002_0000_00A5UL, 0x0000_0001_2345_6788UL]);
        Assert.True(d.Pd);
        Assert.True(d.Sw);
        var v = d.Validate();
        Assert.False(v.HasReservedBitsSet);
        Assert.True(v.IsRuleViolated(1)); // PageRequestDrainRequiresPds
        Assert.False(v.IsRuleViolated(0));
    }

    [Fact]
    public void DrainPasidPrqFenceOnlyWaitHasNeitherSwNorIf()
    {
        // intel_iommu_drain_pasid_prq: desc[0].qw0 = QI_IWD_STATUS_DATA(QI_DONE) | QI_IWD_FENCE | QI_IWD_TYPE,
        // qw1 = 0. QEMU's vtd_process_wait_desc raises IQE for a wait with neither SW nor IF.
        var d = InvalidationWait.FromWords([0x0000_0002_0000_0045UL, 0]);
        Assert.True(d.Fn);
        Assert.False(d.Sw);
        Assert.False(d.If);
        var v = d.Validate();
        Assert.True(v.IsRuleViolated(0)); // StatusWriteOrInterrupt
        Assert.Equal(1, v.Count);
    }

    [Fact]
    public void QiDescPiotlbPageSelectiveDecodes()
    {
        // qi_desc_piotlb(did = 0x8000, pasid = 0x80000, addr = 1 << 63, size_order = 0x20, ih = true):
        // qw0 = QI_EIOTLB_PASID << 32 | QI_EIOTLB_DID << 16 | QI_EIOTLB_GRAN(QI_GRAN_PSI_PASID) << 4 | 6
        // qw1 = QI_EIOTLB_ADDR | QI_EIOTLB_IH(1) << 6 | QI_EIOTLB_AM(0x20).
        var set = QiDescriptor256Set.Decode(Bytes(0x0008_0000_8000_0036UL, 0x8000_0000_0000_0060UL, 0, 0));
        Assert.True(set.TryGet(out PasidIotlbInvalidate256 d));
        Assert.Equal(PasidIotlbGranularity.PageSelectiveWithinPasid, d.G);
        Assert.Equal(0x8000UL, d.Did);
        Assert.Equal(0x80000UL, d.Pasid);
        Assert.Equal(0x20UL, d.Am);
        Assert.True(d.Ih);
        Assert.Equal(1UL << 63, d.Addr);
        Assert.True(d.Validate().IsValid);
    }

    [Fact]
    public void QiDescPiotlbAllDecodes()
    {
        // qi_desc_piotlb_all(did = 0xFFFF, pasid = 0xFFFFF): G = QI_GRAN_NONG_PASID, qw1 = 0.
        var d = PasidIotlbInvalidate256.FromWords([0x000F_FFFF_FFFF_0026UL, 0, 0, 0]);
        Assert.Equal(PasidIotlbGranularity.PasidSelective, d.G);
        Assert.Equal(0xFFFFUL, d.Did);
        Assert.Equal(0xF_FFFFUL, d.Pasid);
        Assert.True(d.Validate().IsValid);
        Assert.Equal(d, PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PasidSelective).WithDid(0xFFFF).WithPasid(0xF_FFFF));
    }

    [Fact]
    public void QiFlushPasidCacheDecodes()
    {
        // qi_flush_pasid_cache(iommu, did = 0x8000, QI_PC_PASID_SEL, pasid = 0x80001): qw1..qw3 = 0.
        var set = QiDescriptor256Set.Decode(Bytes(0x0008_0001_8000_0017UL, 0, 0, 0));
        Assert.True(set.TryGet(out PasidCacheInvalidate256 d));
        Assert.Equal(PasidCacheGranularity.PasidSelective, d.G);
        Assert.Equal(0x8000UL, d.Did);
        Assert.Equal(0x80001UL, d.Pasid);
        Assert.True(d.Validate().IsValid);

        // qi_flush_pasid_cache(iommu, 0, QI_PC_GLOBAL, 0).
        var global = PasidCacheInvalidate256.FromWords([0x37UL, 0, 0, 0]);
        Assert.Equal(PasidCacheGranularity.Global, global.G);
        Assert.True(global.Validate().IsValid);
    }

    [Fact]
    public void QiDescDevIotlbPasidRangeDecodes()
    {
        // qi_desc_dev_iotlb_pasid(sid = 0x8001, pfsid = 0, pasid = 0x80000, qdep = 0x10, addr = 1 << 63, size_order = 3):
        // qw1 = addr | GENMASK_ULL(14, 12) = ...7000, clear 1 << 14 -> ...3000, | QI_DEV_EIOTLB_SIZE (1 << 11).
        var d = PasidDeviceTlbInvalidate256.FromWords([0x0008_0000_8001_0108UL, 0x8000_0000_0000_3800UL, 0, 0]);
        Assert.Equal(0x8001UL, d.Sid);
        Assert.Equal(0x80000UL, d.Pasid);
        Assert.Equal(0x10UL, d.Mip);
        Assert.Equal(0UL, d.Pfsid);
        Assert.False(d.G);
        Assert.True(d.S);
        Assert.Equal(0x8000_0000_0000_3000UL, d.Addr);
        Assert.Equal(new InvalidationRange(1UL << 63, (1UL << 63) + 0x7FFF), d.CoveredRange);
        Assert.True(d.Validate().IsValid);
        Assert.Equal(d, PasidDeviceTlbInvalidate256.Create().WithSid(0x8001).WithPasid(0x80000).WithMip(0x10).WithAtsRange(1UL << 63, 3));
    }

    [Fact]
    public void QiDescDevIotlbPasidWholeSpaceWithPfsidDecodes()
    {
        // qi_desc_dev_iotlb_pasid(sid = 0xFFFF, pfsid = 0xFFFF, pasid = 0xFFFFF, qdep = 0x1F, addr = 0,
        //   MAX_AGAW_PFN_WIDTH = 52): qw1 = GENMASK_ULL(63, 12) & ~(1 << 63) | 1 << 11.
        var d = PasidDeviceTlbInvalidate256.FromWords([0xFFFF_FFFF_FFFF_F1F8UL, 0x7FFF_FFFF_FFFF_F800UL, 0, 0]);
        Assert.Equal(0xFFFFUL, d.Sid);
        Assert.Equal(0xFFFFUL, d.Pfsid);
        Assert.Equal(0xF_FFFFUL, d.Pasid);
        Assert.Equal(0x1FUL, d.Mip);
        Assert.True(d.CoveredRange.IsAll);
        Assert.Equal(d, PasidDeviceTlbInvalidate256.Create().WithSid(0xFFFF).WithPfsid(0xFFFF).WithPasid(0xF_FFFF).WithMip(0x1F).WithAtsRange(0, 52));
        var v = d.Validate();
        Assert.False(v.HasReservedBitsSet);
        Assert.True(v.IsRuleViolated(0)); // PfsidRequiresDit
    }

    [Fact]
    public void PageGroupResponseMacrosDecode()
    {
        // QI_PGRP_PASID(0x80000) | QI_PGRP_DID(rid 0x8001) | QI_PGRP_PASID_P(1) | QI_PGRP_RESP_CODE(QI_RESP_FAILURE)
        // | QI_PGRP_RESP_TYPE; qw1 = QI_PGRP_IDX(0x100).
        var d = PageGroupResponse.FromWords([0x0008_0000_8001_F019UL, 0x800UL]);
        Assert.True(d.Pp);
        Assert.Equal(PageResponseCode.ResponseFailure, d.Rc);
        Assert.Equal(0x8001UL, d.Rid);
        Assert.Equal(0x80000UL, d.Pasid);
        Assert.Equal(0x100UL, d.Prgi);
        Assert.False(d.Lpig);
        Assert.True(d.Validate().IsValid);

        // Older header: QI_PGRP_RESP_CODE(QI_RESP_INVALID) | QI_PGRP_DID(0xFFFF) | TYPE; qw1 = QI_PGRP_IDX(0x1FF) | QI_PGRP_LPIG(1).
        var older = PageGroupResponse.FromWords([0x0000_0000_FFFF_1009UL, 0xFFCUL]);
        Assert.Equal(PageResponseCode.InvalidRequest, older.Rc);
        Assert.Equal(0x1FFUL, older.Prgi);
        Assert.True(older.Lpig);
        Assert.True(older.Validate().IsValid);
    }
}
