using System;
using System.Runtime.CompilerServices;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>The hardware translating a DMA request: DTE, IOTLB, the v1 or nested walk, and fault events.</summary>
public sealed partial class AmdIommu
{
    /// <summary>
    /// Translates a request of <paramref name="device"/>: the DTE (by DeviceID, through the DTE cache), the IOTLB tagged
    /// (DomainID, PASID), then a walk — the v1 host table alone, or with GV the GCR3 table (indexed by PASID; PASID 0 for
    /// requests without PASID when GIoV is set) and the guest's v2 tables, every guest pointer a GPA translated through the
    /// v1 table of the DTE (the nest parent's stage 2), permissions ANDed over both stages. A successful walk is cached; a
    /// fault is written into the host event log with the generated encoders (IO_PAGE_FAULT, ILLEGAL_DEV_TABLE_ENTRY,
    /// DEV_TAB_HARDWARE_ERROR, PAGE_TAB_HARDWARE_ERROR, INVALID_DEVICE_REQUEST); a stage-1 (guest-owned) fault is also delivered
    /// to the VM: a vEVENTQ record of type <see cref="AmdUapi.VeventqTypeAmdEvent"/> carrying the guest DeviceID, and the
    /// HWPT's FAULT queue when it has one.
    /// </summary>
    public override TranslationResult Translate(Device device, uint? pasid, ulong iova, Access access)
    {
        // The hit path (a usable cached DTE, an IOTLB hit) is kept apart from the walk so that it does not pay for the
        // walk's frame (DTE copies, results and fault records the full path keeps as locals).
        var deviceId = device.PhysicalId;
        var probed = false;
        if (pasid is null || pasid.Value >> Math.Min(device.PasidBits, 20) == 0)
        {
            ref readonly var cached = ref _dteCache.Find(deviceId);
            if (!Unsafe.IsNullRef(in cached) && cached.V && cached.Valid && cached.Tv && (pasid is null || cached.Gv))
            {
                var space = cached.Gv && (pasid is not null || cached.GIov) ? pasid ?? 0UL : Device.NoPasid;
                var want = access & Access.ReadWrite;
                if (Iotlb.TryLookup(cached.DomainId, space, iova, out var hit) && (hit.Permissions & want) == want)
                {
                    return TranslationCache.ToResult(hit, iova, TranslationSource.Iotlb);
                }

                probed = true;
            }
        }

        return TranslateUncached(device, pasid, iova, access, probed);
    }

    /// <summary>The full path; <paramref name="iotlbProbed"/>: the hit path already missed in the IOTLB (do not count the miss twice).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private TranslationResult TranslateUncached(Device device, uint? pasid, ulong iova, Access access, bool iotlbProbed)
    {
        var deviceId = device.PhysicalId;
        if (deviceId >= DeviceTableEntries)
        {
            return TranslationResult.Failed(new TranslationFault(TranslationStage.Config, FaultKind.Blocked, iova, pasid, iova, 0, InvalidDeviceRequestCode, $"DeviceID 0x{deviceId:X} is outside the device table"));
        }

        if (pasid is { } requested && requested >> Math.Min(device.PasidBits, 20) != 0)
        {
            // A PASID wider than the device's PASID capability (or than the 20 bits the architecture has) is not a request the
            // IOMMU can name: INVALID_DEVICE_REQUEST, reported without a PASID.
            return Report(device, default, null, iova, access, new TranslationFault(TranslationStage.Config, FaultKind.Blocked, iova, pasid, iova, 0, InvalidDeviceRequestCode, $"PASID 0x{requested:X} is wider than the device's {device.PasidBits}-bit PASID capability"));
        }

        // the DTE cache holds the entry decoded and checked when it was fetched: a hit reads no memory and re-checks nothing
        ref readonly var cached = ref FetchDte(deviceId);
        if (Unsafe.IsNullRef(in cached))
        {
            return Report(device, default, pasid, iova, access, new TranslationFault(TranslationStage.Config, FaultKind.ExternalAbort, iova, pasid, DteAddress(deviceId), 0, DevTabHardwareErrorCode, $"DTE of 0x{deviceId:X} is not backed"));
        }

        if (!cached.V)
        {
            return TranslationResult.Success(iova, 12, Access.ReadWrite); // V=0: the request passes untranslated
        }

        if (!cached.Valid)
        {
            return Report(device, cached.Entry, pasid, iova, access, new TranslationFault(TranslationStage.Config, FaultKind.BadConfig, iova, pasid, iova, 0, IllegalDevTableEntryCode, $"DTE of 0x{deviceId:X} has reserved bits or an illegal combination"));
        }

        if (!cached.Tv)
        {
            return Report(device, cached.Entry, pasid, iova, access, new TranslationFault(TranslationStage.Config, FaultKind.Blocked, iova, pasid, iova, 0, IoPageFaultCode, "DTE TV=0: no translation information"));
        }

        if (pasid is not null && !cached.Gv)
        {
            return Report(device, cached.Entry, pasid, iova, access, new TranslationFault(TranslationStage.Config, FaultKind.Blocked, iova, pasid, iova, 0, InvalidDeviceRequestCode, $"request with PASID {pasid} but the DTE has no guest translation (GV=0)"));
        }

        var guest = cached.Gv && (pasid is not null || cached.GIov);
        var space = guest ? pasid ?? 0UL : Device.NoPasid;
        var tag = cached.DomainId;
        var want = access & Access.ReadWrite;
        if (!iotlbProbed && Iotlb.TryLookup(tag, space, iova, out var hit) && (hit.Permissions & want) == want)
        {
            return TranslationCache.ToResult(hit, iova, TranslationSource.Iotlb);
        }

        var dte = cached.Entry;
        var result = guest ? WalkNested(dte, pasid, iova, access) : WalkHost(dte, pasid, iova, access);
        if (!result.IsOk)
        {
            return Report(device, dte, pasid, iova, access, result.Fault!);
        }

        // A size-encoded v1 leaf (NextLevel 7) can map 4 MiB, 8 MiB…: the caches hold it as the largest 4 KiB/2 MiB/1 GiB page inside.
        var shift = result.PageShift >= 39 ? 39 : result.PageShift >= 30 ? 30 : result.PageShift >= 21 ? 21 : 12;
        if (shift != result.PageShift)
        {
            result = TranslationResult.Success(result.Hpa, shift, result.Permissions, result.Source);
        }

        Iotlb.Insert(tag, space, iova, new TlbEntry(result.Hpa & ~(result.PageSize - 1), result.PageShift, result.Permissions));
        return result;
    }

