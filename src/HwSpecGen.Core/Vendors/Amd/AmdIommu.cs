using System;
using System.Collections.Generic;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// One physical AMD IOMMU and the Linux AMD driver's iommufd callbacks over it. The hardware state lives in host memory and
/// is read and written only through the generated AMD-Vi structs: the device table (256-bit <see cref="DeviceTableEntry"/> per
/// DeviceID), the host command buffer (<see cref="CommandSet"/>), the host event log (<see cref="EventSet"/> members), the v1
/// host tables (<see cref="AmdV1PageTable"/>); guest structures (GCR3 tables, v2 tables) are read from guest memory through
/// the nest parent's stage 2. The IOTLB is tagged (DomainID, PASID) as the hardware tags it; a DTE cache holds the DTEs the
/// hardware has fetched until an INVALIDATE_DEVTAB_ENTRY.
/// </summary>
/// <remarks>
/// Driver behaviour follows Linux <c>drivers/iommu/amd/iommufd.c</c> (<c>amd_iommufd_hw_info</c>, <c>amd_iommufd_viommu_init</c>,
/// <c>get_viommu_size</c>) and <c>nested.c</c> (<c>amd_iommu_alloc_domain_nested</c>, <c>validate_gdte_nested</c>,
/// <c>set_dte_nested</c>, <c>nested_domain_free</c>); after every DTE update the driver flushes the DTE (and the device's
/// IOTLB when ATS is on) through the command buffer and waits on a COMPLETION_WAIT semaphore, as <c>amd_iommu_update_dte</c> →
/// <c>device_flush_dte</c> → <c>iommu_completion_wait</c> do.
/// </remarks>
public sealed partial class AmdIommu : PhysicalIommu
{
    /// <summary>Architected event name: IO_PAGE_FAULT (event code 0x2).</summary>
    public const string IoPageFaultCode = "IO_PAGE_FAULT";

    /// <summary>Architected event name: ILLEGAL_DEV_TABLE_ENTRY (event code 0x1).</summary>
    public const string IllegalDevTableEntryCode = "ILLEGAL_DEV_TABLE_ENTRY";

    /// <summary>Architected event name: DEV_TAB_HARDWARE_ERROR (event code 0x3).</summary>
    public const string DevTabHardwareErrorCode = "DEV_TAB_HARDWARE_ERROR";

    /// <summary>Architected event name: PAGE_TAB_HARDWARE_ERROR (event code 0x4).</summary>
    public const string PageTabHardwareErrorCode = "PAGE_TAB_HARDWARE_ERROR";

    /// <summary>Architected event name: ILLEGAL_COMMAND_ERROR (event code 0x5).</summary>
    public const string IllegalCommandErrorCode = "ILLEGAL_COMMAND_ERROR";

    /// <summary>Architected event name: COMMAND_HARDWARE_ERROR (event code 0x6).</summary>
    public const string CommandHardwareErrorCode = "COMMAND_HARDWARE_ERROR";

    /// <summary>Architected event name: INVALID_DEVICE_REQUEST (event code 0x8).</summary>
    public const string InvalidDeviceRequestCode = "INVALID_DEVICE_REQUEST";

    /// <summary>Number of device table entries (16-bit DeviceIDs).</summary>
    public const int DeviceTableEntries = 1 << 16;

    /// <summary>log2 of the entries of the host command buffer and event log (Linux <c>MMIO_CMD_SIZE_512</c>, <c>EVT_LEN_MASK</c>).</summary>
    public const int RingLengthLog2 = 9;

    private const ulong MaxDomainId = 0xFFFF;
    private readonly HashSet<ulong> _domainIds = new();
    private readonly DeviceIdCache<CachedDte> _dteCache = new();
    private readonly Dictionary<uint, Device> _devices = new();
    private readonly List<AmdViommuDriver> _viommus = new();
    private ulong _nextDomainId = 1;

