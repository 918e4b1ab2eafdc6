using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// The shadow of the guest's scalable-mode tables (QEMU <c>vtd_propagate_guest_pasid</c> / <c>vtd_create_fs_hwpt</c>):
/// a present guest PASID entry with PGTT = first-stage becomes a nested HWPT (<c>iommu_hwpt_vtd_s1</c> from FSPTPTR,
/// FSPM, SRE/WPE/EAFE) attached with attach/replace; PGTT = pass-through attaches the nest parent; anything else
/// blocks. Guest invalidations are mapped through the guest DID to the HWPTs created for it.
/// </summary>
public sealed partial class IntelVirtualIommu
{
    /// <summary>The host PASID key of a RID (no-PASID) binding.</summary>
    private const uint RidKey = uint.MaxValue;

    private readonly Dictionary<(ushort Vrid, uint HostPasid), Binding> _bindings = new();
    private readonly Dictionary<NestedKey, PooledHwpt> _pool = new();
    private readonly List<PooledHwpt> _targets = new();
    private readonly List<(ushort Vrid, uint HostPasid)> _stale = new();
    private readonly HashSet<uint> _seenPasids = new();

    private enum BindingKind
    {
        Blocked,
        PassThrough,
        Nested,
    }

    /// <summary>Invalidations forwarded to iommufd (<c>IOMMU_HWPT_INVALIDATE</c> calls) since creation.</summary>
    public long ForwardedInvalidations { get; private set; }

    /// <summary>The nested HWPTs currently created for guest DID <paramref name="guestDid"/>.</summary>
    public IReadOnlyList<HwptNested> NestedHwptsFor(ushort guestDid)
    {
        var list = new List<HwptNested>();
        foreach (var p in _pool.Values)
        {
            if (p.Key.GuestDid == guestDid)
            {
                list.Add(p.Hwpt);
            }
        }

        return list;
    }

    /// <summary>The HWPT the device's RID (or <paramref name="pasid"/>) is bound to by the shadow, if any.</summary>
    public Hwpt? BoundHwpt(ushort virtualRid, uint? pasid = null)
    {
        if (!_bindings.TryGetValue((virtualRid, pasid ?? RidKey), out var b))
        {
            return null;
        }

        return b.Kind switch
        {
            BindingKind.PassThrough => NestParent,
            BindingKind.Nested => b.Pooled!.Hwpt,
            _ => null,
        };
    }

    private InvalidationQueueErrorInfo? OnContextCache(string? decoded, ContextCacheGranularity g, ulong sid, FunctionMask fm)
    {
        if (g == ContextCacheGranularity.DeviceSelective)
        {
            // FM masks the low function bits of the SID
            var ignored = fm switch
            {
                FunctionMask.OneBit => 0b100UL,
                FunctionMask.TwoBits => 0b110UL,
                FunctionMask.ThreeBits => 0b111UL,
                _ => 0UL,
            };
            var matched = 0;
            foreach (var vrid in _devices.Keys)
            {
                if ((vrid & ~ignored) == (sid & ~ignored))
                {
                    matched++;
                    Reshadow(vrid);
                }
            }

            Trace?.Invoke($"IQ[{_head}]: {decoded} → re-read the guest context of {matched} device(s)");
            return null;
        }

        // global and domain-selective (QEMU treats domain-selective as global)
        ReshadowAll();
        Trace?.Invoke($"IQ[{_head}]: {decoded} → re-read every guest context entry");
        return null;
    }

    private InvalidationQueueErrorInfo? OnIotlb(string? decoded, IotlbGranularity g, ushort did, ulong am)
    {
        if (g == IotlbGranularity.PageSelective && am > MaxAddressMask)
        {
            Trace?.Invoke($"IQ[{_head}]: {decoded} → AM {am} > MAMV {MaxAddressMask}");
            return InvalidationQueueErrorInfo.ReservedFieldViolation;
        }

        // a DID-based invalidation drops every first-stage translation of the DID, page-selective or not
        CollectTargets(g == IotlbGranularity.Global ? null : did, null);
        Forward(decoded, IommuHwptVtdS1Invalidate.All);
        return null;
    }

