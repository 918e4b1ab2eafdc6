using System;
using System.Collections.Generic;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Iommufd;

/// <summary>
/// A physical device bound to iommufd, with its requester ID (VT-d RID / AMD DeviceID / SMMU StreamID), ATS and PASID
/// capabilities, its attachments, and — for ATS-capable devices — its own ATC. The DMA API lives here.
/// </summary>
public sealed class Device : IommufdObject
{
    /// <summary>Address-space tag used for requests without a PASID.</summary>
    public const ulong NoPasid = ulong.MaxValue;

    internal Device(uint id, PhysicalIommu iommu, uint physicalId, bool atsCapable, int pasidBits, string name)
        : base(id)
    {
        Iommu = iommu;
        PhysicalId = physicalId;
        AtsCapable = atsCapable;
        PasidBits = pasidBits;
        Name = name;
    }

    /// <inheritdoc/>
    public override ObjectType Type => ObjectType.Device;

    /// <summary>Human name (for traces).</summary>
    public string Name { get; }

    /// <summary>The physical IOMMU in front of it.</summary>
    public PhysicalIommu Iommu { get; }

    /// <summary>RID (bus[15:8] dev[7:3] fn[2:0]) on VT-d, DeviceID on AMD, StreamID on SMMUv3.</summary>
    public uint PhysicalId { get; }

    /// <summary>Supports ATS (has an ATC).</summary>
    public bool AtsCapable { get; }

    /// <summary>PASID width (0 = no PASID capability).</summary>
    public int PasidBits { get; }

    /// <summary>The HWPT the RID is attached to.</summary>
    public Hwpt? Attached { get; internal set; }

    /// <summary>PASID attachments.</summary>
    public Dictionary<uint, Hwpt> PasidAttachments { get; } = new();

    /// <summary>The vDEVICE, if the device is exposed on a vIOMMU.</summary>
    public Vdevice? Vdevice { get; internal set; }

    /// <summary>The device's ATC (Address Translation Cache), used when ATS is enabled.</summary>
    public TranslationCache Atc { get; } = new();

    /// <summary>True once the device was unbound (its id is gone).</summary>
    public bool Unbound { get; internal set; }

    /// <summary>ATS is in use for this device right now (capable and the IOMMU configuration enables it).</summary>
    public bool AtsEnabled => AtsCapable && !Unbound && Iommu.IsAtsEnabled(this);

    /// <summary>Translates as the device's DMA would: its ATC first (ATS), then the IOMMU (IOTLB, then a walk).</summary>
    public TranslationResult Translate(ulong iova, uint? pasid, Access access)
    {
        var space = pasid ?? NoPasid;
        if (AtsEnabled && Atc.TryLookup(0, space, iova, out var hit) && (hit.Permissions & access & Access.ReadWrite) == (access & Access.ReadWrite))
        {
            return TranslationCache.ToResult(hit, iova, TranslationSource.Atc);
        }

        var result = Iommu.Translate(this, pasid, iova, access);
        if (result.IsOk && AtsEnabled)
        {
            Atc.Insert(0, space, iova, new TlbEntry(result.Hpa & ~(result.PageSize - 1), result.PageShift, result.Permissions));
        }

        return result;
    }

    /// <summary>DMA read of <paramref name="destination"/>.Length bytes at <paramref name="iova"/>.</summary>
    public TranslationResult Read(ulong iova, uint? pasid, Span<byte> destination) => Dma(iova, pasid, Access.Read, destination, null);

    /// <summary>DMA write of <paramref name="source"/> at <paramref name="iova"/>.</summary>
    public TranslationResult Write(ulong iova, uint? pasid, ReadOnlySpan<byte> source)
    {
        var copy = source.ToArray();
        return Dma(iova, pasid, Access.Write, default, copy);
    }

    private TranslationResult Dma(ulong iova, uint? pasid, Access access, Span<byte> readInto, byte[]? writeFrom)
    {
        var length = writeFrom?.Length ?? readInto.Length;
        var done = 0;
        TranslationResult last = default;
        while (done < length)
        {
            var a = iova + (ulong)done;
            last = Translate(a, pasid, access);
            if (!last.IsOk)
            {
                return last;
            }

            var inPage = (int)Math.Min((ulong)(length - done), last.PageSize - (a & (last.PageSize - 1)));
            var ok = writeFrom is null
                ? Iommu.Memory.TryRead(last.Hpa, readInto.Slice(done, inPage))
                : Iommu.Memory.TryWrite(last.Hpa, writeFrom.AsSpan(done, inPage));
            if (!ok)
            {
                return TranslationResult.Failed(new TranslationFault(TranslationStage.Stage2, FaultKind.ExternalAbort, a, pasid, last.Hpa, 0, "EXTERNAL_ABORT", $"host physical 0x{last.Hpa:X} is not backed"));
            }

            done += inPage;
        }

        return last;
    }
}
