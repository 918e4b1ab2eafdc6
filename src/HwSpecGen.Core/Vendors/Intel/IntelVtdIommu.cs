using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// One Intel VT-d remapping unit in scalable mode together with the Linux intel-iommu driver's iommufd callbacks. The
/// host owns every structure the hardware walks: the scalable-mode root table at RTADDR, context tables, PASID
/// directories and PASID tables in host memory, written at attach time with the generated encoders. A nested HWPT
/// becomes a PASID-table entry with PGTT = nested: FSPTPTR = the guest's stage-1 root (a GPA), SLPTPTR = the nest
/// parent's second-stage root, DID = a host DID. Translations are cached in the IOTLB tagged (DID, PASID); faults are
/// logged in fault-recording registers kept in host memory; invalidations go through a host invalidation queue in host
/// memory with 256-bit descriptors, as <c>qi_submit_sync</c> does.
/// </summary>
public sealed partial class IntelVtdIommu : PhysicalIommu
{
    /// <summary>Linux <c>IDA_START_DID</c>: DIDs 0 and 1 are reserved (caching mode / <c>FLPT_DEFAULT_DID</c>).</summary>
    public const ushort FirstDid = 2;

    /// <summary>The PASID used for requests without PASID (Linux programs RID_PASID = <c>IOMMU_NO_PASID</c> = 0).</summary>
    public const uint RidPasid = 0;

    private readonly HashSet<ushort> _usedDids = new();
    private readonly HashSet<ushort> _nestedDids = new();
    private readonly Dictionary<(uint Rid, uint Pasid), Hwpt> _attachments = new();
    private readonly Dictionary<uint, Device> _deviceByRid = new();
    private readonly Dictionary<HwptPaging, List<IntelNestedDomain>> _children = new();
    private readonly int _maxDid;
    private int _nextDid = FirstDid;

    /// <summary>Creates a remapping unit whose tables live in <paramref name="memory"/>, allocated from <paramref name="allocator"/>.</summary>
    public IntelVtdIommu(string name, PhysicalMemory memory, PageAllocator allocator, IntelVtdOptions? options = null)
        : base(name, memory, allocator)
    {
        Options = options ?? new IntelVtdOptions();
        if (Options.FaultRecordCount is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "1 to 256 fault-recording registers");
        }

        Cap = CapabilityRegister.Create()
            .WithNd((ulong)Options.DomainCountField)
            .WithSagaw(0b00100) // 48-bit, 4-level second stage
            .WithMgaw(VtdSecondStageTable.AddressWidth - 1)
            .WithFro(0x22) // fault-recording registers at 0x220, as QEMU
            .WithSllps((Options.SecondStage2MPages ? 1UL : 0) | (Options.SecondStage1GPages ? 2UL : 0))
            .WithPsi(true)
            .WithNfr((ulong)(Options.FaultRecordCount - 1))
            .WithMamv(18)
            .WithDwd(true)
            .WithDrd(true)
            .WithFs1gp(Options.FirstStage1GPages)
            .WithFs5lp(Options.FirstStage5Level);
        Ecap = ExtendedCapabilityRegister.Create()
            .WithC(true)
            .WithQi(true)
            .WithDt(Options.DeviceTlb)
            .WithPt(true)
            .WithSc(true)
            .WithIro(0x10)
            .WithMhmv(0xF)
            .WithNest(Options.NestedTranslation)
            .WithSrs(Options.SupervisorRequests)
            .WithEafs(Options.ExtendedAccessedFlag)
            .WithPss(19) // 20-bit PASIDs
            .WithPasid(true)
            .WithSmts(true)
            .WithSlts(true)
            .WithFlts(true)
            .WithSmpwcs(true)
            .WithRps(true);
        _maxDid = (int)Math.Min(ushort.MaxValue, (1L << (4 + (2 * Options.DomainCountField))) - 1);

