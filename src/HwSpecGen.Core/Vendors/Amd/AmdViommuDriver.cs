using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Hardware.AmdVi;

namespace HwSpecGen.Core.Vendors.Amd;

/// <summary>
/// The AMD driver's state of one vIOMMU (Linux <c>struct amd_iommu_viommu</c>): the nest parent, the refcounted guest DomainID →
/// host DomainID map (<c>gdomid_array</c>), and the forwarding of the guest's invalidation commands.
/// </summary>
/// <remarks>
/// <para>
/// <b>Forwarding (HwSpecGen model; Linux has no AMD <c>cache_invalidate</c> op in the revision read).</b>
/// <c>IOMMU_HWPT_INVALIDATE</c> on the vIOMMU with <c>data_type</c> <see cref="AmdUapi.ViommuInvalidateDataAmdCommand"/> takes
/// an array of raw 128-bit AMD commands in guest terms. Each is decoded with the generated <see cref="CommandSet"/>, checked
/// (known opcode, reserved bits clear), its guest IDs translated through this vIOMMU's tables, and the rewritten command is
/// written into the host command buffer, in order; the call ends with a host COMPLETION_WAIT. Errors, in the style of the
/// SMMUv3 driver (<c>arm_vsmmu_convert_user_cmd</c>): wrong <c>data_type</c> or <c>entry_len</c> ≠ 16 → EINVAL with nothing
/// done; an unknown or non-forwardable opcode, a reserved bit set, a guest DomainID with no mapping or a guest DeviceID with no
/// vDEVICE → EIO, with <c>entry_num</c> = the entries handled before it.
/// </para>
/// <list type="table">
/// <listheader><term>Guest command</term><description>What the host does</description></listheader>
/// <item><term>INVALIDATE_IOMMU_PAGES</term><description>rewrite: gDomID → hDomID; PASID, S, PDE, GN and the address kept; forwarded</description></item>
/// <item><term>INVALIDATE_IOTLB_PAGES</term><description>rewrite: vDeviceID → host DeviceID (also QueueId), MaxPend = the host's ATS queue depth; forwarded to the device's ATC</description></item>
/// <item><term>INVALIDATE_IOMMU_ALL</term><description>synthesize: a whole-space INVALIDATE_IOMMU_PAGES per host DomainID of this vIOMMU and a whole-space INVALIDATE_IOTLB_PAGES per ATS vDEVICE — never the host-wide command</description></item>
/// <item><term>anything else</term><description>reject (EIO): COMPLETION_WAIT is the ioctl's own completion, DTE changes go through HWPT_ALLOC/replace</description></item>
/// </list>
/// </remarks>
public sealed class AmdViommuDriver : ViommuDriver
{
    private readonly Dictionary<ulong, AmdGuestDomainMapping> _domains = new();
    private readonly List<AmdNestedDomain> _nested = new();

    internal AmdViommuDriver(AmdIommu iommu, HwptPaging parent)
    {
        Iommu = iommu;
        Parent = parent;
    }

    /// <summary>The physical IOMMU.</summary>
    public AmdIommu Iommu { get; }

    /// <summary>The nest parent (stage 2) every nested domain of this vIOMMU uses.</summary>
    public HwptPaging Parent { get; }

    /// <summary>The guest DomainID → host DomainID map.</summary>
    public IReadOnlyDictionary<ulong, AmdGuestDomainMapping> DomainMap => _domains;

    /// <summary>Nested domains allocated on this vIOMMU and not yet freed.</summary>
    public IReadOnlyList<AmdNestedDomain> NestedDomains => _nested;

    /// <summary>Every host DomainID mapped from a guest DomainID.</summary>
    public IEnumerable<ulong> HostDomainIds
    {
        get
        {
            foreach (var m in _domains.Values)
            {
                yield return m.HostDomainId;
            }
        }
    }

    /// <summary>Receives one line per forwarded command (guest IDs, host IDs), for traces.</summary>
    public Action<string>? Trace { get; set; }

    /// <summary>The host DomainID of guest DomainID <paramref name="guestDomainId"/>, if a nested domain maps it.</summary>
    public bool TryMapDomain(ulong guestDomainId, out ulong hostDomainId)
    {
        if (_domains.TryGetValue(guestDomainId, out var m))
        {
            hostDomainId = m.HostDomainId;
            return true;
        }

        hostDomainId = 0;
        return false;
    }

    /// <summary>The device the guest calls <paramref name="guestDeviceId"/> on this vIOMMU (its vDEVICE), if any.</summary>
    public Device? FindDevice(ulong guestDeviceId) => Owner?.FindDevice(guestDeviceId);

