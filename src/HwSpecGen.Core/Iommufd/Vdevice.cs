namespace HwSpecGen.Core.Iommufd;

/// <summary>"This device is seen by the guest on this vIOMMU with virtual ID <see cref="VirtId"/>" (vSID, vDeviceID, vRID).</summary>
public sealed class Vdevice : IommufdObject
{
    internal Vdevice(uint id, Viommu viommu, Device device, ulong virtId)
        : base(id)
    {
        Viommu = viommu;
        Device = device;
        VirtId = virtId;
    }

    /// <inheritdoc/>
    public override ObjectType Type => ObjectType.Vdevice;

    /// <summary>The vIOMMU.</summary>
    public Viommu Viommu { get; }

    /// <summary>The physical device.</summary>
    public Device Device { get; }

    /// <summary>The guest-visible ID.</summary>
    public ulong VirtId { get; }
}
