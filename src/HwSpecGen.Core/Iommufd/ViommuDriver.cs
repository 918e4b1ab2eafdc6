using System;

namespace HwSpecGen.Core.Iommufd;

/// <summary>The vendor driver's state of a vIOMMU (VMID, guest→host DomainID map…) and its invalidation entry point.</summary>
public abstract class ViommuDriver
{
    /// <summary>The vIOMMU object (set when created).</summary>
    public Viommu? Owner { get; internal set; }

    /// <summary><c>IOMMU_HWPT_INVALIDATE</c> on the vIOMMU: process entries in order, stop at the first bad one; <paramref name="done"/> = entries handled.</summary>
    public virtual IommufdResult Invalidate(uint dataType, uint entryLength, ReadOnlySpan<byte> entries, uint entryCount, out uint done)
    {
        done = 0;
        return Errno.EOPNOTSUPP;
    }

    /// <summary>Called when the vIOMMU is destroyed.</summary>
    public virtual void Release()
    {
    }
}