    private InvalidationQueueErrorInfo? OnPasidIotlb(string? decoded, PasidIotlbGranularity g, ushort did, uint pasid, InvalidationRange range, ulong am, bool ih)
    {
        CollectTargets(did, pasid);
        var entry = g == PasidIotlbGranularity.PasidSelective || am >= 52
            ? IommuHwptVtdS1Invalidate.All
            : new IommuHwptVtdS1Invalidate(range.First, 1UL << (int)am, ih ? IntelUapi.VtdInvFlagsLeaf : 0);
        Forward(decoded, entry);
        return null;
    }

    private InvalidationQueueErrorInfo? OnPasidCache(string? decoded, PasidCacheGranularity g, ushort did, uint pasid)
    {
        if (g == PasidCacheGranularity.PasidSelective)
        {
            foreach (var vrid in _devices.Keys)
            {
                ReshadowPasid(vrid, pasid);
            }

            Trace?.Invoke($"IQ[{_head}]: {decoded} → re-read PASID {pasid} of every device");
            return null;
        }

        ReshadowAll();
        Trace?.Invoke($"IQ[{_head}]: {decoded} → re-read every guest PASID entry (DID {did})");
        return null;
    }

    /// <summary>The distinct nested HWPTs whose shadow binding carries guest DID <paramref name="did"/> (all when null) and guest PASID <paramref name="pasid"/> (any when null).</summary>
    private void CollectTargets(ushort? did, uint? pasid)
    {
        _targets.Clear();
        foreach (var b in _bindings.Values)
        {
            if (b.Kind != BindingKind.Nested || (did is { } d && b.GuestDid != d) || (pasid is { } p && b.GuestPasid != p))
            {
                continue;
            }

            if (!_targets.Contains(b.Pooled!))
            {
                _targets.Add(b.Pooled!);
            }
        }
    }

    private void Forward(string? decoded, IommuHwptVtdS1Invalidate entry)
    {
        Span<byte> data = stackalloc byte[IommuHwptVtdS1Invalidate.Size];
        entry.WriteTo(data);
        if (_targets.Count == 0)
        {
            Trace?.Invoke($"IQ[{_head}]: {decoded} → no nested HWPT for this guest DID/PASID: nothing cached, nothing to flush");
        }

        foreach (var target in _targets)
        {
            var atcBefore = Physical.AtcEntriesInvalidated;
            var iotlbBefore = Physical.IotlbEntriesInvalidated;
            uint num = 1;
            var r = Fd.HwptInvalidate(target.Hwpt.Id, IntelUapi.HwptInvalidateDataVtdS1, IommuHwptVtdS1Invalidate.Size, data, ref num);
            ForwardedInvalidations++;
            Trace?.Invoke($"IQ[{_head}]: {decoded} → IOMMU_HWPT_INVALIDATE(hwpt {target.Hwpt.Id}, addr 0x{entry.Addr:X}, npages 0x{entry.Npages:X}, flags {entry.Flags}) = {r}, entry_num {num}; removed {Physical.IotlbEntriesInvalidated - iotlbBefore} IOTLB and {Physical.AtcEntriesInvalidated - atcBefore} ATC entries (device-TLB invalidations synthesized by the host)");
        }
    }

    private void ReshadowAll()
    {
        foreach (var vrid in _devices.Keys)
        {
            Reshadow(vrid);
        }
    }

    /// <summary>Re-reads the guest's context entry and every present PASID entry of one device.</summary>
    private void Reshadow(ushort vrid)
    {
        _seenPasids.Clear();
        if (_gsts.Tes && _gsts.Rtps && TryReadGuestContext(vrid, out var ctx))
        {
            ShadowOne(vrid, null, (uint)ctx.RidPasid, ctx);
            var device = _devices[vrid];
            if (device.PasidBits > 0 && ctx.Paside)
            {
                var dirEntries = 1UL << (int)(ctx.Pdts + 7);
                for (ulong i = 0; i < dirEntries; i++)
                {
                    if (!IntelFormatIo.TryRead(Guest, ctx.Pasiddirptr + (i * PasidDirectoryEntry.SizeBytes), out PasidDirectoryEntry dir) || !dir.P)
                    {
                        continue;
                    }

                    for (uint j = 0; j < PasidTable.Entries; j++)
                    {
                        var pasid = (uint)(i << PasidTable.IndexBits) | j;
                        if (pasid == ctx.RidPasid || pasid >> device.PasidBits != 0)
                        {
                            continue;
                        }

                        if (IntelFormatIo.TryRead(Guest, dir.Smptblptr + PasidTable.Offset(pasid), out PasidTableEntry pe) && pe.P)
                        {
                            ShadowOne(vrid, pasid, pasid, ctx);
                        }
                    }
                }
            }
        }
        else if (!_gsts.Tes)
        {
            // translation disabled: the device DMAs with guest-physical addresses through the nest parent
            Bind(vrid, null, 0, new Binding(BindingKind.PassThrough, 0, 0, null));
        }
        else
        {
            Bind(vrid, null, 0, new Binding(BindingKind.Blocked, 0, 0, null));
        }

        // PASID bindings whose guest entry is gone
        _stale.Clear();
        foreach (var key in _bindings.Keys)
        {
            if (key.Vrid == vrid && key.HostPasid != RidKey && !_seenPasids.Contains(key.HostPasid))
            {
                _stale.Add(key);
            }
        }

        foreach (var key in _stale)
        {
            Bind(vrid, key.HostPasid, key.HostPasid, new Binding(BindingKind.Blocked, 0, key.HostPasid, null));
            _bindings.Remove(key);
        }
    }

