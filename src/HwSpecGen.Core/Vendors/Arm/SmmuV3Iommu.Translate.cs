using System;
using System.Runtime.CompilerServices;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Translation;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>The SMMU translating a transaction: STE → CD → stage-1 tables, every stage-1 pointer an IPA through stage 2.</summary>
public sealed partial class SmmuV3Iommu
{
    /// <summary>
    /// Translates a transaction of <paramref name="device"/> (StreamID = its physical ID, SubstreamID = <paramref name="pasid"/>):
    /// the STE (configuration cache or stream table), then for stage 1 the CD (cache, or fetched through stage 2 from the
    /// guest's CD table, linear or 2-level per S1Fmt), the IOTLB by (VMID, ASID), and on a miss the stage-1 walk from
    /// CD.TTB0 with every table address translated through the STE's stage 2, the output IPA through stage 2, the
    /// permissions of both stages combined and the result cached. A failure records the architected event in the host
    /// Event queue (stage-1 faults only with CD.R, stage-2 faults only with STE.S2R) and the driver handles it.
    /// </summary>
    public override TranslationResult Translate(Device device, uint? pasid, ulong iova, Access access)
    {
        // The hit path (configuration-cache hit, IOTLB hit) is kept apart from the walk so that it does not pay for the
        // walk's frame: the fetched STE/CD copies and fault records the full path keeps as locals.
        var probed = false;
        if (Options.ConfigCache && _steCache.Find(device.PhysicalId) is { } entry)
        {
            if (TryTranslateCached(entry, pasid, iova, access, out var result, out probed))
            {
                return result;
            }
        }

        return TranslateUncached(device, pasid, iova, access, probed);
    }

    /// <summary>
    /// The hit path: the STE and CD from the configuration cache and a hit in the IOTLB. False when anything else is
    /// needed — a fault, a CD to fetch, a walk — with <paramref name="iotlbProbed"/> set when the IOTLB was probed (and
    /// missed), so that the full path does not count the miss twice.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryTranslateCached(SteCacheEntry entry, uint? pasid, ulong iova, Access access, out TranslationResult result, out bool iotlbProbed)
    {
        result = default;
        iotlbProbed = false;
        ref readonly var config = ref entry.Ste;
        var cfg = config.Config;
        if (cfg is not (SteConfig.S1Trans or SteConfig.Nested))
        {
            if (cfg != SteConfig.S2Trans)
            {
                return false;
            }
        }

        var space = S2OnlySpace;
        if (cfg != SteConfig.S2Trans)
        {
            ulong cdIndex;
            if (pasid is { } ssid)
            {
                if (config.S1CdMax == 0 || ssid >> (int)config.S1CdMax != 0 || (ssid == 0 && config.S1Dss == S1DefaultSubstream.Ssid0))
                {
                    return false;
                }

                cdIndex = ssid;
            }
            else if (config.S1CdMax == 0 || config.S1Dss == S1DefaultSubstream.Ssid0)
            {
                cdIndex = 0;
            }
            else
            {
                return false;
            }

            ref readonly var cd = ref entry.FindCd(cdIndex);
            if (Unsafe.IsNullRef(in cd))
            {
                return false;
            }

            space = cd.Asid;
        }

        var want = access & (Access.ReadWrite | Access.Execute);
        var privileged = (access & Access.Privileged) != 0;
        if (Iotlb.TryLookup(config.Vmid, space, iova, out var hit)
            && (hit.Permissions & want) == want
            && ((hit.Permissions & Access.Privileged) != 0) == privileged)
        {
            result = TranslationCache.ToResult(hit with { Permissions = hit.Permissions & ~Access.Privileged }, iova, TranslationSource.Iotlb);
            return true;
        }

        iotlbProbed = true;
        return false;
    }