    /// <summary>Creates the IOMMU: allocates the device table (every DTE V=1, TV=1: DMA blocked until a domain is attached, as Linux initialises it), the command buffer, the event log and the completion semaphore in host memory.</summary>
    public AmdIommu(string name, PhysicalMemory memory, PageAllocator allocator, AmdIommuOptions? options = null)
        : base(name, memory, allocator)
    {
        Options = options ?? AmdIommuOptions.Default;
        var devTabBytes = (ulong)DeviceTableEntries * DeviceTableEntry.SizeBytes;
        var devTab = allocator.Allocate(devTabBytes, PhysicalMemory.PageSize);
        DeviceTableBaseRegister = DeviceTableBase.Create().WithBase(devTab).WithSize((devTabBytes / PhysicalMemory.PageSize) - 1);
        var blocked = BlockedDtePage();
        for (ulong offset = 0; offset < devTabBytes; offset += PhysicalMemory.PageSize)
        {
            memory.TryWrite(devTab + offset, blocked);
        }

        var ringBytes = 16UL << RingLengthLog2;
        CommandBufferBaseRegister = CommandBufferBase.Create().WithBase(allocator.Allocate(ringBytes)).WithLength(RingLengthLog2);
        EventLogBaseRegister = EventLogBase.Create().WithBase(allocator.Allocate(ringBytes)).WithLength(RingLengthLog2);
        SemaphoreAddress = allocator.Allocate(PhysicalMemory.PageSize);
        ControlRegister = Control.Create().WithIommuEn(true).WithEventLogEn(true).WithEventIntEn(true).WithCmdBufEn(true).WithGtEn(true).WithPprEn(true);
        StatusRegister = Status.Create().WithCmdBufRun(true).WithEventLogRun(true);
        Efr = ExtendedFeatures.Create()
            .WithPreFSup(true)
            .WithPprSup(true)
            .WithNxSup(true)
            .WithGtSup(true)
            .WithIaSup(true)
            .WithHeSup(true)
            .WithHats(HostAddressTranslationSize.Level6)
            .WithGats(Options.FiveLevelGuestPaging ? 1UL : 0UL)
            .WithGlxSup(2)
            .WithPasMax(15)
            .WithGIoSup(true)
            .WithEphSup(true);
        Efr2 = ExtendedFeatures2.Create();
    }

    /// <summary>What this instance supports.</summary>
    public AmdIommuOptions Options { get; }

    /// <inheritdoc/>
    public override string Vendor => "amd-vi";

    /// <inheritdoc/>
    public override uint HwInfoType => AmdUapi.HwInfoTypeAmd;

    /// <summary>PASmax + 1 = 16 PASID bits (Linux requires at most 16).</summary>
    public override byte MaxPasidLog2 => (byte)(Efr.PasMax + 1);

    /// <summary>The Extended Feature Register (MMIO 0x0030).</summary>
    public ExtendedFeatures Efr { get; }

    /// <summary>The Extended Feature 2 Register (MMIO 0x01A0).</summary>
    public ExtendedFeatures2 Efr2 { get; }

    /// <summary>Device Table Base Address register: where the device table lives.</summary>
    public DeviceTableBase DeviceTableBaseRegister { get; }

    /// <summary>Command Buffer Base Address register.</summary>
    public CommandBufferBase CommandBufferBaseRegister { get; }

    /// <summary>Event Log Base Address register.</summary>
    public EventLogBase EventLogBaseRegister { get; }

    /// <summary>Control register.</summary>
    public Control ControlRegister { get; private set; }

    /// <summary>Status register (CmdBufRun clears when the hardware stops the command buffer on an illegal command).</summary>
    public Status StatusRegister { get; private set; }

    /// <summary>Host physical address of the driver's COMPLETION_WAIT semaphore (<c>iommu->cmd_sem</c>).</summary>
    public ulong SemaphoreAddress { get; }

    /// <summary>The vIOMMUs created on this instance.</summary>
    public IReadOnlyList<AmdViommuDriver> Viommus => _viommus;

    /// <summary>The DTE every DeviceID holds while nothing is attached: V=1, TV=1, Mode 0, IR=IW=0 (DMA is rejected).</summary>
    public static DeviceTableEntry BlockedDte => DeviceTableEntry.Create().WithV(true).WithTv(true);

    /// <summary>A page of device table holding <see cref="BlockedDte"/> in every entry (how a driver initialises its table).</summary>
    internal static byte[] BlockedDtePage()
    {
        var page = new byte[PhysicalMemory.PageSize];
        BlockedDte.WriteTo(page.AsSpan(0, DeviceTableEntry.SizeBytes));
        for (var at = DeviceTableEntry.SizeBytes; at < page.Length; at += DeviceTableEntry.SizeBytes)
        {
            page.AsSpan(0, DeviceTableEntry.SizeBytes).CopyTo(page.AsSpan(at));
        }

        return page;
    }