    /// <summary>Fetches the DTE of <paramref name="deviceId"/> as the hardware does: from the DTE cache, or from the device table in memory (then cached).</summary>
    internal bool TryFetchDte(uint deviceId, out DeviceTableEntry dte)
    {
        ref readonly var cached = ref FetchDte(deviceId);
        dte = Unsafe.IsNullRef(in cached) ? default : cached.Entry;
        return !Unsafe.IsNullRef(in cached);
    }

    /// <summary>
    /// The DTE-cache entry of <paramref name="deviceId"/>: on a miss the DTE is read from the device table, decoded and
    /// checked once (<see cref="DeviceTableEntry.Validate"/>) and cached with the result until INVALIDATE_DEVTAB_ENTRY or
    /// INVALIDATE_IOMMU_ALL removes it; a null reference when the table entry is not backed (nothing cached).
    /// </summary>
    private ref readonly CachedDte FetchDte(uint deviceId)
    {
        ref var cached = ref _dteCache.Find(deviceId);
        if (!Unsafe.IsNullRef(ref cached))
        {
            return ref cached;
        }

        Span<byte> b = stackalloc byte[DeviceTableEntry.SizeBytes];
        var address = DteAddress(deviceId);
        if (!Memory.TryRead(address, b))
        {
            return ref Unsafe.NullRef<CachedDte>();
        }

        var dte = DeviceTableEntry.Read(b);
        Trace?.Invoke(new WalkStep(TranslationStage.Config, 0, address, "amd-vi/DeviceTableEntry", dte.ToString()));
        return ref _dteCache.Set(deviceId, new CachedDte(dte));
    }

    private static Access Permissions(bool ir, bool iw) => (ir ? Access.Read : Access.None) | (iw ? Access.Write : Access.None);

    private TranslationResult WalkHost(DeviceTableEntry dte, uint? pasid, ulong iova, Access access)
    {
        var dtePerms = Permissions(dte.Ir, dte.Iw);
        if (dte.Mode == DteMode.None)
        {
            // Mode 0: no host translation, the DTE's IR/IW decide (a cleared DTE blocks everything).
            var want = access & Access.ReadWrite;
            return (dtePerms & want) == want
                ? TranslationResult.Success(iova, 12, dtePerms)
                : TranslationResult.Failed(new TranslationFault(TranslationStage.Config, FaultKind.Blocked, iova, pasid, iova, 0, IoPageFaultCode, "DTE Mode 0 with IR/IW denying the access (blocked)"));
        }

        return AmdV1PageTable.Walk(Memory, dte.HostPageTableRoot, (int)(ulong)dte.Mode, dtePerms, iova, access, iova, pasid, Trace);
    }