    /// <summary>The full path: configuration fetches and checks, the IOTLB (unless <paramref name="iotlbProbed"/>), the walk, faults.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private TranslationResult TranslateUncached(Device device, uint? pasid, ulong iova, Access access, bool iotlbProbed)
    {
        var sid = device.PhysicalId;

        // the configuration cache holds an STE decoded and checked when it was fetched (and a CD with its ASID): a hit goes
        // from (StreamID, SubstreamID) to (VMID, ASID) and the IOTLB probe without reading or re-checking anything
        var cacheEntry = Options.ConfigCache ? _steCache.Find(sid) : null;
        scoped ref readonly var config = ref cacheEntry is null ? ref Unsafe.NullRef<CachedSte>() : ref cacheEntry.Ste;
        var fetched = default(CachedSte);
        if (cacheEntry is null)
        {
            if (!TryFetchSte(sid, out fetched, out cacheEntry, out var steError, out var steAddress))
            {
                if (steError is null)
                {
                    return Report(new SmmuV3Fault("C_BAD_STE", TranslationStage.Config, FaultKind.BadConfig, sid, pasid, iova, access, false, FaultClass.Cd, 0, 0, 0, fetched.Entry.V ? "ILLEGAL STE" : "STE.V = 0"), true);
                }

                return Report(new SmmuV3Fault(steError, TranslationStage.Config, steError == "F_STE_FETCH" ? FaultKind.ExternalAbort : FaultKind.BadConfig, sid, pasid, iova, access, false, FaultClass.Cd, 0, steError == "F_STE_FETCH" ? steAddress : 0, 0, $"no STE for StreamID 0x{sid:X}"), true);
            }

            config = ref fetched;
        }

        bool s1, s2;
        switch (config.Config)
        {
            case SteConfig.Bypass:
                return TranslationResult.Success(iova, 12, Access.ReadWrite | Access.Execute);
            case SteConfig.S1Trans:
                (s1, s2) = (true, false);
                break;
            case SteConfig.S2Trans:
                (s1, s2) = (false, true);
                break;
            case SteConfig.Nested:
                (s1, s2) = (true, true);
                break;
            default:
                // Config = abort (and its reserved encodings): the transaction is terminated, no event is recorded.
                return TranslationResult.Failed(new TranslationFault(TranslationStage.Config, FaultKind.Blocked, iova, pasid, iova, 0, "ABORT", "STE.Config = abort"));
        }

        var vmid = config.Vmid;
        var useS1 = s1;
        ulong cdIndex = 0;
        if (s1)
        {
            if (pasid is null)
            {
                if (config.S1CdMax != 0)
                {
                    switch (config.S1Dss)
                    {
                        case S1DefaultSubstream.Bypass:
                            useS1 = false;
                            break;
                        case S1DefaultSubstream.Ssid0:
                            break;
                        default:
                            return Report(new SmmuV3Fault("F_STREAM_DISABLED", TranslationStage.Config, FaultKind.Blocked, sid, null, iova, access, false, FaultClass.Cd, 0, 0, 0, "no SubstreamID and STE.S1DSS = terminate"), true);
                    }
                }
            }
            else if (config.S1CdMax == 0 || pasid.Value >> (int)config.S1CdMax != 0 || (pasid.Value == 0 && config.S1Dss == S1DefaultSubstream.Ssid0))
            {
                return Report(new SmmuV3Fault("C_BAD_SUBSTREAMID", TranslationStage.Config, FaultKind.BadConfig, sid, pasid, iova, access, false, FaultClass.Cd, 0, 0, 0, $"SubstreamID 0x{pasid:X} outside S1CDMax {config.S1CdMax}"), true);
            }
            else
            {
                cdIndex = pasid.Value;
            }
        }

        if (!useS1 && !s2)
        {
            return TranslationResult.Success(iova, 12, Access.ReadWrite | Access.Execute);
        }

        var space = S2OnlySpace;
        scoped ref readonly var cachedCd = ref Unsafe.NullRef<CachedCd>();
        var fetchedCd = default(CachedCd);
        if (useS1)
        {
            cachedCd = ref cacheEntry is null ? ref Unsafe.NullRef<CachedCd>() : ref cacheEntry.FindCd(cdIndex);
            if (Unsafe.IsNullRef(in cachedCd))
            {
                var ste = config.Entry;
                var s2cFetch = config.S2;
                if (!TryFetchCd(sid, pasid, ste, s2, s2cFetch, cacheEntry, cdIndex, iova, access, out fetchedCd, out var cdFault))
                {
                    return Report(cdFault, RecordS2OrConfig(cdFault, s2cFetch));
                }

                cachedCd = ref fetchedCd;
            }

            space = cachedCd.Asid;
        }

        var want = access & (Access.ReadWrite | Access.Execute);
        var privileged = (access & Access.Privileged) != 0;
        if (!iotlbProbed
            && Iotlb.TryLookup(vmid, space, iova, out var hit)
            && (hit.Permissions & want) == want
            && ((hit.Permissions & Access.Privileged) != 0) == privileged)
        {
            return TranslationCache.ToResult(hit with { Permissions = hit.Permissions & ~Access.Privileged }, iova, TranslationSource.Iotlb);
        }

        var s2c = config.S2;
        var cd = useS1 ? cachedCd.Entry : default;
        var ipa = iova;
        var shift = 39;
        var perms = Access.ReadWrite | Access.Execute;
        if (useS1)
        {
            if (!WalkStage1(sid, pasid, cd, s2, s2c, iova, access, out ipa, out shift, out perms, out var f1))
            {
                return Report(f1, f1.S2 ? s2c.Record : (cd.R || f1.Code == "F_WALK_EABT"));
            }
        }

        var pa = ipa;
        if (s2)
        {
            var r2 = SmmuV3Stage2Table.WalkFrom(Memory, s2c.Root, s2c.StartLevel, s2c.InputBits, s2c.OutputBits, ipa, access, Trace, out var fetch2);
            if (!r2.IsOk)
            {
                return Report(Stage2Fault(r2.Fault!, sid, pasid, iova, access, FaultClass.In, fetch2), s2c.Record);
            }

            pa = r2.Hpa;
            shift = Math.Min(shift, r2.PageShift);
            perms &= r2.Permissions;
        }

        shift = Math.Min(shift, 30);
        var pageMask = (1UL << shift) - 1;
        Iotlb.Insert(vmid, space, iova, new TlbEntry(pa & ~pageMask, shift, perms | (privileged ? Access.Privileged : Access.None)));
        return TranslationResult.Success(pa, shift, perms);
    }