        RootTableAddress = RootTableAddressRegister.Create().WithTtm(TranslationTableMode.Scalable).WithRta(allocator.Allocate(PhysicalMemory.PageSize));
        FaultRecordBase = allocator.Allocate(PhysicalMemory.PageSize);
        Faults = new VtdFaultUnit(Options.FaultRecordCount, ReadFaultRecord, WriteFaultRecord);
        InitializeInvalidationQueue();
        InitializePageRequestQueue();
    }

    /// <summary>What the unit implements.</summary>
    public IntelVtdOptions Options { get; }

    /// <summary>CAP_REG.</summary>
    public CapabilityRegister Cap { get; }

    /// <summary>ECAP_REG.</summary>
    public ExtendedCapabilityRegister Ecap { get; }

    /// <summary>RTADDR_REG (scalable mode) as the host driver programmed it.</summary>
    public RootTableAddressRegister RootTableAddress { get; }

    /// <summary>Host physical address of the fault-recording area (CAP.NFR + 1 records of 16 bytes).</summary>
    public ulong FaultRecordBase { get; }

    /// <summary>Primary fault logging (FSTS, FECTL, the fault-recording registers).</summary>
    public VtdFaultUnit Faults { get; }

    /// <summary>Receives a line for every host invalidation descriptor processed (decoded, effect); null for none.</summary>
    public Action<string>? CommandTrace { get; set; }

    /// <inheritdoc/>
    public override string Vendor => "intel-vtd";

    /// <inheritdoc/>
    public override uint HwInfoType => IntelUapi.HwInfoTypeIntelVtd;

    /// <inheritdoc/>
    public override byte MaxPasidLog2 => (byte)(Ecap.Pss + 1);

    /// <summary>The nested domains layered on <paramref name="parent"/>.</summary>
    public IReadOnlyList<IntelNestedDomain> NestedChildren(HwptPaging parent) =>
        _children.TryGetValue(parent, out var l) ? l : Array.Empty<IntelNestedDomain>();

    /// <inheritdoc/>
    public override byte[] GetHwInfoData() =>
        new IommuHwInfoVtd(Options.Errata772415Spr17 ? IntelUapi.HwInfoVtdErrata772415Spr17 : 0, Cap, Ecap).ToBytes();

    /// <inheritdoc/>
    public override IPageTable CreatePageTable() => new VtdSecondStageTable(Memory, Allocator, Options.SecondStage2MPages, Options.SecondStage1GPages);

    /// <inheritdoc/>
    public override ulong AllocateDomainTag() => AllocateDid();

    /// <inheritdoc/>
    public override void FreeDomainTag(ulong tag) => RetireDid((ushort)tag);

    /// <summary>
    /// <c>intel_iommu_domain_alloc_nested</c>: nesting unsupported or flags other than PASID → EOPNOTSUPP; data type not
    /// VTD_S1 → EOPNOTSUPP; parent not a second-stage nest parent → EINVAL; then <c>iommu_copy_struct_from_user</c>
    /// (length must be exactly 24 bytes → else EINVAL). Flags, address width and reserved are not checked here (attach does).
    /// </summary>
    public override IommufdResult<NestedDomain> AllocNested(HwptPaging parent, Viommu? viommu, HwptAllocFlags flags, uint dataType, ReadOnlySpan<byte> data)
    {
        // the core strips IOMMU_HWPT_FAULT_ID_VALID before calling the driver
        if (!Options.NestedTranslation || (flags & ~(HwptAllocFlags.Pasid | HwptAllocFlags.FaultIdValid)) != 0 || viommu is not null)
        {
            return Errno.EOPNOTSUPP;
        }

        if (dataType != IntelUapi.HwptDataVtdS1)
        {
            return Errno.EOPNOTSUPP;
        }

        if (parent.PageTable is not VtdSecondStageTable || !parent.IsNestParent || parent.Iommu != this)
        {
            return Errno.EINVAL;
        }

        if (data.Length != IommuHwptVtdS1.Size)
        {
            return Errno.EINVAL;
        }

        var domain = new IntelNestedDomain(this, parent, IommuHwptVtdS1.Read(data));
        if (!_children.TryGetValue(parent, out var list))
        {
            _children[parent] = list = new List<IntelNestedDomain>();
        }

        list.Add(domain);
        return IommufdResult<NestedDomain>.Ok(domain);
    }

    /// <summary>
    /// Programs the device's scalable-mode context entry and the PASID-table entry for <paramref name="pasid"/> (RID_PASID
    /// when null): PGTT = second-stage for a paging HWPT, PGTT = nested for a nested one (<c>intel_pasid_setup_nested</c>:
    /// <c>addr_width</c> 48, or 57 with CAP.FS5LP, else EINVAL; SRE needs ECAP.SRS, EAFE needs ECAP.EAFS, else EINVAL).
    /// A previous attachment of the same (device, PASID) is torn down and flushed. A failed attach changes nothing.
    /// </summary>
    public override IommufdResult Attach(Device device, uint? pasid, Hwpt hwpt)
    {
        if (!Owns(device) || hwpt.Iommu != this)
        {
            return Errno.EINVAL;
        }

        if (pasid is not null && (!Ecap.Pasid || pasid.Value >> (int)(Ecap.Pss + 1) != 0))
        {
            return Errno.EOPNOTSUPP;
        }

        IntelNestedDomain? nested = null;
        HwptPaging paging;
        switch (hwpt)
        {
            case HwptNested n when n.Domain is IntelNestedDomain d:
                nested = d;
                paging = n.Parent;
                var check = CheckStage1Config(d.Config);
                if (!check.IsOk)
                {
                    return check;
                }

                break;
            case HwptPaging p when p.PageTable is VtdSecondStageTable:
                paging = p;
                break;
            default:
                return Errno.EINVAL;
        }

        var hostPasid = pasid ?? RidPasid;
        if (!TryLocatePasidEntry(device, hostPasid, allocate: true, out var entryAddress))
        {
            return Errno.ENOMEM;
        }

        if (nested is not null && !nested.AcquireDid())
        {
            return Errno.ENOSPC;
        }

        TearDown(device, pasid);
        var table = (VtdSecondStageTable)paging.PageTable;
        var entry = PasidTableEntry.Create()
            .WithFpd(false)
            .WithAw(table.Aw)
            .WithSlptptr(table.Root)
            .WithPwsnp(Ecap.Smpwcs);
        if (nested is null)
        {
            entry = entry.WithPgtt(PasidGranularTranslationType.SecondStageOnly).WithDid(paging.DomainTag);
        }
        else
        {
            var cfg = nested.Config;
            var sre = (cfg.Flags & IntelUapi.VtdS1Sre) != 0;
            entry = entry.WithPgtt(PasidGranularTranslationType.Nested)
                .WithDid(nested.Did)
                .WithFsptptr(cfg.PgtblAddr & ~0xFFFUL)
                .WithFlpm(cfg.AddrWidth == IntelUapi.AddrWidth5Level ? FirstStagePagingMode.FiveLevel : FirstStagePagingMode.FourLevel)
                .WithSre(sre)
                .WithWpe(sre && (cfg.Flags & IntelUapi.VtdS1Wpe) != 0)
                .WithEafe((cfg.Flags & IntelUapi.VtdS1Eafe) != 0);
        }

        // P is written last (pasid_set_present after the rest). The entry was not present (TearDown cleared it and flushed
        // the PASID cache, IOTLB and device TLB for the old DID), and with CAP.CM = 0 hardware caches no not-present entry,
        // so — as Linux pasid_flush_caches (intel/pasid.c) does without caching mode — no invalidation follows the write.
        IntelFormatIo.TryWrite(Memory, entryAddress, entry);
        IntelFormatIo.TryWrite(Memory, entryAddress, entry.WithP(true));
        _attachments[(device.PhysicalId, hostPasid)] = hwpt;
        _deviceByRid[device.PhysicalId] = device;
        Trace?.Invoke(new WalkStep(TranslationStage.Config, 0, entryAddress, "intel-vtd/PasidTableEntry", "attach: " + entry.WithP(true)));
        return IommufdResult.Ok;
    }

    /// <summary>Clears the PASID-table entry (DMA is blocked: PASID entry not present) and flushes what it cached.</summary>
    public override void Detach(Device device, uint? pasid) => TearDown(device, pasid);

    /// <summary>ATS is enabled when the host programmed the device's context entry with DTE (and ECAP.DT).</summary>
    public override bool IsAtsEnabled(Device device)
    {
        if (!device.AtsCapable || !Ecap.Dt || !TryReadContext(device.PhysicalId, out var ctx, out _))
        {
            return false;
        }

        return ctx.P && ctx.Dte;
    }

    /// <summary>The host PASID-table entry currently programmed for the device and PASID (RID_PASID when null), as hardware reads it.</summary>
    public bool TryReadPasidEntry(Device device, uint? pasid, out PasidTableEntry entry)
    {
        entry = default;
        return TryLocatePasidEntry(device, pasid ?? RidPasid, allocate: false, out var address) && IntelFormatIo.TryRead(Memory, address, out entry);
    }

    /// <summary>The host context entry of a requester id.</summary>
    public bool TryReadContext(uint rid, out ScalableModeContextEntry context, out ulong address)
    {
        context = default;
        address = 0;
        var rootAddress = RootTableAddress.Rta + RootTable.Offset(rid);
        if (!IntelFormatIo.TryRead(Memory, rootAddress, out ScalableModeRootEntry root))
        {
            return false;
        }

        var upper = (rid & 0x80) != 0;
        if (upper ? !root.Up : !root.Lp)
        {
            return false;
        }

        address = (upper ? root.Uctp : root.Lctp) + ContextTable.Offset(rid);
        return IntelFormatIo.TryRead(Memory, address, out context);
    }

    internal ushort AllocateDid()
    {
        for (var tries = 0; tries < _maxDid; tries++)
        {
            var did = (ushort)_nextDid;
            _nextDid = _nextDid >= _maxDid ? FirstDid : _nextDid + 1;
            if (_usedDids.Add(did))
            {
                return did;
            }
        }

        return 0;
    }

    internal ushort AllocateNestedDid()
    {
        var did = AllocateDid();
        if (did != 0)
        {
            _nestedDids.Add(did);
        }

        return did;
    }

    internal void RetireDid(ushort did)
    {
        if (_usedDids.Remove(did))
        {
            Iotlb.InvalidateTag(did);
            _nestedDids.Remove(did);
        }
    }

    internal void ReleaseNested(IntelNestedDomain domain)
    {
        if (_children.TryGetValue(domain.Parent, out var list))
        {
            list.Remove(domain);
            if (list.Count == 0)
            {
                _children.Remove(domain.Parent);
            }
        }

        while (domain.DidUsers > 0)
        {
            domain.ReleaseDid();
        }
    }

    private IommufdResult CheckStage1Config(IommuHwptVtdS1 cfg)
    {
        if (cfg.AddrWidth != IntelUapi.AddrWidth4Level && (cfg.AddrWidth != IntelUapi.AddrWidth5Level || !Cap.Fs5lp))
        {
            return Errno.EINVAL;
        }

        if ((cfg.Flags & IntelUapi.VtdS1Sre) != 0 && !Ecap.Srs)
        {
            return Errno.EINVAL;
        }

        if ((cfg.Flags & IntelUapi.VtdS1Eafe) != 0 && !Ecap.Eafs)
        {
            return Errno.EINVAL;
        }

        return IommufdResult.Ok;
    }

    private void TearDown(Device device, uint? pasid)
    {
        var hostPasid = pasid ?? RidPasid;
        if (!_attachments.Remove((device.PhysicalId, hostPasid), out var old))
        {
            return;
        }

        if (TryLocatePasidEntry(device, hostPasid, allocate: false, out var address) && IntelFormatIo.TryRead(Memory, address, out PasidTableEntry entry))
        {
            // intel_pasid_tear_down_entry: clear the entry, then flush the PASID cache (PASID-selective, old DID), the IOTLB
            // and the device TLB — through the host queue, which also removes the entry from this unit's PASID cache
            IntelFormatIo.TryWrite(Memory, address, PasidTableEntry.Create());
            FlushTornDownEntry(device, pasid, entry);
        }

        if (old is HwptNested { Domain: IntelNestedDomain d })
        {
            d.ReleaseDid();
        }
    }

    private bool TryLocatePasidEntry(Device device, uint pasid, bool allocate, out ulong entryAddress)
    {
        entryAddress = 0;
        var rid = device.PhysicalId;
        var rootAddress = RootTableAddress.Rta + RootTable.Offset(rid);
        if (!IntelFormatIo.TryRead(Memory, rootAddress, out ScalableModeRootEntry root))
        {
            return false;
        }

        var upper = (rid & 0x80) != 0;
        if (upper ? !root.Up : !root.Lp)
        {
            if (!allocate || Allocator.TryAllocate(PhysicalMemory.PageSize) is not { } table)
            {
                return false;
            }

            root = upper ? root.WithUctp(table).WithUp(true) : root.WithLctp(table).WithLp(true);
            IntelFormatIo.TryWrite(Memory, rootAddress, root);
        }

        var contextAddress = (upper ? root.Uctp : root.Lctp) + ContextTable.Offset(rid);
        IntelFormatIo.TryRead(Memory, contextAddress, out ScalableModeContextEntry context);
        if (!context.P)
        {
            // context_entry_set_pasid_table: a PASID directory large enough for the device's PASIDs (at least 2^7 entries)
            var pdts = (ulong)Math.Max(0, Math.Min(device.PasidBits, 20) - 6 - 7);
            var dirBytes = Math.Max((ulong)PhysicalMemory.PageSize, (1UL << (int)(pdts + 7)) * PasidDirectoryEntry.SizeBytes);
            if (!allocate || Allocator.TryAllocate(dirBytes) is not { } dir)
            {
                return false;
            }

            context = ScalableModeContextEntry.Create()
                .WithFpd(false)
                .WithDte(device.AtsCapable && Ecap.Dt)
                .WithPaside(device.PasidBits > 0 && Ecap.Pasid)
                .WithPdts(pdts)
                .WithPasiddirptr(dir)
                .WithRidPasid(RidPasid);
            // not present → present: with CAP.CM = 0 no context-cache invalidation is needed (Linux
            // context_present_cache_flush, intel/iommu.c, only flushes the write buffer then)
            IntelFormatIo.TryWrite(Memory, contextAddress, context);
            IntelFormatIo.TryWrite(Memory, contextAddress, context.WithP(true));
            context = context.WithP(true);
        }

        if (PasidDirectoryTable.Index(pasid) >= 1UL << (int)(context.Pdts + 7))
        {
            return false;
        }

        var dirEntryAddress = context.Pasiddirptr + PasidDirectoryTable.Offset(pasid);
        IntelFormatIo.TryRead(Memory, dirEntryAddress, out PasidDirectoryEntry dirEntry);
        if (!dirEntry.P)
        {
            if (!allocate || Allocator.TryAllocate(PhysicalMemory.PageSize) is not { } pasidTable)
            {
                return false;
            }

            dirEntry = PasidDirectoryEntry.Create().WithP(true).WithSmptblptr(pasidTable);
            IntelFormatIo.TryWrite(Memory, dirEntryAddress, dirEntry);
        }

        entryAddress = dirEntry.Smptblptr + PasidTable.Offset(pasid);
        return true;
    }
}
