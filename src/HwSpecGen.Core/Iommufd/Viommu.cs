using System.Collections.Generic;

namespace HwSpecGen.Core.Iommufd;

/// <summary>A per-VM slice of one physical IOMMU: holds the nest parent, the virtual→physical device table and event queues.</summary>
public sealed class Viommu : IommufdObject
{
    internal Viommu(uint id, PhysicalIommu iommu, HwptPaging parent, uint viommuType, ViommuDriver driver)
        : base(id)
    {
        Iommu = iommu;
        Parent = parent;
        ViommuType = viommuType;
        Driver = driver;
        driver.Owner = this;
    }

    /// <inheritdoc/>
    public override ObjectType Type => ObjectType.Viommu;

    /// <summary>The physical IOMMU instance.</summary>
    public PhysicalIommu Iommu { get; }

    /// <summary>The nest parent it wraps.</summary>
    public HwptPaging Parent { get; }

    /// <summary><c>enum iommu_viommu_type</c> value.</summary>
    public uint ViommuType { get; }

    /// <summary>The vendor driver's state.</summary>
    public ViommuDriver Driver { get; }

    /// <summary>Virtual ID → vDEVICE.</summary>
    public Dictionary<ulong, Vdevice> Vdevices { get; } = new();

    /// <summary>Event queues by type.</summary>
    public Dictionary<uint, Veventq> Veventqs { get; } = new();

    /// <summary>The device the guest knows as <paramref name="virtId"/>, if any.</summary>
    public Device? FindDevice(ulong virtId) => Vdevices.TryGetValue(virtId, out var v) ? v.Device : null;
}