    /// <summary>The bits of a VMSAv8 PS/IPS encoding, capped at the SMMU's OAS.</summary>
    internal int OutputBitsOf(AddressSize size)
    {
        var bits = size switch
        {
            AddressSize.Bits32 => 32,
            AddressSize.Bits36 => 36,
            AddressSize.Bits40 => 40,
            AddressSize.Bits42 => 42,
            AddressSize.Bits44 => 44,
            AddressSize.Bits48 => 48,
            AddressSize.Bits52 => 52,
            _ => 56,
        };
        return Math.Min(bits, 48);
    }

    private static bool RecordS2OrConfig(in SmmuV3Fault f, in Stage2Context s2c) => !f.S2 || s2c.Record;

    private static SmmuV3Fault Stage2Fault(TranslationFault f, uint sid, uint? ssid, ulong iova, Access access, FaultClass cls, ulong fetch) =>
        new(f.Code, TranslationStage.Stage2, f.Kind, sid, ssid, iova, access, true, cls, f.FaultAddress, fetch, f.Level, f.Detail);

    /// <summary>The STE checks the SMMU applies beyond V (Arm IHI 0070 §5.2 ILLEGAL conditions): the generated rules and reserved bits, and what this SMMU's ID registers do not support.</summary>
    private bool SteIsLegal(in Ste ste)
    {
        if (!ste.IsValid)
        {
            return false;
        }

        if (ste.Config is SteConfig.S2Trans or SteConfig.Nested)
        {
            return ste.S2Aa64 && ste.S2Tg == TranslationGranule.Granule4K && !ste.S2Endi && !ste.S2S && ste.S2Sl0 <= 2 && ste.S2T0sz >= 16;
        }

        return true;
    }