    private void ReshadowPasid(ushort vrid, uint pasid)
    {
        if (!_gsts.Tes || !_gsts.Rtps || !TryReadGuestContext(vrid, out var ctx))
        {
            return;
        }

        if (pasid == ctx.RidPasid)
        {
            ShadowOne(vrid, null, pasid, ctx);
        }
        else if (_devices[vrid].PasidBits > 0)
        {
            ShadowOne(vrid, pasid, pasid, ctx);
            if (!_seenPasids.Contains(pasid))
            {
                _bindings.Remove((vrid, pasid));
            }
        }
    }

    private bool TryReadGuestContext(ushort vrid, out ScalableModeContextEntry ctx)
    {
        ctx = default;
        if (_rtaddr.Ttm != TranslationTableMode.Scalable
            || !IntelFormatIo.TryRead(Guest, _rtaddr.Rta + RootTable.Offset(vrid), out ScalableModeRootEntry root))
        {
            return false;
        }

        var upper = (vrid & 0x80) != 0;
        if (upper ? !root.Up : !root.Lp)
        {
            return false;
        }

        return IntelFormatIo.TryRead(Guest, (upper ? root.Uctp : root.Lctp) + ContextTable.Offset(vrid), out ctx) && ctx.P;
    }

    /// <summary>Reads one guest PASID entry and makes the host attachment match it.</summary>
    private void ShadowOne(ushort vrid, uint? hostPasid, uint guestPasid, in ScalableModeContextEntry ctx)
    {
        var desired = new Binding(BindingKind.Blocked, 0, guestPasid, null);
        if (PasidDirectoryTable.Index(guestPasid) < 1UL << (int)(ctx.Pdts + 7)
            && IntelFormatIo.TryRead(Guest, ctx.Pasiddirptr + PasidDirectoryTable.Offset(guestPasid), out PasidDirectoryEntry dir) && dir.P
            && IntelFormatIo.TryRead(Guest, dir.Smptblptr + PasidTable.Offset(guestPasid), out PasidTableEntry pe) && pe.P)
        {
            if (hostPasid is { } hp)
            {
                _seenPasids.Add(hp);
            }

            switch (pe.Pgtt)
            {
                case PasidGranularTranslationType.FirstStageOnly when pe.IsValid:
                    {
                        var flags = (pe.Sre ? IntelUapi.VtdS1Sre : 0) | (pe.Wpe ? IntelUapi.VtdS1Wpe : 0) | (pe.Eafe ? IntelUapi.VtdS1Eafe : 0);
                        var key = new NestedKey((ushort)pe.Did, pe.Fsptptr, pe.Flpm, flags);
                        desired = new Binding(BindingKind.Nested, key.GuestDid, guestPasid, null) { Key = key };
                        break;
                    }

                case PasidGranularTranslationType.PassThrough:
                    desired = new Binding(BindingKind.PassThrough, (ushort)pe.Did, guestPasid, null);
                    break;
                default:
                    Trace?.Invoke($"shadow vRID 0x{vrid:X4} PASID {guestPasid}: {pe.Pgtt} is not offered to this guest (ECAP: first stage only) → blocked");
                    break;
            }
        }

        Bind(vrid, hostPasid, guestPasid, desired);
    }

