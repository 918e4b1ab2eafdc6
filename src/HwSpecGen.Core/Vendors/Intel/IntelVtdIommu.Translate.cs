using System;
using System.Runtime.CompilerServices;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>The hardware's request path: configuration walk, IOTLB, first-stage walk through the second stage.</summary>
public sealed partial class IntelVtdIommu
{
    /// <summary>
    /// Translates one request as the remapping hardware does: RTADDR → scalable-mode root entry (bus) → context entry
    /// (devfn) → PASID directory (PASID[19:6]) → PASID-table entry (PASID[5:0]; RID_PASID without PASID), all in host
    /// memory; then the IOTLB tagged (DID, PASID); on a miss the walk the entry's PGTT selects — for PGTT = nested the
    /// guest's x86-64 first-stage tables from FSPTPTR, every table pointer and the output a GPA translated through the
    /// second stage at SLPTPTR, permissions combined, A/D bits set in the guest's entries. Faults are logged with their
    /// scalable-mode reason (a stage-1 fault is also kept for the VMM to inject, or becomes a page request when the HWPT
    /// has a FAULT queue).
    /// </summary>
    public override TranslationResult Translate(Device device, uint? pasid, ulong iova, Access access)
    {
        // The hit path (PASID-cache hit, IOTLB hit, an untranslated request that is neither privileged nor an execute) is
        // kept apart from the walk so that it does not pay for the walk's frame (PASID entry and fault record locals).
        if ((access & (Access.Privileged | Access.Execute)) == 0)
        {
            ref readonly var cached = ref LookupPasidCache(device.PhysicalId, pasid);
            if (!Unsafe.IsNullRef(in cached))
            {
                if (Iotlb.TryLookup(cached.Did, cached.Pasid, iova, out var hit) && (hit.Permissions & access & Access.ReadWrite) == (access & Access.ReadWrite))
                {
                    return TranslationCache.ToResult(hit, iova, TranslationSource.Iotlb);
                }

                return TranslateCore(device, pasid, iova, access, probe: false, iotlbProbed: true);
            }
        }

        return TranslateCore(device, pasid, iova, access, probe: false, iotlbProbed: false);
    }

    /// <summary>
    /// A walk of the structures in memory as they are now, bypassing the IOTLB (nothing looked up, nothing cached) and
    /// logging no fault — for checking that what the tables say did not change.
    /// </summary>
    public TranslationResult WalkUncached(Device device, uint? pasid, ulong iova, Access access) => TranslateCore(device, pasid, iova, access, probe: true, iotlbProbed: false);