    /// <summary>
    /// Fetches the STE of <paramref name="sid"/> from the stream table and decodes it; false with <paramref name="error"/>
    /// set when there is none (F_STE_FETCH / C_BAD_STREAMID), false with <paramref name="error"/> null when it is not
    /// valid or ILLEGAL (C_BAD_STE). A valid, legal STE is put in the configuration cache (when there is one) until
    /// CFGI_STE / CFGI_STE_RANGE / CFGI_ALL removes it.
    /// </summary>
    private bool TryFetchSte(uint sid, out CachedSte config, out SteCacheEntry? cached, out string? error, out ulong address)
    {
        config = default;
        cached = null;
        if (!StreamTable.TryRead(sid, out var ste, out error, out address))
        {
            return false;
        }

        Trace?.Invoke(new WalkStep(TranslationStage.Config, 0, address, "arm-smmuv3/Ste", ste.ToString()));
        config = new CachedSte(ste);
        if (!ste.V || !SteIsLegal(ste))
        {
            return false;
        }

        if (Options.ConfigCache)
        {
            cached = new SteCacheEntry(config);
            _steCache.Set(sid, cached);
        }

        return true;
    }

    /// <summary>Fetches the CD of <paramref name="index"/> (through stage 2 when <paramref name="s2"/>) and checks it; a legal CD is put in the configuration cache (when there is one) until CFGI_CD / CFGI_CD_ALL / CFGI_STE* / CFGI_ALL removes it.</summary>
    private bool TryFetchCd(uint sid, uint? ssid, in Ste ste, bool s2, in Stage2Context s2c, SteCacheEntry? steEntry, ulong index, ulong iova, Access access, out CachedCd cached, out SmmuV3Fault fault)
    {
        fault = default;
        cached = default;
        Cd cd;
        var ctx = ste.S1ContextPtr;
        ulong cdAddress;
        if (ste.S1CdMax == 0 || ste.S1Fmt is not (S1Format.TwoLevel4K or S1Format.TwoLevel64K))
        {
            cdAddress = ctx + CdTableLinearTable.Offset(index);
        }
        else
        {
            var fourK = ste.S1Fmt == S1Format.TwoLevel4K;
            var l1Address = ctx + (fourK ? CdTable4KLevel1Table.Offset(index) : CdTable64KLevel1Table.Offset(index));
            Span<byte> l1Bytes = stackalloc byte[L1Cd.SizeBytes];
            if (!FetchConfig(l1Address, l1Bytes, sid, ssid, iova, access, s2, s2c, out fault))
            {
                return false;
            }

            var l1 = L1Cd.Read(l1Bytes);
            Trace?.Invoke(new WalkStep(TranslationStage.Config, 1, l1Address, "arm-smmuv3/L1Cd", l1.ToString()));
            if (!l1.IsValid)
            {
                fault = new SmmuV3Fault("C_BAD_SUBSTREAMID", TranslationStage.Config, FaultKind.BadConfig, sid, ssid, iova, access, false, FaultClass.Cd, 0, 0, 0, "L1CD.V = 0");
                return false;
            }

            cdAddress = l1.L2Ptr + (fourK ? CdTable4KLevel2Table.Offset(index) : CdTable64KLevel2Table.Offset(index));
        }

        Span<byte> cdBytes = stackalloc byte[Cd.SizeBytes];
        if (!FetchConfig(cdAddress, cdBytes, sid, ssid, iova, access, s2, s2c, out fault))
        {
            return false;
        }

        cd = Cd.Read(cdBytes);
        Trace?.Invoke(new WalkStep(TranslationStage.Config, 2, cdAddress, "arm-smmuv3/Cd", cd.ToString()));

        // CD ILLEGAL (Arm IHI 0070 §5.4.2): the generated rules, plus what this SMMU's ID registers exclude: AArch32 tables,
        // granules other than 4 KiB (IDR5), big-endian walks (IDR0.TTENDIAN), stall (IDR0.STALL_MODEL), VA wider than 48
        // bits (IDR5.VAX) or T0SZ above 39 (no IDR3.STT).
        if (!cd.IsValid || !cd.Aa64 || cd.Tg0 != TranslationGranule.Granule4K || cd.Endi || cd.S || cd.T0sz < 16 || cd.T0sz > 39)
        {
            fault = new SmmuV3Fault("C_BAD_CD", TranslationStage.Config, FaultKind.BadConfig, sid, ssid, iova, access, false, FaultClass.Cd, 0, 0, 0, cd.V ? "ILLEGAL CD" : "CD.V = 0");
            return false;
        }

        cached = new CachedCd(cd);
        steEntry?.SetCd(index, cached);

        return true;
    }

