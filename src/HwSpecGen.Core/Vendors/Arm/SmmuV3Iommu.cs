using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// One physical Arm SMMUv3 with the Linux <c>arm-smmu-v3</c> driver's iommufd callbacks. The hardware side keeps its
/// stream table, Command queue and Event queue in host memory, an IOTLB tagged (VMID, ASID) and a configuration cache of
/// STEs and CDs; the driver side allocates VMIDs, validates guest STEs (<c>arm_vsmmu_alloc_domain_nested</c>), builds
/// physical STEs at attach (<c>arm_smmu_make_nested_domain_ste</c>), converts guest invalidations
/// (<see cref="SmmuV3Viommu"/>) and forwards stage-1 events to the vEVENTQ (<c>arm_vmaster_report_event</c>).
/// Every structure is read and written through the generated <c>HwSpecGen.Hardware.ArmSmmuV3</c> structs.
/// </summary>
public sealed partial class SmmuV3Iommu : PhysicalIommu
{
    /// <summary>The IOTLB address-space tag of stage-2-only entries (QEMU keys them with ASID = -1).</summary>
    public const ulong S2OnlySpace = ulong.MaxValue;

    private readonly Dictionary<uint, StreamState> _streams = new();
    private readonly SortedSet<ulong> _freeVmids = new();
    private ulong _nextVmid = 1;

    /// <summary>Creates an SMMU whose tables live in <paramref name="memory"/>, allocated from <paramref name="allocator"/>.</summary>
    public SmmuV3Iommu(string name, PhysicalMemory memory, PageAllocator allocator, SmmuV3Options? options = null)
        : base(name, memory, allocator)
    {
        Options = options ?? new SmmuV3Options();
        StreamTable = new SmmuV3StreamTable(memory, allocator, Options.SidBits, Options.TwoLevelStreamTable);
        EventQueue = new SmmuV3EventQueue(memory, allocator, Options.EventQueueLog2Size);
        CommandQueue = new SmmuV3CommandQueue(memory, allocator, Options.CommandQueueLog2Size);
        Idr0 = Idr0.Create().WithS1p(true).WithS2p(true).WithTtf(TableFormat.Aarch64).WithCohacc(true).WithAts(true).WithAsid16(true)
            .WithVmid16(true).WithMsi(true).WithSev(true).WithCd2l(true).WithTtendian(TranslationTableEndianness.LittleEndian)
            .WithStallModelSupport(StallModel.TerminateOnly).WithTermModel(true).WithStLevel(Options.TwoLevelStreamTable ? 1UL : 0UL);
        Idr1 = Idr1.Create().WithSidSize((ulong)Options.SidBits).WithSsidSize((ulong)Options.SsidBits).WithCmdqS(19).WithEventqS(19).WithAttrTypesOvr(true);
        Idr3 = Idr3.Create().WithRil(Options.RangeInvalidation).WithFwb(true);
        Idr5 = Idr5.Create().WithOas(AddressSize.Bits48).WithGran4K(true);
        Cr0 = Cr0.Create().WithSmmuEn(true).WithEventqEn(true).WithCmdqEn(true).WithAtsChk(false);
    }

    /// <inheritdoc/>
    public override string Vendor => "arm-smmuv3";

    /// <inheritdoc/>
    public override uint HwInfoType => ArmSmmuV3Uapi.HwInfoType;

    /// <inheritdoc/>
    public override byte MaxPasidLog2 => (byte)Options.SsidBits;

    /// <summary>How this instance was built.</summary>
    public SmmuV3Options Options { get; }

    /// <summary>SMMU_IDR0.</summary>
    public Idr0 Idr0 { get; }

    /// <summary>SMMU_IDR1.</summary>
    public Idr1 Idr1 { get; }

    /// <summary>SMMU_IDR3.</summary>
    public Idr3 Idr3 { get; }

    /// <summary>SMMU_IDR5.</summary>
    public Idr5 Idr5 { get; }

    /// <summary>SMMU_CR0 (the driver enables translation and both queues).</summary>
    public Cr0 Cr0 { get; }

    /// <summary>SMMU_IIDR (implementer 0x43B = Arm).</summary>
    public uint Iidr => 0x43B;

    /// <summary>SMMU_AIDR (SMMUv3.1).</summary>
    public uint Aidr => 0x01;

    /// <summary>The host stream table.</summary>
    public SmmuV3StreamTable StreamTable { get; }

    /// <summary>The host Event queue.</summary>
    public SmmuV3EventQueue EventQueue { get; }

    /// <summary>The host Command queue.</summary>
    public SmmuV3CommandQueue CommandQueue { get; }