    /// <summary>Host physical address of the DTE of <paramref name="deviceId"/>.</summary>
    public ulong DteAddress(uint deviceId) => DeviceTableBaseRegister.Base + DeviceTableTable.Offset(deviceId);

    /// <summary>Reads the DTE of <paramref name="deviceId"/> from the device table in memory (not the DTE cache).</summary>
    public DeviceTableEntry ReadDte(uint deviceId)
    {
        Span<byte> b = stackalloc byte[DeviceTableEntry.SizeBytes];
        return Memory.TryRead(DteAddress(deviceId), b) ? DeviceTableEntry.Read(b) : DeviceTableEntry.Create();
    }

    /// <summary>Whether the DTE cache holds an entry for <paramref name="deviceId"/>.</summary>
    public bool IsDteCached(uint deviceId) => _dteCache.Contains(deviceId);

    /// <inheritdoc/>
    public override byte[] GetHwInfoData()
    {
        // struct iommu_hw_info_amd { __aligned_u64 efr; __aligned_u64 efr2; } (amd_iommufd_hw_info)
        var data = new byte[AmdUapi.HwInfoAmdSize];
        Efr.WriteTo(data.AsSpan(0, ExtendedFeatures.SizeBytes));
        Efr2.WriteTo(data.AsSpan(ExtendedFeatures.SizeBytes, ExtendedFeatures2.SizeBytes));
        return data;
    }

    /// <inheritdoc/>
    public override IPageTable CreatePageTable() => new AmdV1PageTable(Memory, Allocator, Options.HostLevels);

    /// <inheritdoc/>
    public override ulong AllocateDomainTag() =>
        TryAllocateDomainId() ?? throw new InvalidOperationException("AMD DomainID space exhausted");

    /// <inheritdoc/>
    public override void FreeDomainTag(ulong tag)
    {
        if (_domainIds.Remove(tag))
        {
            Iotlb.InvalidateTag(tag);
        }
    }