    /// <summary>Fetches a configuration structure at <paramref name="address"/> (an IPA when stage 2 translates): stage-2 faults are CLASS = CD with S2 = 1, an unreadable PA is F_CD_FETCH.</summary>
    private bool FetchConfig(ulong address, Span<byte> destination, uint sid, uint? ssid, ulong iova, Access access, bool s2, in Stage2Context s2c, out SmmuV3Fault fault)
    {
        fault = default;
        var pa = address;
        if (s2)
        {
            var r = SmmuV3Stage2Table.WalkFrom(Memory, s2c.Root, s2c.StartLevel, s2c.InputBits, s2c.OutputBits, address, Access.Read, Trace, out var fetch);
            if (!r.IsOk)
            {
                fault = Stage2Fault(r.Fault!, sid, ssid, iova, access, FaultClass.Cd, fetch);
                return false;
            }

            pa = r.Hpa;
        }

        if (!Memory.TryRead(pa, destination))
        {
            fault = new SmmuV3Fault("F_CD_FETCH", TranslationStage.Config, FaultKind.ExternalAbort, sid, ssid, iova, access, false, FaultClass.Cd, 0, pa, 0, $"CD fetch at PA 0x{pa:X} aborted");
            return false;
        }

        return true;
    }

    private bool WalkStage1(uint sid, uint? ssid, in Cd cd, bool s2, in Stage2Context s2c, ulong iova, Access access, out ulong ipa, out int shift, out Access perms, out SmmuV3Fault fault)
    {
        ipa = 0;
        shift = 0;
        perms = Access.None;
        fault = default;
        var inputBits = 64 - (int)cd.T0sz;
        var ipsBits = OutputBitsOf(cd.Ips);
        if (cd.Epd0 || iova >> inputBits != 0)
        {
            fault = S1Fault("F_TRANSLATION", FaultKind.NotPresent, sid, ssid, iova, access, FaultClass.Tt, 0, cd.Epd0 ? "CD.EPD0 = 1" : "input address beyond T0SZ");
            return false;
        }

        // 4 KiB granule: start level = 4 - (inputsize - 4) / (12 - 3).
        var level = 4 - ((inputBits - 4) / 9);
        var table = cd.Ttb0;
        bool noWrite = false, noUnprivileged = false, pxnTable = false, uxnTable = false;
        Span<byte> b = stackalloc byte[8];
        for (; level <= 3; level++)
        {
            var slotIpa = table + SmmuV3Stage2Table.LevelOffset(level, iova);
            var slot = slotIpa;
            if (s2)
            {
                var r = SmmuV3Stage2Table.WalkFrom(Memory, s2c.Root, s2c.StartLevel, s2c.InputBits, s2c.OutputBits, slotIpa, Access.Read, Trace, out var fetch);
                if (!r.IsOk)
                {
                    fault = Stage2Fault(r.Fault!, sid, ssid, iova, access, FaultClass.Tt, fetch);
                    return false;
                }

                slot = r.Hpa;
            }

            if (!Memory.TryRead(slot, b))
            {
                fault = new SmmuV3Fault("F_WALK_EABT", TranslationStage.Stage1, FaultKind.ExternalAbort, sid, ssid, iova, access, false, FaultClass.Tt, 0, slot, level, $"stage-1 descriptor at PA 0x{slot:X} is not backed");
                return false;
            }

            var d = SmmuV3Descriptor.Stage1(b, level);
            Trace?.Invoke(new WalkStep(TranslationStage.Stage1, level, slot, d.FormatName, d.ToString()));
            if (d.Kind == DescriptorKind.Invalid)
            {
                fault = S1Fault("F_TRANSLATION", FaultKind.NotPresent, sid, ssid, iova, access, FaultClass.Tt, level, $"invalid stage-1 descriptor at level {level}");
                return false;
            }

            if (d.HasReservedBitsSet)
            {
                fault = S1Fault("F_ADDR_SIZE", FaultKind.AddressSize, sid, ssid, iova, access, FaultClass.Tt, level, "stage-1 descriptor address bits above 47 set");
                return false;
            }

            if (d.Kind == DescriptorKind.Table)
            {
                noWrite |= (d.ApTable & 2) != 0;
                noUnprivileged |= (d.ApTable & 1) != 0;
                pxnTable |= d.PxnTable;
                uxnTable |= d.UxnTable;
                table = d.NextTable;
                if (table >> ipsBits != 0)
                {
                    fault = S1Fault("F_ADDR_SIZE", FaultKind.AddressSize, sid, ssid, iova, access, FaultClass.Tt, level, "stage-1 table address beyond CD.IPS");
                    return false;
                }

                continue;
            }

            shift = SmmuV3Descriptor.LevelShift(level);
            ipa = d.OutputAddress | (iova & ((1UL << shift) - 1));
            if (ipa >> ipsBits != 0)
            {
                fault = S1Fault("F_ADDR_SIZE", FaultKind.AddressSize, sid, ssid, iova, access, FaultClass.In, level, "stage-1 output beyond CD.IPS");
                return false;
            }

            if (!d.Af && !cd.Affd)
            {
                fault = S1Fault("F_ACCESS", FaultKind.AccessFlag, sid, ssid, iova, access, FaultClass.In, level, "stage-1 access flag clear");
                return false;
            }

            var ap = d.S1Ap;
            var privileged = (access & Access.Privileged) != 0;
            var unprivilegedOk = ap is S1AccessPermission.ReadWrite or S1AccessPermission.ReadOnly && !noUnprivileged;
            var readOnly = ap is S1AccessPermission.ReadOnly or S1AccessPermission.PrivilegedReadOnly || noWrite;
            var canAccess = privileged || unprivilegedOk;
            var execNever = privileged ? d.Pxn || pxnTable : d.Uxn || uxnTable;
            perms = (canAccess ? Access.Read : Access.None)
                | (canAccess && !readOnly ? Access.Write : Access.None)
                | (canAccess && !execNever ? Access.Execute : Access.None);
            var want = access & (Access.ReadWrite | Access.Execute);
            if ((perms & want) != want)
            {
                fault = S1Fault("F_PERMISSION", FaultKind.Permission, sid, ssid, iova, access, FaultClass.In, level, $"stage-1 AP {ap} does not allow {want}{(privileged ? " (privileged)" : string.Empty)}");
                return false;
            }

            return true;
        }

        fault = S1Fault("F_TRANSLATION", FaultKind.NotPresent, sid, ssid, iova, access, FaultClass.Tt, 3, "walk ended without a leaf");
        return false;
    }