    /// <summary>Every event record the driver consumed from the Event queue, with where it went.</summary>
    public List<SmmuV3HostEvent> HostEvents { get; } = new();

    /// <summary>Receives one line per command the hardware executes and per event handled (for traces); null for none.</summary>
    public Action<string>? CommandTrace { get; set; }

    /// <summary>
    /// <c>arm_smmu_hw_info</c>: <c>struct iommu_hw_info_arm_smmuv3</c> = flags 0, __reserved 0, idr[0..5], iidr, aidr,
    /// each register as the generated register struct encodes it.
    /// </summary>
    public override byte[] GetHwInfoData()
    {
        var data = new byte[ArmSmmuV3Uapi.HwInfoLength];
        var span = data.AsSpan();
        Idr0.WriteTo(span[8..]);
        Idr1.WriteTo(span[12..]);
        Idr2.Create().WriteTo(span[16..]);
        Idr3.WriteTo(span[20..]);
        Idr4.Create().WriteTo(span[24..]);
        Idr5.WriteTo(span[28..]);
        BitConverter.TryWriteBytes(span[32..], Iidr);
        BitConverter.TryWriteBytes(span[36..], Aidr);
        return data;
    }

    /// <inheritdoc/>
    public override IPageTable CreatePageTable() => new SmmuV3Stage2Table(Memory, Allocator);

    /// <summary>Allocates a VMID (Linux <c>ida_alloc_range(&amp;smmu-&gt;vmid_map, 1, ...)</c>).</summary>
    public override ulong AllocateDomainTag()
    {
        if (_freeVmids.Count > 0)
        {
            var v = _freeVmids.Min;
            _freeVmids.Remove(v);
            return v;
        }

        return _nextVmid++;
    }

    /// <inheritdoc/>
    public override void FreeDomainTag(ulong tag) => _freeVmids.Add(tag);

    /// <summary><c>arm_vsmmu_init</c>: type ARM_SMMUV3 only; the vIOMMU takes the parent's VMID.</summary>
    public override IommufdResult<ViommuDriver> AllocViommu(uint viommuType, HwptPaging parent)
    {
        if (viommuType != ArmSmmuV3Uapi.ViommuType)
        {
            return Errno.EOPNOTSUPP;
        }

        if (!ReferenceEquals(parent.Iommu, this))
        {
            return Errno.EINVAL;
        }

        return IommufdResult<ViommuDriver>.Ok(new SmmuV3Viommu(this, parent));
    }