    /// <summary>The full path; <paramref name="iotlbProbed"/>: the hit path already missed in the IOTLB with the PASID-cache entry (do not count the miss twice).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private TranslationResult TranslateCore(Device device, uint? pasid, ulong iova, Access access, bool probe, bool iotlbProbed)
    {
        var trace = Trace;
        var rid = device.PhysicalId;
        PasidTableEntry pe;
        uint effectivePasid;
        bool fpd;
        WalkFault fault;
        ulong did;

        // the PASID cache (filled by a walk of the root / context / PASID entries) gives (DID, PASID) for the IOTLB probe;
        // the probe (WalkUncached) bypasses every cache
        ref readonly var cached = ref probe ? ref Unsafe.NullRef<PasidCacheEntry>() : ref LookupPasidCache(rid, pasid);
        if (!Unsafe.IsNullRef(in cached))
        {
            (effectivePasid, fpd, did) = (cached.Pasid, cached.Fpd, cached.Did);
            if ((access & (Access.Privileged | Access.Execute)) != 0 && !CheckRequestKind(cached.Entry, cached.Address, access, out fault))
            {
                return Fail(device, pasid, effectivePasid, iova, access, fault, fpd);
            }

            if (!iotlbProbed && (access & Access.Privileged) == 0 && Iotlb.TryLookup(did, effectivePasid, iova, out var hit) && (hit.Permissions & access & Access.ReadWrite) == (access & Access.ReadWrite))
            {
                return TranslationCache.ToResult(hit, iova, TranslationSource.Iotlb);
            }

            pe = cached.Entry;
        }
        else
        {
            if (!ResolvePasidEntry(rid, pasid, access, trace, useCaches: !probe, out pe, out effectivePasid, out fpd, out fault))
            {
                return probe ? Probe(fault, iova, pasid) : Fail(device, pasid, effectivePasid, iova, access, fault, fpd);
            }

            did = pe.Did;
            if (!probe && (access & Access.Privileged) == 0 && Iotlb.TryLookup(did, effectivePasid, iova, out var hit) && (hit.Permissions & access & Access.ReadWrite) == (access & Access.ReadWrite))
            {
                return TranslationCache.ToResult(hit, iova, TranslationSource.Iotlb);
            }
        }

        var cacheable = !probe && (access & Access.Privileged) == 0;

        bool ok;
        ulong hpa;
        int shift;
        Access perms;
        switch (pe.Pgtt)
        {
            case PasidGranularTranslationType.PassThrough:
                ok = true;
                (hpa, shift, perms, fault) = (iova, 12, Access.ReadWrite, default);
                break;
            case PasidGranularTranslationType.SecondStageOnly:
                ok = WalkSecondStageOnly(pe, iova, access, trace, out hpa, out shift, out perms, out fault);
                break;
            case PasidGranularTranslationType.Nested:
                ok = WalkFirstStage(pe, iova, access, nested: true, trace, out hpa, out shift, out perms, out fault);
                break;
            default:
                ok = WalkFirstStage(pe, iova, access, nested: false, trace, out hpa, out shift, out perms, out fault);
                break;
        }

        if (!ok)
        {
            return probe ? Probe(fault, iova, pasid) : Fail(device, pasid, effectivePasid, iova, access, fault, fpd);
        }

        if (cacheable)
        {
            Iotlb.Insert(did, effectivePasid, iova, new TlbEntry(hpa & ~((1UL << shift) - 1), shift, perms));
        }

        return TranslationResult.Success(hpa, shift, perms);
    }

    private static TranslationResult Probe(in WalkFault f, ulong iova, uint? pasid) =>
        TranslationResult.Failed(new TranslationFault(f.Stage, f.Kind, iova, pasid, f.Address, f.Level, f.Reason.ToString(), "probe"));

    private static ulong FirstStageIndex(int level, ulong iova) => level switch
    {
        5 => FirstStagePml5Table.Index(iova),
        4 => FirstStagePml4Table.Index(iova),
        3 => FirstStagePdpTable.Index(iova),
        2 => FirstStagePageDirectoryTable.Index(iova),
        _ => FirstStagePageTable.Index(iova),
    };

    private static void Step<T>(Action<WalkStep>? trace, TranslationStage stage, int level, ulong address, string format, T value)
        where T : struct
    {
        if (trace is not null)
        {
            trace(new WalkStep(stage, level, address, format, value.ToString() ?? string.Empty));
        }
    }

    private static WalkFault ConfigFault(FaultReason reason, ulong address, FaultKind kind = FaultKind.BadConfig) =>
        new(reason, TranslationStage.Config, kind, 0, address);

    /// <summary>
    /// The configuration walk of a PASID-cache miss: the context entry from the context cache or from memory (root →
    /// context, then cached when present and valid), the PASID directory and PASID-table entry from memory; a present,
    /// valid PASID-table entry is put in the PASID cache (not-present and invalid entries are not cached: CAP.CM = 0).
    /// Without <paramref name="useCaches"/> nothing is looked up or cached.
    /// </summary>
    private bool ResolvePasidEntry(uint rid, uint? pasid, Access access, Action<WalkStep>? trace, bool useCaches, out PasidTableEntry pe, out uint effectivePasid, out bool fpd, out WalkFault fault)
    {
        pe = default;
        effectivePasid = pasid ?? RidPasid;
        fpd = false;
        ScalableModeContextEntry ctx;
        ulong contextAddress;
        if (useCaches && _contextCache.TryGetValue(rid, out var cachedContext))
        {
            (ctx, contextAddress) = cachedContext;
        }
        else if (!ReadContextEntry(rid, trace, out ctx, out contextAddress, out fpd, out fault))
        {
            return false;
        }
        else if (useCaches)
        {
            _contextCache[rid] = (ctx, contextAddress);
        }

        fpd = ctx.Fpd;
        if (pasid is not null && !ctx.Paside)
        {
            fault = ConfigFault(FaultReason.SmPasideClear, contextAddress, FaultKind.Blocked);
            return false;
        }

        effectivePasid = pasid ?? (uint)ctx.RidPasid;
        if (PasidDirectoryTable.Index(effectivePasid) >= 1UL << (int)(ctx.Pdts + 7))
        {
            fault = ConfigFault(FaultReason.SmPasidAboveContextMax, contextAddress, FaultKind.Blocked);
            return false;
        }

        if (!ReadPasidEntry(ctx, effectivePasid, trace, ref fpd, out pe, out var entryAddress, out fault))
        {
            return false;
        }

        if (useCaches)
        {
            _pasidCache[PasidCacheKey(rid, pasid)] = new PasidCacheEntry(pe, entryAddress, effectivePasid, fpd);
        }

        return (access & (Access.Privileged | Access.Execute)) == 0 || CheckRequestKind(pe, entryAddress, access, out fault);
    }