    private static SmmuV3Fault S1Fault(string code, FaultKind kind, uint sid, uint? ssid, ulong iova, Access access, FaultClass cls, int level, string detail) =>
        new(code, TranslationStage.Stage1, kind, sid, ssid, iova, access, false, cls, 0, 0, level, detail);

    /// <summary>Records the event of <paramref name="f"/> (when <paramref name="record"/>), lets the driver handle the Event queue, and returns the failure.</summary>
    private TranslationResult Report(in SmmuV3Fault f, bool record)
    {
        if (record && Cr0.EventqEn)
        {
            Span<byte> rec = stackalloc byte[EventSet.SizeBytes];
            rec.Clear();
            if (SmmuV3EventRecords.TryEncode(f, rec))
            {
                EventQueue.Record(rec);
                HandleEvents();
            }
        }

        return TranslationResult.Failed(f.ToTranslationFault());
    }

    /// <summary>
    /// The driver's event thread (<c>arm_smmu_evtq_thread</c> → <c>arm_smmu_handle_event</c>): each record is decoded with
    /// the generated event set; a forwardable record of a StreamID whose master has a vmaster, with S2 = 0, is rewritten
    /// to the vSID and reported to the vIOMMU's ARM_SMMUV3 vEVENTQ; the host keeps everything else.
    /// </summary>
    private void HandleEvents()
    {
        Span<byte> rec = stackalloc byte[EventSet.SizeBytes];
        Span<byte> guest = stackalloc byte[EventSet.SizeBytes];
        while (EventQueue.TryConsume(rec))
        {
            var e = EventSet.Decode(rec);

            // Every record format starts like C_BAD_STREAMID: StreamID in bits 63:32.
            var sid = (uint)CBadStreamid.Read(rec).Sid;
            ulong? vsid = null;
            string disposition;
            if (_streams.TryGetValue(sid, out var st) && st.Vmaster is { } vmaster && st.Vsid is { } v && SmmuV3EventRecords.TryRewriteForGuest(e, v, guest))
            {
                if (vmaster.Owner is { } viommu && viommu.Veventqs.TryGetValue(ArmSmmuV3Uapi.VeventqType, out var q))
                {
                    q.Report(guest.ToArray());
                    vsid = v;
                    disposition = $"forwarded to vEVENTQ#{q.Id} as vSID 0x{v:X}";
                }
                else
                {
                    disposition = "dropped: the vIOMMU has no ARM_SMMUV3 vEVENTQ (-EOPNOTSUPP)";
                }
            }
            else
            {
                disposition = "kept by the host (logged)";
            }

            HostEvents.Add(new SmmuV3HostEvent(e, vsid, disposition));
            CommandTrace?.Invoke($"  [{Name} EVTQ] {e} -> {disposition}");
        }
    }