    /// <summary>Makes the host attachment of (vRID, PASID) what <paramref name="desired"/> says; releases what it replaces.</summary>
    private void Bind(ushort vrid, uint? hostPasid, uint guestPasid, Binding desired)
    {
        var key = (vrid, hostPasid ?? RidKey);
        _bindings.TryGetValue(key, out var current);
        if (current.Kind == desired.Kind && current.Key == desired.Key && (current.Kind != BindingKind.Nested || current.Pooled is not null))
        {
            _bindings[key] = current with { GuestDid = desired.GuestDid, GuestPasid = guestPasid };
            return;
        }

        var device = _devices[vrid];
        Hwpt? target = null;
        PooledHwpt? pooled = null;
        if (desired.Kind == BindingKind.PassThrough)
        {
            target = NestParent;
        }
        else if (desired.Kind == BindingKind.Nested)
        {
            pooled = Acquire(desired.Key, device);
            target = pooled?.Hwpt;
            if (target is null)
            {
                desired = desired with { Kind = BindingKind.Blocked };
            }
        }

        var attached = hostPasid is null ? device.Attached : device.PasidAttachments.GetValueOrDefault(hostPasid.Value);
        IommufdResult r = IommufdResult.Ok;
        if (target is null)
        {
            if (attached is not null)
            {
                r = Fd.Detach(device.Id, hostPasid);
            }
        }
        else if (attached != target)
        {
            r = (attached is null ? Fd.Attach(device.Id, hostPasid, target.Id) : Fd.Replace(device.Id, hostPasid, target.Id)).AsResult();
            if (!r.IsOk)
            {
                // the host refused the guest's configuration (e.g. a width it lacks): block
                if (attached is not null)
                {
                    Fd.Detach(device.Id, hostPasid);
                }

                Release(pooled);
                pooled = null;
                desired = desired with { Kind = BindingKind.Blocked };
            }
        }

        Trace?.Invoke($"shadow vRID 0x{vrid:X4} {(hostPasid is null ? "RID" : $"PASID {hostPasid}")}: {current.Kind} → {desired.Kind}{(target is null ? string.Empty : $" (HWPT {target.Id}, {(attached is null ? "attach" : "replace")})")}{(r.IsOk ? string.Empty : $" = {r}")}");
        if (current.Kind == BindingKind.Nested)
        {
            Release(current.Pooled);
        }

        _bindings[key] = desired with { Pooled = pooled, GuestPasid = guestPasid };
    }

    private PooledHwpt? Acquire(NestedKey key, Device device)
    {
        if (_pool.TryGetValue(key, out var p))
        {
            p.Users++;
            return p;
        }

        var data = new IommuHwptVtdS1(key.Flags, key.Fsptptr, key.Flpm == FirstStagePagingMode.FiveLevel ? IntelUapi.AddrWidth5Level : IntelUapi.AddrWidth4Level).ToBytes();
        var flags = device.PasidBits > 0 ? HwptAllocFlags.Pasid : HwptAllocFlags.None;
        var r = Fd.HwptAlloc(device.Id, NestParent.Id, flags, IntelUapi.HwptDataVtdS1, data);
        Trace?.Invoke($"IOMMU_HWPT_ALLOC(parent {NestParent.Id}, VTD_S1 {{pgtbl_addr 0x{key.Fsptptr:X}, addr_width {(key.Flpm == FirstStagePagingMode.FiveLevel ? 57 : 48)}, flags 0x{key.Flags:X}}}) for guest DID {key.GuestDid} = {r}");
        if (!r.IsOk)
        {
            return null;
        }

        p = new PooledHwpt((HwptNested)r.Value, key) { Users = 1 };
        _pool[key] = p;
        return p;
    }

    private void Release(PooledHwpt? p)
    {
        if (p is null || --p.Users > 0)
        {
            return;
        }

        _pool.Remove(p.Key);
        var r = Fd.Destroy(p.Hwpt.Id);
        Trace?.Invoke($"IOMMU_DESTROY(hwpt {p.Hwpt.Id}) = {r}");
    }

    private readonly record struct NestedKey(ushort GuestDid, ulong Fsptptr, FirstStagePagingMode Flpm, ulong Flags);

    private readonly record struct Binding(BindingKind Kind, ushort GuestDid, uint GuestPasid, PooledHwpt? Pooled)
    {
        public NestedKey Key { get; init; }
    }

    private sealed class PooledHwpt(HwptNested hwpt, NestedKey key)
    {
        public HwptNested Hwpt { get; } = hwpt;

        public NestedKey Key { get; } = key;

        public int Users { get; set; }
    }
}