    /// <summary>Root entry → scalable-mode context entry of <paramref name="rid"/> from memory, checked (present, reserved bits).</summary>
    private bool ReadContextEntry(uint rid, Action<WalkStep>? trace, out ScalableModeContextEntry ctx, out ulong contextAddress, out bool fpd, out WalkFault fault)
    {
        ctx = default;
        contextAddress = 0;
        fpd = false;
        var rootAddress = RootTableAddress.Rta + RootTable.Offset(rid);
        if (!IntelFormatIo.TryRead(Memory, rootAddress, out ScalableModeRootEntry root))
        {
            fault = ConfigFault(FaultReason.SmRootEntryAccessError, rootAddress, FaultKind.ExternalAbort);
            return false;
        }

        Step(trace, TranslationStage.Config, 0, rootAddress, "intel-vtd/ScalableModeRootEntry", root);
        var upper = (rid & 0x80) != 0;
        if (upper ? !root.Up : !root.Lp)
        {
            fault = ConfigFault(FaultReason.SmRootEntryNotPresent, rootAddress, FaultKind.Blocked);
            return false;
        }

        if (root.HasReservedBitsSet)
        {
            fault = ConfigFault(FaultReason.SmRootEntryReserved, rootAddress);
            return false;
        }

        contextAddress = (upper ? root.Uctp : root.Lctp) + ContextTable.Offset(rid);
        if (!IntelFormatIo.TryRead(Memory, contextAddress, out ctx))
        {
            fault = ConfigFault(FaultReason.SmContextEntryAccessError, contextAddress, FaultKind.ExternalAbort);
            return false;
        }

        Step(trace, TranslationStage.Config, 0, contextAddress, "intel-vtd/ScalableModeContextEntry", ctx);
        fpd = ctx.Fpd;
        if (!ctx.P)
        {
            fault = ConfigFault(FaultReason.SmContextEntryNotPresent, contextAddress, FaultKind.Blocked);
            return false;
        }

        if (ctx.HasReservedBitsSet)
        {
            fault = ConfigFault(FaultReason.SmContextEntryReserved, contextAddress);
            return false;
        }

        fault = default;
        return true;
    }