    /// <summary>The stage-2 parameters of an STE.</summary>
    private readonly struct Stage2Context
    {
        public Stage2Context(in Ste ste)
        {
            Root = ste.S2Ttb;
            StartLevel = SmmuV3Stage2Table.StartLevel(ste.S2Sl0);
            InputBits = 64 - (int)ste.S2T0sz;
            OutputBits = ste.S2Ps switch
            {
                AddressSize.Bits32 => 32,
                AddressSize.Bits36 => 36,
                AddressSize.Bits40 => 40,
                AddressSize.Bits42 => 42,
                AddressSize.Bits44 => 44,
                _ => 48,
            };
            Record = ste.S2R;
        }

        public ulong Root { get; }

        public int StartLevel { get; }

        public int InputBits { get; }

        public int OutputBits { get; }

        public bool Record { get; }
    }

    /// <summary>A configuration-cache STE: the entry as fetched (valid and legal) and what a translation needs of it, decoded once.</summary>
    private readonly struct CachedSte
    {
        public CachedSte(in Ste ste)
        {
            Entry = ste;
            Config = ste.Config;
            Vmid = ste.S2Vmid;
            S1CdMax = ste.S1CdMax;
            S1Dss = ste.S1Dss;
            S2 = new Stage2Context(ste);
        }

        public Ste Entry { get; }

        public SteConfig Config { get; }

        public ulong Vmid { get; }

        public ulong S1CdMax { get; }

        public S1DefaultSubstream S1Dss { get; }

        public Stage2Context S2 { get; }
    }

    /// <summary>A configuration-cache CD: the entry as fetched (legal) and its ASID.</summary>
    private readonly struct CachedCd(in Cd cd)
    {
        public Cd Entry { get; } = cd;

        public ulong Asid { get; } = cd.Asid;
    }
}