    /// <summary><c>amd_iommu_pdom_id_alloc</c>: a free 16-bit DomainID (1…0xFFFF), or null when none is left.</summary>
    public ulong? TryAllocateDomainId()
    {
        for (ulong n = 0; n < MaxDomainId; n++)
        {
            var id = ((_nextDomainId - 1 + n) % MaxDomainId) + 1;
            if (_domainIds.Add(id))
            {
                _nextDomainId = (id % MaxDomainId) + 1;
                return id;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public override IommufdResult<ViommuDriver> AllocViommu(uint viommuType, HwptPaging parent)
    {
        // amd_iommufd_get_viommu_size returns 0 for any other type: the core answers EOPNOTSUPP.
        if (viommuType != AmdUapi.ViommuTypeAmd || parent.PageTable is not AmdV1PageTable)
        {
            return Errno.EOPNOTSUPP;
        }

        var driver = new AmdViommuDriver(this, parent);
        _viommus.Add(driver); // list_add(&aviommu->pdom_list, &pdom->viommu_list)
        return IommufdResult<ViommuDriver>.Ok(driver);
    }

    /// <inheritdoc/>
    public override IommufdResult<NestedDomain> AllocNested(HwptPaging parent, Viommu? viommu, HwptAllocFlags flags, uint dataType, ReadOnlySpan<byte> data)
    {
        // AMD installs alloc_domain_nested only on the vIOMMU (amd_iommufd_viommu_init); a nest parent as pt_id has no
        // domain_alloc_nested op.
        if (viommu?.Driver is not AmdViommuDriver driver)
        {
            return Errno.EOPNOTSUPP;
        }

        if (dataType != AmdUapi.HwptDataAmdGuest)
        {
            return Errno.EOPNOTSUPP;
        }

        // iommu_copy_struct_from_user(&ndom->gdte, user_data, IOMMU_HWPT_DATA_AMD_GUEST, dte)
        if (data.Length != AmdUapi.HwptAmdGuestSize)
        {
            return Errno.EINVAL;
        }

        var gdte = GuestDeviceTableEntry.Read(data);
        var check = ValidateGuestDte(gdte);
        if (check != Errno.None)
        {
            return check;
        }

        var gDomId = gdte.DomainId;
        var hDomId = driver.AcquireDomain(gDomId);
        if (hDomId is null)
        {
            return Errno.ENOSPC;
        }

        var domain = new AmdNestedDomain(driver, gdte, gDomId, hDomId.Value);
        driver.Track(domain);
        return IommufdResult<NestedDomain>.Ok(domain);
    }

    /// <summary>
    /// <c>validate_gdte_nested</c>: the <c>EINVAL</c> rules of the generated <see cref="GuestDeviceTableEntry"/> (Mode and host root
    /// zero, GCR3 root non-zero with V and GV, guest paging mode 0/1, GLX ≠ 3), then EOPNOTSUPP for 5-level guest tables the
    /// host does not support. Other DTE bits (reserved bits, interrupt fields) are not checked by Linux and are ignored.
    /// </summary>
    public Errno ValidateGuestDte(GuestDeviceTableEntry gdte)
    {
        var violations = gdte.Validate();
        var rules = GuestDeviceTableEntry.Layout.Rules;
        for (var i = 0; i < rules.Length; i++)
        {
            if (violations.IsRuleViolated(i) && rules[i].Error == nameof(Errno.EINVAL))
            {
                return Errno.EINVAL;
            }
        }

        return gdte.GuestPagingMode == GuestPagingMode.FiveLevel && !Options.FiveLevelGuestPaging ? Errno.EOPNOTSUPP : Errno.None;
    }

    /// <inheritdoc/>
    public override IommufdResult Attach(Device device, uint? pasid, Hwpt hwpt)
    {
        if (device.PhysicalId >= DeviceTableEntries)
        {
            return Errno.EINVAL;
        }

        if (pasid is not null)
        {
            // PASID attachments need a v2 (GCR3) paging domain or SVA; nested domains have no set_dev_pasid op.
            return Errno.EOPNOTSUPP;
        }

        DeviceTableEntry dte;
        switch (hwpt)
        {
            case HwptPaging paging when paging.PageTable is AmdV1PageTable table:
                dte = V1Dte(device, table, paging.DomainTag);
                break;
            case HwptNested { Domain: AmdNestedDomain nested } n when n.Parent.PageTable is AmdV1PageTable parentTable:
                if (device.PasidAttachments.Count > 0)
                {
                    return Errno.EINVAL; // nested_attach_device: WARN_ON(dev_data->pasid_enabled)
                }

                dte = NestedDte(device, parentTable, nested);
                break;
            default:
                return Errno.EINVAL;
        }

        _devices[device.PhysicalId] = device;
        UpdateDte(device, dte);
        return IommufdResult.Ok;
    }

    /// <inheritdoc/>
    public override void Detach(Device device, uint? pasid)
    {
        if (pasid is null && device.PhysicalId < DeviceTableEntries)
        {
            UpdateDte(device, BlockedDte);
        }
    }

    /// <inheritdoc/>
    public override bool IsAtsEnabled(Device device) =>
        device.AtsCapable && device.PhysicalId < DeviceTableEntries && TryFetchDte(device.PhysicalId, out var dte) && dte.V && dte.IotlbEnable;

    /// <summary>
    /// The host changed stage 2 (<c>amd_iommu_domain_flush_pages</c> on a nest parent): INVALIDATE_IOMMU_PAGES (GN=0) for the
    /// parent's DomainID and for every host DomainID mapped in every vIOMMU on it (<c>iommu_flush_pages_v1_hdom_ids</c>),
    /// INVALIDATE_IOTLB_PAGES for every ATS device translating through it (the range for devices on the parent itself, the
    /// whole space for nested devices, whose ATC is keyed by guest addresses), then COMPLETION_WAIT.
    /// </summary>
    public override void FlushStage2(HwptPaging parent, ulong iova, ulong length)
    {
        if (length == 0)
        {
            return;
        }

        var last = iova + length - 1 < iova ? ulong.MaxValue : iova + length - 1;
        Span<byte> cmd = stackalloc byte[CommandSet.SizeBytes];
        InvalidateIommuPages.FromRange(iova, last, parent.DomainTag).WriteTo(cmd);
        Submit(cmd);
        foreach (var (device, _) in parent.Attached)
        {
            FlushDeviceIotlb(device, iova, last);
        }

        foreach (var viommu in _viommus)
        {
            if (!ReferenceEquals(viommu.Parent, parent))
            {
                continue;
            }

            foreach (var hDomId in viommu.HostDomainIds)
            {
                InvalidateIommuPages.FromRange(iova, last, hDomId).WriteTo(cmd);
                Submit(cmd);
            }

            foreach (var domain in viommu.NestedDomains)
            {
                if (domain.Owner is null)
                {
                    continue;
                }

                foreach (var (device, _) in domain.Owner.Attached)
                {
                    FlushDeviceIotlb(device, 0, ulong.MaxValue);
                }
            }
        }

        WaitForCompletion();
    }

    /// <summary>The driver's <c>iommu_completion_wait</c>: a COMPLETION_WAIT (S=1) storing the next semaphore value, then a check that the store happened.</summary>
    public bool WaitForCompletion()
    {
        var value = ++_semaphoreValue;
        Span<byte> cmd = stackalloc byte[CommandSet.SizeBytes];
        CompletionWait.Create().WithS(true).WithStoreAddress(SemaphoreAddress).WithStoreData(value).WriteTo(cmd);
        Submit(cmd);
        return Memory.TryReadUInt64(SemaphoreAddress, out var seen) && seen == value;
    }

    internal void Untrack(AmdViommuDriver driver) => _viommus.Remove(driver);

    internal bool TryGetDevice(uint deviceId, out Device device) => _devices.TryGetValue(deviceId, out device!);

    private DeviceTableEntry V1Dte(Device device, AmdV1PageTable table, ulong domainId) =>
        DeviceTableEntry.Create()
            .WithV(true)
            .WithTv(true)
            .WithMode(table.Mode)
            .WithHostPageTableRoot(table.Root)
            .WithIr(true)
            .WithIw(true)
            .WithDomainId(domainId)
            .WithIotlbEnable(device.AtsCapable); // amd_iommu_set_dte_v1

    private DeviceTableEntry NestedDte(Device device, AmdV1PageTable parentTable, AmdNestedDomain nested)
    {
        // set_dte_nested: the v1 part from the parent with the host DomainID, GV forced, and from the guest DTE only PPR,
        // GLX, GIoV, the GCR3 root pointer and the guest paging mode.
        var g = nested.GuestDte;
        return V1Dte(device, parentTable, nested.HostDomainId)
            .WithGv(true)
            .WithPpr(g.Ppr)
            .WithGlx(g.Glx)
            .WithGIov(g.GIov)
            .WithGcr3Root(g.Gcr3Root)
            .WithGuestPagingMode(g.GuestPagingMode);
    }

    private void UpdateDte(Device device, DeviceTableEntry dte)
    {
        // amd_iommu_update_dte: write the DTE, then device_flush_dte (INVALIDATE_DEVTAB_ENTRY, and the device IOTLB when
        // ATS is enabled) and wait for completion.
        Span<byte> b = stackalloc byte[DeviceTableEntry.SizeBytes];
        var wasAts = IsAtsEnabled(device);
        dte.WriteTo(b);
        Memory.TryWrite(DteAddress(device.PhysicalId), b);
        InvalidateDte.WithDeviceId(device.PhysicalId).WriteTo(b[..CommandSet.SizeBytes]);
        Submit(b[..CommandSet.SizeBytes]);
        if (wasAts || (device.AtsCapable && dte.IotlbEnable))
        {
            FlushDeviceIotlb(device, 0, ulong.MaxValue);
        }

        WaitForCompletion();
    }

    private void FlushDeviceIotlb(Device device, ulong iova, ulong last)
    {
        if (!device.AtsCapable || device.PhysicalId >= DeviceTableEntries)
        {
            return;
        }

        Span<byte> cmd = stackalloc byte[CommandSet.SizeBytes];
        InvalidateIotlbPages.FromRange(iova, last, device.PhysicalId, Options.AtsQueueDepth).WriteTo(cmd);
        Submit(cmd);
    }

    private static InvalidateDevtabEntry InvalidateDte => InvalidateDevtabEntry.Create();
}
