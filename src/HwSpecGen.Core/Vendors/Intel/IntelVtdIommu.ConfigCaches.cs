using System.Collections.Generic;
using System.Runtime.InteropServices;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// The unit's configuration caches (VT-d spec §6.2.1 context-cache, §6.2.2 PASID-cache): the context cache holds
/// scalable-mode context entries by source-id; the PASID cache holds PASID-table entries, tagged by (DID, PASID), looked
/// up by the request's source-id and PASID. Both are filled by the walk of a miss, hold only present, valid entries
/// (CAP.CM = 0: not-present and faulting entries are not cached), and keep what they hold — also when software changes
/// the tables in memory — until an architected invalidation (context-cache invalidate: global / domain / device;
/// PASID-cache invalidate: global / DID / DID + PASID) removes it.
/// </summary>
public sealed partial class IntelVtdIommu
{
    // the key of a request without PASID (it uses the context entry's RID_PASID, kept in the cached entry)
    private const ulong NoPasidKey = 1UL << 31;

    private readonly Dictionary<uint, (ScalableModeContextEntry Entry, ulong Address)> _contextCache = new();
    private readonly Dictionary<ulong, PasidCacheEntry> _pasidCache = new();

    /// <summary>Context-cache entries held (one per source-id).</summary>
    public int ContextCacheCount => _contextCache.Count;

    /// <summary>PASID-cache entries held (one per source-id and request PASID; a request without PASID has its own).</summary>
    public int PasidCacheCount => _pasidCache.Count;

    /// <summary>Context-cache entries removed by context-cache invalidations since creation.</summary>
    public long ContextCacheEntriesInvalidated { get; private set; }

    /// <summary>PASID-cache entries removed by PASID-cache (and context-cache) invalidations since creation.</summary>
    public long PasidCacheEntriesInvalidated { get; private set; }

    /// <summary>True when the context cache holds the context entry of <paramref name="rid"/>.</summary>
    public bool IsContextCached(uint rid) => _contextCache.ContainsKey(rid);

    /// <summary>True when the PASID cache holds the entry used by requests of <paramref name="rid"/> with <paramref name="pasid"/> (null: without PASID).</summary>
    public bool IsPasidEntryCached(uint rid, uint? pasid) => _pasidCache.ContainsKey(PasidCacheKey(rid, pasid));

    private static ulong PasidCacheKey(uint rid, uint? pasid) => ((ulong)rid << 32) | (pasid ?? NoPasidKey);

    private ref PasidCacheEntry LookupPasidCache(uint rid, uint? pasid) =>
        ref CollectionsMarshal.GetValueRefOrNullRef(_pasidCache, PasidCacheKey(rid, pasid));

    /// <summary>
    /// Context-cache invalidate descriptor. Scalable-mode context entries carry no DID (the descriptor's DID is ignored
    /// in scalable mode — VT-d spec §6.5.2.1), so domain-selective removes everything, like global. PASID-cache entries
    /// were found through the context entries removed, so they go too (removing more than asked is always allowed).
    /// </summary>
    private int InvalidateContextCache(ContextCacheGranularity g, uint sid, FunctionMask fm)
    {
        if (g != ContextCacheGranularity.DeviceSelective)
        {
            var all = _contextCache.Count;
            _contextCache.Clear();
            PasidCacheEntriesInvalidated += _pasidCache.Count;
            _pasidCache.Clear();
            ContextCacheEntriesInvalidated += all;
            return all;
        }

        // FM: the low SID bits (the function number) that are not compared
        var ignore = fm switch
        {
            FunctionMask.OneBit => 0b100u,
            FunctionMask.TwoBits => 0b110u,
            FunctionMask.ThreeBits => 0b111u,
            _ => 0u,
        };
        var removed = 0;
        foreach (var rid in _contextCache.Keys)
        {
            if ((rid & ~ignore) == (sid & ~ignore) && _contextCache.Remove(rid))
            {
                removed++;
            }
        }

        foreach (var (key, _) in _pasidCache)
        {
            var rid = (uint)(key >> 32);
            if ((rid & ~ignore) == (sid & ~ignore) && _pasidCache.Remove(key))
            {
                PasidCacheEntriesInvalidated++;
            }
        }

        ContextCacheEntriesInvalidated += removed;
        return removed;
    }

    /// <summary>PASID-cache invalidate descriptor: everything, every entry tagged with <paramref name="did"/>, or the entries tagged (<paramref name="did"/>, <paramref name="pasid"/>).</summary>
    private int InvalidatePasidCache(PasidCacheGranularity g, ulong did, uint pasid)
    {
        var removed = 0;
        if (g == PasidCacheGranularity.Global)
        {
            removed = _pasidCache.Count;
            _pasidCache.Clear();
        }
        else
        {
            foreach (var (key, e) in _pasidCache)
            {
                if (e.Did == did && (g == PasidCacheGranularity.DomainSelective || e.Pasid == pasid) && _pasidCache.Remove(key))
                {
                    removed++;
                }
            }
        }

        PasidCacheEntriesInvalidated += removed;
        return removed;
    }

    /// <summary>A cached PASID-table entry: the entry as read, where it was read, its DID and PASID (the tag) and the combined FPD of the walk.</summary>
    private readonly struct PasidCacheEntry(in PasidTableEntry entry, ulong address, uint pasid, bool fpd)
    {
        public PasidTableEntry Entry { get; } = entry;

        public ulong Address { get; } = address;

        public ulong Did { get; } = entry.Did;

        public uint Pasid { get; } = pasid;

        public bool Fpd { get; } = fpd;
    }
}