    /// <inheritdoc/>
    public override IommufdResult Invalidate(uint dataType, uint entryLength, ReadOnlySpan<byte> entries, uint entryCount, out uint done)
    {
        done = 0;
        if (dataType != AmdUapi.ViommuInvalidateDataAmdCommand)
        {
            return Errno.EINVAL;
        }

        if (entryCount == 0)
        {
            return IommufdResult.Ok; // a type probe
        }

        if (entryLength != AmdUapi.InvalidateEntrySize)
        {
            return Errno.EINVAL;
        }

        var result = Errno.None;
        for (var i = 0; i < entryCount; i++)
        {
            var error = Forward(entries.Slice(i * AmdUapi.InvalidateEntrySize, AmdUapi.InvalidateEntrySize));
            if (error != Errno.None)
            {
                result = error;
                break;
            }

            done++;
        }

        if (done > 0)
        {
            Iommu.WaitForCompletion();
        }

        return result;
    }

    /// <summary>
    /// Checks one guest command, translates its IDs and writes the host command(s) into the host command buffer. Nothing is
    /// submitted unless every check passes; the return is <see cref="Errno.None"/> or EIO.
    /// </summary>
    public Errno Forward(ReadOnlySpan<byte> guestCommand)
    {
        var command = CommandSet.Decode(guestCommand);
        if (!command.IsValid)
        {
            return Errno.EIO;
        }

        Span<byte> host = stackalloc byte[CommandSet.SizeBytes];
        switch (command.Kind)
        {
            case CommandKind.InvalidateIommuPages when command.TryGet(out InvalidateIommuPages pages):
                {
                    if (!TryMapDomain(pages.DomainId, out var hostDomainId))
                    {
                        return Errno.EIO;
                    }

                    var rewritten = pages.WithDomainId(hostDomainId);
                    rewritten.WriteTo(host);
                    Trace?.Invoke($"INVALIDATE_IOMMU_PAGES gDomID 0x{pages.DomainId:X} → hDomID 0x{hostDomainId:X}: {rewritten}");
                    Iommu.Submit(host);
                    return Errno.None;
                }

            case CommandKind.InvalidateIotlbPages when command.TryGet(out InvalidateIotlbPages iotlb):
                {
                    if (FindDevice(iotlb.DeviceId) is not { } device || device.PhysicalId >= AmdIommu.DeviceTableEntries)
                    {
                        return Errno.EIO;
                    }

                    var rewritten = iotlb.WithDeviceId(device.PhysicalId).WithQueueId(device.PhysicalId).WithMaxPend(Iommu.Options.AtsQueueDepth & 0xFF);
                    rewritten.WriteTo(host);
                    Trace?.Invoke($"INVALIDATE_IOTLB_PAGES vDeviceID 0x{iotlb.DeviceId:X} → DeviceID 0x{device.PhysicalId:X}: {rewritten}");
                    Iommu.Submit(host);
                    return Errno.None;
                }

            case CommandKind.InvalidateIommuAll:
                foreach (var m in _domains.Values)
                {
                    InvalidateIommuPages.FromRange(0, ulong.MaxValue, m.HostDomainId).WriteTo(host);
                    Iommu.Submit(host);
                }

                if (Owner is not null)
                {
                    foreach (var vdev in Owner.Vdevices.Values)
                    {
                        if (vdev.Device.AtsCapable && vdev.Device.PhysicalId < AmdIommu.DeviceTableEntries)
                        {
                            InvalidateIotlbPages.FromRange(0, ulong.MaxValue, vdev.Device.PhysicalId, Iommu.Options.AtsQueueDepth).WriteTo(host);
                            Iommu.Submit(host);
                        }
                    }
                }

                Trace?.Invoke($"INVALIDATE_IOMMU_ALL → {_domains.Count} host DomainID(s) and the ATS devices of this vIOMMU only");
                return Errno.None;
            default:
                return Errno.EIO;
        }
    }

    /// <inheritdoc/>
    public override void Release() => Iommu.Untrack(this); // amd_iommufd_viommu_destroy: list_del from the parent

    internal ulong? AcquireDomain(ulong guestDomainId)
    {
        if (_domains.TryGetValue(guestDomainId, out var m))
        {
            m.Users++;
            return m.HostDomainId;
        }

        var host = Iommu.TryAllocateDomainId();
        if (host is null)
        {
            return null;
        }

        _domains[guestDomainId] = new AmdGuestDomainMapping(guestDomainId, host.Value) { Users = 1 };
        return host;
    }

    internal void Track(AmdNestedDomain domain) => _nested.Add(domain);

    internal void Release(AmdNestedDomain domain)
    {
        _nested.Remove(domain);
        if (!_domains.TryGetValue(domain.GuestDomainId, out var m) || --m.Users > 0)
        {
            return;
        }

        _domains.Remove(domain.GuestDomainId);
        Iommu.FreeDomainTag(m.HostDomainId); // amd_iommu_pdom_id_free; the model also drops the ID's IOTLB entries
    }
}