    /// <summary>
    /// <c>arm_vsmmu_alloc_domain_nested</c>: only from a vIOMMU (the SMMUv3 driver has no <c>domain_alloc_nested</c> on a
    /// parent HWPT: EOPNOTSUPP); flags other than FAULT_ID_VALID (which the core strips) → EOPNOTSUPP; the copy rules
    /// (type ≠ ARM_SMMUV3 or length ≠ 16 → EINVAL); then <c>arm_smmu_validate_vste</c>: V = 0 → zeroed and accepted;
    /// a bit outside STRTAB_STE_0/1_NESTING_ALLOWED, a Config other than abort/bypass/S1, or EATS other than ABT/TRANS → EIO.
    /// </summary>
    public override IommufdResult<NestedDomain> AllocNested(HwptPaging parent, Viommu? viommu, HwptAllocFlags flags, uint dataType, ReadOnlySpan<byte> data)
    {
        if (viommu?.Driver is not SmmuV3Viommu vsmmu)
        {
            return Errno.EOPNOTSUPP;
        }

        if ((flags & ~HwptAllocFlags.FaultIdValid) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        if (dataType != ArmSmmuV3Uapi.HwptDataType || data.Length != ArmSmmuV3Uapi.HwptDataLength)
        {
            return Errno.EINVAL;
        }

        var r = ValidateVste(data, out var vste, out var enableAts);
        if (!r.IsOk)
        {
            return r.Error;
        }

        return IommufdResult<NestedDomain>.Ok(new SmmuV3NestedDomain(vsmmu, vste, enableAts));
    }

    /// <summary>
    /// <c>arm_smmu_validate_vste</c> over the generated <see cref="Ste"/>: the allowed fields are copied into a fresh STE
    /// and the result must equal the guest's words (so any other bit, including reserved ones, is caught); Linux's
    /// S1ContextPtr mask stops at bit 51.
    /// </summary>
    internal static IommufdResult ValidateVste(ReadOnlySpan<byte> data, out Ste vste, out bool enableAts)
    {
        enableAts = false;
        Span<byte> full = stackalloc byte[Ste.SizeBytes];
        full.Clear();
        data[..ArmSmmuV3Uapi.HwptDataLength].CopyTo(full);
        var guest = Ste.Read(full);
        if (!guest.V)
        {
            vste = Ste.Create();
            return IommufdResult.Ok;
        }

        vste = default;
        var allowed = Ste.Create().WithV(guest.V).WithConfig(guest.Config).WithS1Fmt(guest.S1Fmt).WithS1CdMax(guest.S1CdMax)
            .WithS1Dss(guest.S1Dss).WithS1Cir(guest.S1Cir).WithS1Cor(guest.S1Cor).WithS1Csh(guest.S1Csh).WithS1Stalld(guest.S1Stalld).WithEats(guest.Eats);
        if (guest.S1ContextPtr >> 52 != 0)
        {
            return Errno.EIO;
        }

        allowed = allowed.WithS1ContextPtr(guest.S1ContextPtr);
        if (allowed != guest)
        {
            return Errno.EIO;
        }

        if (guest.Config is not (SteConfig.Abort or SteConfig.Bypass or SteConfig.S1Trans))
        {
            return Errno.EIO;
        }

        if (guest.Eats is not (AtsConfig.Abort or AtsConfig.FullAts))
        {
            return Errno.EIO;
        }

        enableAts = guest.Config == SteConfig.S1Trans && guest.Eats == AtsConfig.FullAts;
        vste = guest.WithEats(AtsConfig.Abort);
        return IommufdResult.Ok;
    }

    /// <summary>
    /// Attach (<c>arm_smmu_attach_dev</c> / <c>arm_smmu_attach_dev_nested</c>): builds the physical STE of the device's
    /// StreamID in the host stream table — S2-only for a paging HWPT, and for a nested HWPT the nested/S2/abort STE of
    /// <c>arm_smmu_make_nested_domain_ste</c> — then CFGI_STE + CMD_SYNC and, for an ATS device, ATC_INV of everything.
    /// A translating nested HWPT needs the device's vDEVICE on its vIOMMU (ENOENT).
    /// </summary>
    public override IommufdResult Attach(Device device, uint? pasid, Hwpt hwpt)
    {
        if (pasid is not null)
        {
            return Errno.EOPNOTSUPP;
        }

        if (device.PhysicalId >> Options.SidBits != 0)
        {
            return Errno.ENODEV;
        }

        Ste ste;
        StreamState state;
        switch (hwpt)
        {
            case HwptPaging paging:
                {
                    var ats = device.AtsCapable;
                    ste = MakeS2DomainSte(paging, ats);
                    state = new StreamState(device, paging.DomainTag, null, null);
                    break;
                }

            case HwptNested { Domain: SmmuV3NestedDomain nested }:
                {
                    if (!ReferenceEquals(nested.Viommu.Smmu, this))
                    {
                        return Errno.EINVAL;
                    }

                    var cfg = nested.EffectiveConfig;
                    var vdev = device.Vdevice;
                    var hasVmaster = vdev is not null && ReferenceEquals(vdev.Viommu.Driver, nested.Viommu);
                    if (!hasVmaster && cfg == SteConfig.S1Trans)
                    {
                        return Errno.ENOENT;
                    }

                    var ats = nested.EnableAts && device.AtsCapable;
                    ste = cfg switch
                    {
                        SteConfig.S1Trans => MakeNestedCdTableSte(nested, ats),
                        SteConfig.Bypass => MakeS2DomainSte(nested.Viommu.Parent, ats),
                        _ => MakeAbortSte(),
                    };
                    state = new StreamState(device, nested.Viommu.Vmid, hasVmaster ? nested.Viommu : null, hasVmaster ? vdev!.VirtId : null);
                    break;
                }

            default:
                return Errno.EINVAL;
        }

        RegisterDevice(device);
        InstallSte(device, ste);
        _streams[device.PhysicalId] = state;
        return IommufdResult.Ok;
    }

    /// <summary>Detach: the blocked domain's abort STE (<c>arm_smmu_make_abort_ste</c>), CFGI_STE, and the ATC flushed.</summary>
    public override void Detach(Device device, uint? pasid)
    {
        if (pasid is not null || device.PhysicalId >> Options.SidBits != 0)
        {
            return;
        }

        InstallSte(device, MakeAbortSte());
        _streams.Remove(device.PhysicalId);
    }

    /// <summary>ATS is enabled when the device's STE in memory translates and has EATS = FullAts.</summary>
    public override bool IsAtsEnabled(Device device)
    {
        if (!device.AtsCapable || !StreamTable.TryRead(device.PhysicalId, out var ste, out _, out _))
        {
            return false;
        }

        return ste.V && ste.Config is (SteConfig.S1Trans or SteConfig.S2Trans or SteConfig.Nested) && ste.Eats == AtsConfig.FullAts;
    }

    /// <summary>
    /// The host changed stage 2: Linux <c>arm_smmu_tlb_inv_range_domain</c> for a nesting parent — TLBI_S2_IPA over the
    /// range, TLBI_NH_ALL for the VMID (stage-1 entries may hold the old IPA → PA), CMD_SYNC — and a full ATC_INV of every
    /// ATS device translating through it (<c>nested_ats_flush</c>: "no option but to completely flush the ATC").
    /// </summary>
    public override void FlushStage2(HwptPaging parent, ulong iova, ulong length)
    {
        var vmid = parent.DomainTag;
        var commands = new List<byte>();
        foreach (var cmd in TlbiS2Ipa.ForRange(vmid, iova, length, PhysicalMemory.PageSize, 12, leaf: true, Options.RangeInvalidation))
        {
            commands.AddRange(cmd.ToBytes());
        }

        if (parent.IsNestParent)
        {
            commands.AddRange(TlbiNhAll.Create().WithVmid(vmid).ToBytes());
        }

        IssueCommands(commands.ToArray(), sync: true);
        var atc = new List<byte>();
        foreach (var (sid, s) in _streams)
        {
            if (s.Vmid == vmid && IsAtsEnabled(s.Device))
            {
                atc.AddRange(AtcInv.ForRange(sid, 0, 0, 0).ToBytes());
            }
        }

        if (atc.Count > 0)
        {
            IssueCommands(atc.ToArray(), sync: true);
        }
    }

    private static Ste MakeAbortSte() => Ste.Create().WithV(true).WithConfig(SteConfig.Abort);

    private Ste MakeS2DomainSte(HwptPaging parent, bool ats) =>
        Ste.Create().WithV(true).WithConfig(SteConfig.S2Trans)
            .WithEats(ats ? AtsConfig.FullAts : AtsConfig.Abort)
            .WithShCfg(ShareabilityConfig.Incoming)
            .WithS2Fwb(Idr3.Fwb)
            .WithS2Vmid(parent.DomainTag)
            .WithS2T0sz(SmmuV3Stage2Table.T0sz)
            .WithS2Sl0(SmmuV3Stage2Table.Sl0)
            .WithS2Ir0(TableCacheability.WriteBackReadWriteAllocate)
            .WithS2Or0(TableCacheability.WriteBackReadWriteAllocate)
            .WithS2Sh0(Shareability.InnerShareable)
            .WithS2Tg(TranslationGranule.Granule4K)
            .WithS2Ps(AddressSize.Bits48)
            .WithS2Aa64(true)
            .WithS2Ptw(true)
            .WithS2R(true)
            .WithS2Ttb(parent.PageTable.Root);

    /// <summary><c>arm_smmu_make_nested_cd_table_ste</c>: the parent's S2 STE, dword 0 = V | Config nested | the guest's S1 fields, dword 1 |= the guest's S1 fields, MEV forced.</summary>
    private Ste MakeNestedCdTableSte(SmmuV3NestedDomain nested, bool ats)
    {
        var g = nested.Vste;
        return MakeS2DomainSte(nested.Viommu.Parent, ats)
            .WithV(true).WithConfig(SteConfig.Nested)
            .WithS1Fmt(g.S1Fmt).WithS1ContextPtr(g.S1ContextPtr).WithS1CdMax(g.S1CdMax)
            .WithS1Dss(g.S1Dss).WithS1Cir(g.S1Cir).WithS1Cor(g.S1Cor).WithS1Csh(g.S1Csh).WithS1Stalld(g.S1Stalld)
            .WithMev(true);
    }

    private void InstallSte(Device device, Ste ste)
    {
        var sid = device.PhysicalId;
        StreamTable.Write(sid, ste);
        Span<byte> cmds = stackalloc byte[32];
        CfgiSte.Create().WithSid(sid).WithLeaf(true).WriteTo(cmds);
        var n = 16;
        if (device.AtsCapable)
        {
            AtcInv.ForRange(sid, 0, 0, 0).WriteTo(cmds[16..]);
            n = 32;
        }

        IssueCommands(cmds[..n], sync: true);
    }

    /// <summary>What the driver knows about an attached StreamID.</summary>
    /// <param name="Device">The device.</param>
    /// <param name="Vmid">The VMID its STE uses.</param>
    /// <param name="Vmaster">The vIOMMU its stage-1 events go to (<c>master-&gt;vmaster</c>), if any.</param>
    /// <param name="Vsid">Its vSID on that vIOMMU.</param>
    internal readonly record struct StreamState(Device Device, ulong Vmid, SmmuV3Viommu? Vmaster, ulong? Vsid);
}