    /// <summary>PASID directory entry → PASID-table entry of <paramref name="effectivePasid"/> from memory, checked (present, reserved bits, what this unit supports).</summary>
    private bool ReadPasidEntry(in ScalableModeContextEntry ctx, uint effectivePasid, Action<WalkStep>? trace, ref bool fpd, out PasidTableEntry pe, out ulong entryAddress, out WalkFault fault)
    {
        pe = default;
        entryAddress = 0;
        var dirAddress = ctx.Pasiddirptr + PasidDirectoryTable.Offset(effectivePasid);
        if (!IntelFormatIo.TryRead(Memory, dirAddress, out PasidDirectoryEntry dir))
        {
            fault = ConfigFault(FaultReason.SmPasidDirectoryAccessError, dirAddress, FaultKind.ExternalAbort);
            return false;
        }

        Step(trace, TranslationStage.Config, 0, dirAddress, "intel-vtd/PasidDirectoryEntry", dir);
        fpd |= dir.Fpd;
        if (!dir.P)
        {
            fault = ConfigFault(FaultReason.SmPasidDirectoryEntryNotPresent, dirAddress, FaultKind.Blocked);
            return false;
        }

        if (dir.HasReservedBitsSet)
        {
            fault = ConfigFault(FaultReason.SmPasidDirectoryEntryReserved, dirAddress);
            return false;
        }

        entryAddress = dir.Smptblptr + PasidTable.Offset(effectivePasid);
        if (!IntelFormatIo.TryRead(Memory, entryAddress, out pe))
        {
            fault = ConfigFault(FaultReason.SmPasidTableAccessError, entryAddress, FaultKind.ExternalAbort);
            return false;
        }

        Step(trace, TranslationStage.Config, 0, entryAddress, "intel-vtd/PasidTableEntry", pe);
        fpd |= pe.Fpd;
        if (!pe.P)
        {
            fault = ConfigFault(FaultReason.SmPasidTableEntryNotPresent, entryAddress, FaultKind.Blocked);
            return false;
        }

        var v = pe.Validate();
        if (v.HasReservedBitsSet)
        {
            fault = ConfigFault(FaultReason.SmPasidTableEntryReserved, entryAddress);
            return false;
        }

        var usesSecondStage = pe.Pgtt is PasidGranularTranslationType.SecondStageOnly or PasidGranularTranslationType.Nested;
        if (!v.IsValid || (usesSecondStage && pe.Aw != SecondStageAddressWidth.FourLevel)
            || (pe.Pgtt is PasidGranularTranslationType.Nested or PasidGranularTranslationType.FirstStageOnly && pe.Flpm == FirstStagePagingMode.FiveLevel && !Cap.Fs5lp)
            || (pe.Pgtt == PasidGranularTranslationType.Nested && !Ecap.Nest))
        {
            fault = ConfigFault(FaultReason.SmPasidTableEntryInvalid, entryAddress);
            return false;
        }

        fault = default;
        return true;
    }

    /// <summary>The PASID-table entry's checks of the request itself: SRE for privileged requests, ERE for execute requests.</summary>
    private static bool CheckRequestKind(in PasidTableEntry pe, ulong entryAddress, Access access, out WalkFault fault)
    {
        if ((access & Access.Privileged) != 0 && !pe.Sre)
        {
            fault = ConfigFault(FaultReason.SmSreClear, entryAddress, FaultKind.Permission);
            return false;
        }

        if ((access & Access.Execute) != 0 && !pe.Ere)
        {
            fault = ConfigFault(FaultReason.SmEreClear, entryAddress, FaultKind.Permission);
            return false;
        }

        fault = default;
        return true;
    }

    private bool WalkSecondStageOnly(in PasidTableEntry pe, ulong iova, Access access, Action<WalkStep>? trace, out ulong hpa, out int shift, out Access perms, out WalkFault fault)
    {
        var s = VtdSecondStageTable.Lookup(Memory, pe.Slptptr, Options.SecondStage2MPages, Options.SecondStage1GPages, iova, trace);
        return FinishSecondStage(s, iova, access, 63, writable: true, dirty: true, out hpa, out shift, out perms, out fault);
    }

    private bool FinishSecondStage(in SecondStageLookup s, ulong gpa, Access access, int firstStageShift, bool writable, bool dirty, out ulong hpa, out int shift, out Access perms, out WalkFault fault)
    {
        (hpa, shift, perms) = (0, 0, Access.None);
        if (s.Status != SecondStageStatus.Mapped)
        {
            var (reason, kind) = s.Status switch
            {
                SecondStageStatus.BeyondWidth => (FaultReason.SmSecondStageAddressBeyondMax, FaultKind.AddressSize),
                SecondStageStatus.AccessError => (FaultReason.SmSecondStageEntryAccessError, FaultKind.ExternalAbort),
                SecondStageStatus.Reserved => (FaultReason.SmSecondStageEntryReserved, FaultKind.BadConfig),
                _ => (FaultReason.SmSecondStagePermission, FaultKind.NotPresent),
            };
            fault = new WalkFault(reason, TranslationStage.Stage2, kind, s.Level, gpa);
            return false;
        }

        if ((access & Access.Write) != 0 && (s.Permissions & Access.Write) == 0)
        {
            fault = new WalkFault(FaultReason.SmNoWrite, TranslationStage.Stage2, FaultKind.Permission, s.Level, gpa);
            return false;
        }

        if ((access & Access.Read) != 0 && (s.Permissions & Access.Read) == 0)
        {
            fault = new WalkFault(FaultReason.SmNoRead, TranslationStage.Stage2, FaultKind.Permission, s.Level, gpa);
            return false;
        }

        hpa = s.Hpa;
        shift = Math.Min(firstStageShift, s.PageShift);
        perms = (s.Permissions & Access.Read) | (writable && dirty ? s.Permissions & Access.Write : Access.None);
        fault = default;
        return true;
    }

