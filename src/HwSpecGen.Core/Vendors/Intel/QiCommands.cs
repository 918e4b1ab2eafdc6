using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>Builders for the guest descriptors a Linux guest driver issues (256-bit forms).</summary>
public static class QiCommands
{
    /// <summary>Wraps any generated descriptor.</summary>
    public static QiCommand<T> Of<T>(T descriptor)
        where T : struct, HwSpecGen.Runtime.IHardwareFormat<T> => new(descriptor);

    /// <summary>Global context-cache invalidation.</summary>
    public static IQiCommand ContextGlobal() => Of(ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.Global));

    /// <summary>Device-selective context-cache invalidation (Linux after changing a context entry).</summary>
    public static IQiCommand ContextDevice(ushort sid, ushort did = 0) =>
        Of(ContextCacheInvalidate256.Create().WithG(ContextCacheGranularity.DeviceSelective).WithSid(sid).WithDid(did));

    /// <summary>PASID-selective PASID-cache invalidation.</summary>
    public static IQiCommand PasidCache(ushort did, uint pasid) =>
        Of(PasidCacheInvalidate256.Create().WithG(PasidCacheGranularity.PasidSelective).WithDid(did).WithPasid(pasid));

    /// <summary>Page-selective-within-PASID IOTLB invalidation of 2^<paramref name="am"/> pages at <paramref name="address"/>.</summary>
    public static IQiCommand PasidIotlb(ushort did, uint pasid, ulong address, int am = 0, bool leaf = false) =>
        Of(PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PageSelectiveWithinPasid).WithDid(did).WithPasid(pasid)
            .WithAddr(address & ~((0x1000UL << am) - 1)).WithAm((ulong)am).WithIh(leaf));

    /// <summary>PASID-selective IOTLB invalidation (all of DID + PASID).</summary>
    public static IQiCommand PasidIotlbAll(ushort did, uint pasid) =>
        Of(PasidIotlbInvalidate256.Create().WithG(PasidIotlbGranularity.PasidSelective).WithDid(did).WithPasid(pasid));

    /// <summary>Domain-selective IOTLB invalidation.</summary>
    public static IQiCommand IotlbDomain(ushort did) => Of(IotlbInvalidate256.Create().WithG(IotlbGranularity.DomainSelective).WithDid(did));

    /// <summary>Device-TLB invalidation without PASID (type 3), 2^<paramref name="order"/> pages.</summary>
    public static IQiCommand DeviceTlb(ushort sid, ulong address, int order = 0) => Of(DeviceTlbInvalidate256.Create().WithSid(sid).WithAtsRange(address, order));

    /// <summary>PASID-based device-TLB invalidation (type 8).</summary>
    public static IQiCommand PasidDeviceTlb(ushort sid, uint pasid, ulong address, int order = 0) =>
        Of(PasidDeviceTlbInvalidate256.Create().WithSid(sid).WithPasid(pasid).WithAtsRange(address, order));
}