    private TranslationResult Stage2(DeviceTableEntry dte, ulong gpa, Access access, ulong iova, uint? pasid)
    {
        if (dte.Mode == DteMode.None)
        {
            return TranslationResult.Success(gpa, 12, Permissions(dte.Ir, dte.Iw));
        }

        return AmdV1PageTable.Walk(Memory, dte.HostPageTableRoot, (int)(ulong)dte.Mode, Permissions(dte.Ir, dte.Iw), gpa, access, iova, pasid, Trace);
    }

    private TranslationResult WalkNested(DeviceTableEntry dte, uint? pasid, ulong iova, Access access)
    {
        var levels = AmdTableGeometry.GuestLevels(dte.GuestPagingMode);
        var bits = AmdTableGeometry.GuestInputBits(levels);
        if ((iova >> bits) != 0)
        {
            return Stage1Fault(FaultKind.AddressSize, iova, pasid, iova, levels, $"0x{iova:X} is beyond the {bits}-bit guest address space");
        }

        var index = pasid ?? 0u;
        Span<byte> b = stackalloc byte[8];

        // GCR3 table: GLX + 1 levels, indexed by PASID, each table pointer a GPA.
        var tableGpa = dte.Gcr3Root;
        for (var level = (int)dte.Glx; level >= 0; level--)
        {
            var entryGpa = tableGpa + AmdTableGeometry.Gcr3Offset(level, index);
            var s2 = Stage2(dte, entryGpa, Access.Read, iova, pasid);
            if (!s2.IsOk)
            {
                return s2;
            }

            if (!Memory.TryRead(s2.Hpa, b))
            {
                return HardwareError(iova, pasid, s2.Hpa, "GCR3 entry");
            }

            var gcr3 = Gcr3Entry.Read(b);
            Trace?.Invoke(new WalkStep(TranslationStage.Config, level, s2.Hpa, "amd-vi/Gcr3Entry", gcr3.ToString()));
            if (!gcr3.Valid)
            {
                return Stage1Fault(FaultKind.NotPresent, iova, pasid, entryGpa, 0, $"GCR3 entry for PASID {index} (level {level}) is not valid");
            }

            tableGpa = gcr3.Address;
        }

        // Guest v2 (x86-64) tables from the guest CR3.
        var perms = Access.ReadWrite;
        var user = (access & Access.Privileged) == 0;
        var noExecute = false;
        for (var level = levels; level >= 1; level--)
        {
            var entryGpa = tableGpa + AmdTableGeometry.GuestOffset(level, iova);
            var s2 = Stage2(dte, entryGpa, Access.Read, iova, pasid);
            if (!s2.IsOk)
            {
                return s2;
            }

            if (!Memory.TryRead(s2.Hpa, b))
            {
                return HardwareError(iova, pasid, s2.Hpa, "guest page-table entry");
            }

            var pte = GuestPageTableEntry.Read(b);
            Trace?.Invoke(new WalkStep(TranslationStage.Stage1, level, s2.Hpa, "amd-vi/GuestPageTableEntry", pte.ToString()));
            if (!pte.P)
            {
                return Stage1Fault(FaultKind.NotPresent, iova, pasid, iova, level, $"guest level-{level} entry for 0x{iova:X} is not present");
            }

            if (!pte.Rw)
            {
                perms &= ~Access.Write;
            }

            if (user && !pte.Us)
            {
                perms = Access.None;
            }

            noExecute |= pte.Xd;
            var leaf = level == 1 || (pte.Ps && level is 2 or 3);
            if (pte.Ps && level > 3)
            {
                return Stage1Fault(FaultKind.BadConfig, iova, pasid, iova, level, $"PS set in a level-{level} guest entry (reserved)");
            }

            if (!leaf)
            {
                tableGpa = pte.Address;
                continue;
            }

            var shift = AmdTableGeometry.GuestLevelShift(level);
            var size = 1UL << shift;
            var want = access & Access.ReadWrite;
            if ((perms & want) != want || ((access & Access.Execute) != 0 && noExecute))
            {
                return Stage1Fault(FaultKind.Permission, iova, pasid, iova, level, $"guest tables allow {perms} at 0x{iova:X}, the request wants {access}");
            }

            var gpa = (pte.Address & ~(size - 1)) | (iova & (size - 1));
            var final = Stage2(dte, gpa, access, iova, pasid);
            if (!final.IsOk)
            {
                return final;
            }

            return TranslationResult.Success(final.Hpa, Math.Min(shift, final.PageShift), perms & final.Permissions);
        }

        return Stage1Fault(FaultKind.NotPresent, iova, pasid, iova, 1, "guest walk ended without a leaf");
    }

