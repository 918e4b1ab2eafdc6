using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>The SMMU's configuration cache entries.</summary>
public sealed partial class SmmuV3Iommu
{
    /// <summary>
    /// One StreamID's configuration-cache entry: the STE (decoded and checked once) and the CDs fetched through it, tagged
    /// by SubstreamID. SubstreamID 0 — the only CD of a stream without PASIDs, and what a transaction without a
    /// SubstreamID uses under S1DSS = SSID0 — is held inline, so a hit needs no hash lookup; other SubstreamIDs go to a
    /// map created on the first one. CFGI_STE* drops the whole entry (the SMMU may cache CDs only through their STE),
    /// CFGI_CD one CD, CFGI_CD_ALL the CDs.
    /// </summary>
    private sealed class SteCacheEntry(in CachedSte ste)
    {
        private bool _hasCd0;
        private CachedCd _cd0;
        private Dictionary<ulong, CachedCd>? _cds;

        /// <summary>The cached STE.</summary>
        public readonly CachedSte Ste = ste;

        /// <summary>Number of cached CDs.</summary>
        public int CdCount => (_hasCd0 ? 1 : 0) + (_cds?.Count ?? 0);

        /// <summary>The cached CD of <paramref name="ssid"/>, or a null reference.</summary>
        public ref readonly CachedCd FindCd(ulong ssid)
        {
            if (ssid == 0)
            {
                return ref _hasCd0 ? ref _cd0 : ref Unsafe.NullRef<CachedCd>();
            }

            return ref _cds is null ? ref Unsafe.NullRef<CachedCd>() : ref CollectionsMarshal.GetValueRefOrNullRef(_cds, ssid);
        }

        /// <summary>Caches the CD of <paramref name="ssid"/>.</summary>
        public void SetCd(ulong ssid, in CachedCd cd)
        {
            if (ssid == 0)
            {
                _cd0 = cd;
                _hasCd0 = true;
                return;
            }

            (_cds ??= new Dictionary<ulong, CachedCd>())[ssid] = cd;
        }

        /// <summary>Drops the CD of <paramref name="ssid"/> (CFGI_CD).</summary>
        public void RemoveCd(ulong ssid)
        {
            if (ssid == 0)
            {
                _hasCd0 = false;
                _cd0 = default;
                return;
            }

            _cds?.Remove(ssid);
        }

        /// <summary>Drops every CD (CFGI_CD_ALL).</summary>
        public void ClearCds()
        {
            _hasCd0 = false;
            _cd0 = default;
            _cds?.Clear();
        }
    }
}