    private bool WalkFirstStage(in PasidTableEntry pe, ulong iova, Access access, bool nested, Action<WalkStep>? trace, out ulong hpa, out int shift, out Access perms, out WalkFault fault)
    {
        (hpa, shift, perms) = (0, 0, Access.None);
        var levels = pe.Flpm == FirstStagePagingMode.FiveLevel ? 5 : 4;
        var width = levels == 5 ? 57 : 48;
        var top = iova >> (width - 1);
        if (top != 0 && top != ulong.MaxValue >> (width - 1))
        {
            fault = new WalkFault(FaultReason.SmFirstStageNonCanonical, TranslationStage.Stage1, FaultKind.AddressSize, levels, iova);
            return false;
        }

        var user = (access & Access.Privileged) == 0;
        var write = (access & Access.Write) != 0;
        var writable = true;
        var noExecute = false;
        var table = pe.Fsptptr;
        var pages2M = Options.SecondStage2MPages;
        var pages1G = Options.SecondStage1GPages;
        for (var level = levels; level >= 1; level--)
        {
            var entryGpa = table + (FirstStageIndex(level, iova) * 8);
            var entryHpa = entryGpa;
            var tableWritable = true;
            if (nested)
            {
                var s = VtdSecondStageTable.Lookup(Memory, pe.Slptptr, pages2M, pages1G, entryGpa, trace);
                if (s.Status != SecondStageStatus.Mapped || (s.Permissions & Access.Read) == 0)
                {
                    var reason = s.Status switch
                    {
                        SecondStageStatus.BeyondWidth => FaultReason.SmNestedFirstStageAddressBeyondMgaw,
                        SecondStageStatus.AccessError => FaultReason.SmSecondStageEntryAccessError,
                        SecondStageStatus.Reserved => FaultReason.SmSecondStageEntryReserved,
                        _ => level == levels ? FaultReason.SmNestedFirstStageRootReadPermission : FaultReason.SmNestedFirstStageReadPermission,
                    };
                    fault = new WalkFault(reason, TranslationStage.Stage2, s.Status == SecondStageStatus.Mapped ? FaultKind.Permission : FaultKind.NotPresent, level, entryGpa);
                    return false;
                }

                entryHpa = s.Hpa;
                tableWritable = (s.Permissions & Access.Write) != 0;
            }

            if (!Memory.TryReadUInt64(entryHpa, out var word))
            {
                var reason = level == levels ? FaultReason.SmFirstStageRootAccessError : FaultReason.SmFirstStageEntryAccessError;
                fault = new WalkFault(reason, nested ? TranslationStage.Stage2 : TranslationStage.Stage1, FaultKind.ExternalAbort, level, entryGpa);
                return false;
            }

            var dir = IntelFormatIo.FromWord<FirstStageDirectoryEntry>(word);
            if (!dir.P)
            {
                Step(trace, TranslationStage.Stage1, level, entryGpa, "intel-vtd/FirstStageDirectoryEntry", dir);
                fault = new WalkFault(FaultReason.SmFirstStageEntryNotPresent, TranslationStage.Stage1, FaultKind.NotPresent, level, iova);
                return false;
            }

            bool leaf;
            bool reserved;
            bool rw;
            bool us;
            bool xd;
            ulong frame = 0;
            var pageShift = 12;
            ulong updated;
            if (level == 1)
            {
                var pte = IntelFormatIo.FromWord<FirstStagePte>(word);
                Step(trace, TranslationStage.Stage1, level, entryGpa, "intel-vtd/FirstStagePte", pte);
                (leaf, reserved, rw, us, xd, frame) = (true, pte.HasReservedBitsSet, pte.Rw, pte.Us, pte.Xd, pte.Addr);
                var u = pte.WithA(true);
                u = pe.Eafe ? u.WithEa(true) : u;
                updated = (write ? u.WithD(true) : u).GetWord(0);
            }
            else if (dir.Ps && level == 2)
            {
                var pde = IntelFormatIo.FromWord<FirstStageLargePde>(word);
                Step(trace, TranslationStage.Stage1, level, entryGpa, "intel-vtd/FirstStageLargePde", pde);
                (leaf, reserved, rw, us, xd, frame, pageShift) = (true, pde.HasReservedBitsSet, pde.Rw, pde.Us, pde.Xd, pde.Addr, 21);
                var u = pde.WithA(true);
                u = pe.Eafe ? u.WithEa(true) : u;
                updated = (write ? u.WithD(true) : u).GetWord(0);
            }
            else if (dir.Ps && level == 3)
            {
                var pdpe = IntelFormatIo.FromWord<FirstStageLargePdpe>(word);
                Step(trace, TranslationStage.Stage1, level, entryGpa, "intel-vtd/FirstStageLargePdpe", pdpe);
                (leaf, reserved, rw, us, xd, frame, pageShift) = (true, pdpe.HasReservedBitsSet || !Cap.Fs1gp, pdpe.Rw, pdpe.Us, pdpe.Xd, pdpe.Addr, 30);
                var u = pdpe.WithA(true);
                u = pe.Eafe ? u.WithEa(true) : u;
                updated = (write ? u.WithD(true) : u).GetWord(0);
            }
            else
            {
                Step(trace, TranslationStage.Stage1, level, entryGpa, "intel-vtd/FirstStageDirectoryEntry", dir);

                // PS = 1 at PML4E / PML5E is reserved
                (leaf, reserved, rw, us, xd) = (false, dir.Ps, dir.Rw, dir.Us, dir.Xd);
                var u = dir.WithA(true);
                updated = (pe.Eafe ? u.WithEa(true) : u).GetWord(0);
            }

            if (reserved)
            {
                fault = new WalkFault(FaultReason.SmFirstStageEntryReserved, TranslationStage.Stage1, FaultKind.BadConfig, level, iova);
                return false;
            }

            if (user && !us)
            {
                fault = new WalkFault(FaultReason.SmFirstStageUserSupervisor, TranslationStage.Stage1, FaultKind.Permission, level, iova);
                return false;
            }

            writable &= rw;
            noExecute |= xd;
            if (leaf)
            {
                if (write && !writable && (user || pe.Wpe))
                {
                    fault = new WalkFault(FaultReason.SmNoWrite, TranslationStage.Stage1, FaultKind.Permission, level, iova);
                    return false;
                }

                if ((access & Access.Execute) != 0 && noExecute && pe.Nxe)
                {
                    fault = new WalkFault(FaultReason.SmNoExecute, TranslationStage.Stage1, FaultKind.Permission, level, iova);
                    return false;
                }
            }

            if (updated != word)
            {
                // accessed / dirty update of the guest's entry: a write through the second stage
                if (!tableWritable)
                {
                    fault = new WalkFault(FaultReason.SmNestedFirstStageWritePermission, TranslationStage.Stage2, FaultKind.Permission, level, entryGpa);
                    return false;
                }

                Memory.TryWriteUInt64(entryHpa, updated);
            }

            if (!leaf)
            {
                table = dir.Addr;
                continue;
            }

            var output = frame | (iova & ((1UL << pageShift) - 1));
            var effectiveWritable = user || pe.Wpe ? writable : true;
            var dirty = write || (level == 1 ? IntelFormatIo.FromWord<FirstStagePte>(word).D
                : level == 2 ? IntelFormatIo.FromWord<FirstStageLargePde>(word).D
                : IntelFormatIo.FromWord<FirstStageLargePdpe>(word).D);
            if (!nested)
            {
                (hpa, shift) = (output, pageShift);
                perms = Access.Read | (effectiveWritable && dirty ? Access.Write : Access.None);
                fault = default;
                return true;
            }

            var final = VtdSecondStageTable.Lookup(Memory, pe.Slptptr, pages2M, pages1G, output, trace);
            return FinishSecondStage(final, output, access, pageShift, effectiveWritable, dirty, out hpa, out shift, out perms, out fault);
        }

        fault = new WalkFault(FaultReason.SmFirstStageEntryNotPresent, TranslationStage.Stage1, FaultKind.NotPresent, 1, iova);
        return false;
    }
}