    private static TranslationResult Stage1Fault(FaultKind kind, ulong iova, uint? pasid, ulong address, int level, string detail) =>
        TranslationResult.Failed(new TranslationFault(TranslationStage.Stage1, kind, iova, pasid, address, level, IoPageFaultCode, detail));

    private static TranslationResult HardwareError(ulong iova, uint? pasid, ulong hpa, string what) =>
        TranslationResult.Failed(new TranslationFault(TranslationStage.Config, FaultKind.ExternalAbort, iova, pasid, hpa, 0, PageTabHardwareErrorCode, $"{what} at HPA 0x{hpa:X} is not backed"));

    private TranslationResult Report(Device device, DeviceTableEntry dte, uint? pasid, ulong iova, Access access, TranslationFault fault)
    {
        Span<byte> evt = stackalloc byte[16];
        var deviceId = (ulong)device.PhysicalId;
        var write = (access & Access.Write) != 0;
        switch (fault.Code)
        {
            case IoPageFaultCode:
                if (dte.Sa)
                {
                    break; // SA: I/O page faults of this device are not logged
                }

                IoPageFaultEvent.Create()
                    .WithDeviceId(deviceId)
                    .WithDomainOrPasid(pasid ?? dte.DomainId)
                    .WithFlags(FaultFlags(pasid is not null, fault, write))
                    .WithAddress(fault.Stage == TranslationStage.Stage2 ? fault.FaultAddress : iova)
                    .WriteTo(evt);
                LogHostEvent(evt);
                break;
            case IllegalDevTableEntryCode:
                IllegalDevTableEntryEvent.Create().WithDeviceId(deviceId).WithPasid(pasid ?? 0).WithAddress(iova).WriteTo(evt);
                LogHostEvent(evt);
                break;
            case DevTabHardwareErrorCode:
                DevTabHardwareErrorEvent.Create().WithDeviceId(deviceId).WithAddress(fault.FaultAddress).WriteTo(evt);
                LogHostEvent(evt);
                break;
            case PageTabHardwareErrorCode:
                PageTabHardwareErrorEvent.Create().WithDeviceId(deviceId).WithDomainOrPasid(pasid ?? dte.DomainId).WithAddress(fault.FaultAddress).WriteTo(evt);
                LogHostEvent(evt);
                break;
            case InvalidDeviceRequestCode:
                InvalidDeviceRequestEvent.Create().WithDeviceId(deviceId).WithPasid(pasid ?? 0).WithAddress(iova).WriteTo(evt);
                LogHostEvent(evt);
                break;
        }

        if (fault.Stage == TranslationStage.Stage1)
        {
            DeliverToGuest(device, pasid, iova, access, fault);
        }

        return TranslationResult.Failed(fault);
    }

    private static ulong FaultFlags(bool gn, TranslationFault fault, bool write) =>
        IoPageFaultFlags.Create()
            .WithGn(gn)
            .WithPr(fault.Kind == FaultKind.Permission)
            .WithRw(write)
            .GetWord(0);

    private void DeliverToGuest(Device device, uint? pasid, ulong iova, Access access, TranslationFault fault)
    {
        if (device.Attached is not HwptNested { Viommu: { } viommu, Domain: AmdNestedDomain nested } hwpt)
        {
            return;
        }

        // The vEVENTQ record names the device by its guest DeviceID and the domain by its guest DomainID, as the VM sees them.
        if (device.Vdevice is { VirtId: <= 0xFFFF } vdev && ReferenceEquals(vdev.Viommu, viommu) && viommu.Veventqs.TryGetValue(AmdUapi.VeventqTypeAmdEvent, out var queue))
        {
            var record = IoPageFaultEvent.Create()
                .WithDeviceId(vdev.VirtId)
                .WithDomainOrPasid(pasid ?? nested.GuestDomainId)
                .WithFlags(FaultFlags(pasid is not null, fault, (access & Access.Write) != 0))
                .WithAddress(iova);
            queue.Report(record.ToBytes());
        }

        hwpt.FaultQueue?.Report(device.Id, pasid, 0, iova, access);
    }

    /// <summary>A DTE-cache entry: the DTE as fetched, and what the translation path needs of it, decoded and checked once.</summary>
    private readonly struct CachedDte(in DeviceTableEntry dte)
    {
        public DeviceTableEntry Entry { get; } = dte;

        public bool V { get; } = dte.V;

        public bool Valid { get; } = dte.V && dte.IsValid;

        public bool Tv { get; } = dte.Tv;

        public bool Gv { get; } = dte.Gv;

        public bool GIov { get; } = dte.GIov;

        public ulong DomainId { get; } = dte.DomainId;
    }
}
