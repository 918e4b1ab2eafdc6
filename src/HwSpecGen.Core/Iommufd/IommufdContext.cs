using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Iommufd;

/// <summary>
/// One open iommufd: the object table with its single id space and the ioctls, with the kernel's argument checks in
/// the kernel's order. Every call returns an errno-like result; a failed call changes nothing.
/// </summary>
public sealed class IommufdContext
{
    /// <summary><c>IOMMU_HWPT_DATA_NONE</c>.</summary>
    public const uint HwptDataNone = 0;

    private const ulong PageMask = 0xFFF;
    private readonly Dictionary<uint, IommufdObject> _objects = new();
    private readonly HashSet<uint> _tombstones = new();
    private uint _nextId = 1;

    /// <summary>Every live object.</summary>
    public IEnumerable<IommufdObject> Objects => _objects.Values;

    /// <summary>Finds an object of type <typeparamref name="T"/>.</summary>
    public T? Get<T>(uint id)
        where T : IommufdObject => _objects.TryGetValue(id, out var o) ? o as T : null;

    /// <summary><c>IOMMU_IOAS_ALLOC</c>.</summary>
    public IommufdResult<Ioas> IoasAlloc() => IommufdResult<Ioas>.Ok(Add(new Ioas(NextId())));

    /// <summary><c>IOMMU_IOAS_MAP</c> with a fixed IOVA: [iova, +length) → host memory at <paramref name="hpa"/>.</summary>
    public IommufdResult IoasMap(uint ioasId, ulong iova, ulong hpa, ulong length, Access permissions)
    {
        if (Get<Ioas>(ioasId) is not { } ioas)
        {
            return Errno.ENOENT;
        }

        if (length == 0 || ((iova | hpa | length) & PageMask) != 0 || iova + length - 1 < iova || (permissions & Access.ReadWrite) == 0)
        {
            return Errno.EINVAL;
        }

        if (ioas.Overlaps(iova, iova + length - 1))
        {
            return Errno.EEXIST;
        }

        var area = new IoasMapping(iova, hpa, length, permissions & Access.ReadWrite);
        foreach (var hwpt in ioas.Hwpts)
        {
            var r = hwpt.PageTable.Map(iova, hpa, length, area.Permissions);
            if (!r.IsOk)
            {
                // undo in the tables already changed: a failed call changes nothing
                foreach (var done in ioas.Hwpts.TakeWhile(h => h != hwpt))
                {
                    done.PageTable.Unmap(iova, length);
                }

                return r;
            }
        }

        ioas.Add(area);
        return IommufdResult.Ok;
    }

    /// <summary><c>IOMMU_IOAS_UNMAP</c>: removes whole areas inside [iova, +length); splitting an area is ENOENT; returns bytes unmapped.</summary>
    public IommufdResult<ulong> IoasUnmap(uint ioasId, ulong iova, ulong length)
    {
        if (Get<Ioas>(ioasId) is not { } ioas)
        {
            return Errno.ENOENT;
        }

        var all = iova == 0 && length == ulong.MaxValue;
        if (length == 0 || (!all && iova + length - 1 < iova))
        {
            return Errno.EINVAL;
        }

        var last = all ? ulong.MaxValue : iova + length - 1;
        var hit = ioas.Areas.Where(a => a.Iova <= last && iova <= a.Last).ToList();
        if (hit.Count == 0)
        {
            return all ? IommufdResult<ulong>.Ok(0) : Errno.ENOENT;
        }

        if (hit.Any(a => a.Iova < iova || a.Last > last))
        {
            return Errno.ENOENT; // would split an area
        }

        if (hit.Any(a => ioas.Pinned.Any(p => p.Iova <= a.Last && a.Iova <= p.Iova + p.Length - 1)))
        {
            return Errno.EBUSY;
        }

        ulong total = 0;
        foreach (var a in hit)
        {
            foreach (var hwpt in ioas.Hwpts)
            {
                hwpt.PageTable.Unmap(a.Iova, a.Length);
                hwpt.Iommu.FlushStage2(hwpt, a.Iova, a.Length);
            }

            ioas.Remove(a);
            total += a.Length;
        }

        return IommufdResult<ulong>.Ok(total);
    }

    /// <summary><c>IOMMU_IOAS_COPY</c>: maps at <paramref name="dstIova"/> of <paramref name="dstIoasId"/> the memory mapped at [srcIova, +length) of the source.</summary>
    public IommufdResult IoasCopy(uint dstIoasId, uint srcIoasId, ulong srcIova, ulong dstIova, ulong length, Access permissions)
    {
        if (Get<Ioas>(srcIoasId) is not { } src || Get<Ioas>(dstIoasId) is null)
        {
            return Errno.ENOENT;
        }

        if (length == 0 || ((srcIova | dstIova | length) & PageMask) != 0)
        {
            return Errno.EINVAL;
        }

        // the source range must be fully mapped; copy it area piece by area piece
        var pieces = new List<(ulong Dst, ulong Hpa, ulong Length)>();
        var at = srcIova;
        while (at < srcIova + length)
        {
            var area = src.Find(at);
            if (area is null)
            {
                return Errno.ENOENT;
            }

            var n = Math.Min(area.Last + 1, srcIova + length) - at;
            pieces.Add((dstIova + (at - srcIova), area.Hpa + (at - area.Iova), n));
            at += n;
        }

        var dst = Get<Ioas>(dstIoasId)!;
        if (dst.Overlaps(dstIova, dstIova + length - 1))
        {
            return Errno.EEXIST;
        }

        foreach (var p in pieces)
        {
            var r = IoasMap(dstIoasId, p.Dst, p.Hpa, p.Length, permissions);
            if (!r.IsOk)
            {
                return r;
            }
        }

        return IommufdResult.Ok;
    }

    /// <summary>What VFIO's bind does: the device becomes an iommufd DEVICE.</summary>
    public IommufdResult<Device> BindDevice(PhysicalIommu iommu, uint physicalId, bool atsCapable, int pasidBits, string? name = null)
    {
        if (_objects.Values.OfType<Device>().Any(d => d.Iommu == iommu && d.PhysicalId == physicalId))
        {
            return Errno.EBUSY;
        }

        return IommufdResult<Device>.Ok(Add(new Device(NextId(), iommu, physicalId, atsCapable, pasidBits, name ?? $"dev{physicalId:X}")));
    }

    /// <summary>The device goes away (VFIO fd closed): detached everywhere; its vDEVICE is destroyed and its id tombstoned.</summary>
    public IommufdResult UnbindDevice(uint deviceId)
    {
        if (Get<Device>(deviceId) is not { } dev)
        {
            return Errno.ENOENT;
        }

        foreach (var pasid in dev.PasidAttachments.Keys.ToList())
        {
            Detach(deviceId, pasid);
        }

        Detach(deviceId, null);
        if (dev.Vdevice is { } v)
        {
            RemoveVdevice(v);
            _tombstones.Add(v.Id);
        }

        dev.Unbound = true;
        dev.Atc.InvalidateAll();
        _objects.Remove(deviceId);
        return IommufdResult.Ok;
    }

    /// <summary><c>IOMMU_GET_HW_INFO</c>: copies the vendor payload into <paramref name="buffer"/> (truncated or zero-filled) and reports the kernel's length.</summary>
    public IommufdResult<HwInfo> GetHwInfo(uint deviceId, Span<byte> buffer)
    {
        if (Get<Device>(deviceId) is not { } dev)
        {
            return Errno.ENOENT;
        }

        var data = dev.Iommu.GetHwInfoData();
        buffer.Clear();
        data.AsSpan(0, Math.Min(data.Length, buffer.Length)).CopyTo(buffer);
        ulong caps = dev.PasidBits > 0 ? 0b110UL : 0UL; // PCI_PASID_EXEC | PCI_PASID_PRIV when the device has PASID
        return IommufdResult<HwInfo>.Ok(new HwInfo(dev.Iommu.HwInfoType, (uint)data.Length, dev.PasidBits > 0 ? dev.Iommu.MaxPasidLog2 : (byte)0, caps));
    }

    /// <summary><c>IOMMU_HWPT_ALLOC</c>, with the core's checks in the kernel's order.</summary>
    /// <param name="deviceId"><c>dev_id</c>.</param>
    /// <param name="ptId"><c>pt_id</c>: an IOAS, a nest-parent HWPT_PAGING or a vIOMMU.</param>
    /// <param name="flags"><c>flags</c>.</param>
    /// <param name="dataType"><c>data_type</c>.</param>
    /// <param name="data">Vendor data; null models a NULL <c>data_uptr</c> with a non-zero <c>data_len</c> given in <paramref name="dataLength"/>.</param>
    /// <param name="dataLength"><c>data_len</c>; defaults to the data's length.</param>
    /// <param name="faultId"><c>fault_id</c>, used with FAULT_ID_VALID.</param>
    public IommufdResult<Hwpt> HwptAlloc(uint deviceId, uint ptId, HwptAllocFlags flags, uint dataType = HwptDataNone, byte[]? data = null, uint? dataLength = null, uint faultId = 0)
    {
        var len = dataLength ?? (uint)(data?.Length ?? 0);
        if ((dataType == HwptDataNone && len != 0) || (dataType != HwptDataNone && len == 0))
        {
            return Errno.EINVAL;
        }

        if (Get<Device>(deviceId) is not { } dev)
        {
            return Errno.ENOENT;
        }

        if (!_objects.TryGetValue(ptId, out var pt))
        {
            return Errno.EINVAL;
        }

        FaultQueue? fault = null;
        Hwpt created;
        switch (pt)
        {
            case Ioas ioas:
                {
                    const HwptAllocFlags allowed = HwptAllocFlags.NestParent | HwptAllocFlags.DirtyTracking | HwptAllocFlags.FaultIdValid | HwptAllocFlags.Pasid;
                    if ((flags & ~allowed) != 0 || dataType != HwptDataNone || (flags & HwptAllocFlags.DirtyTracking) != 0
                        || (flags & (HwptAllocFlags.NestParent | HwptAllocFlags.FaultIdValid)) == (HwptAllocFlags.NestParent | HwptAllocFlags.FaultIdValid))
                    {
                        return Errno.EOPNOTSUPP;
                    }

                    var fr = ResolveFault(flags, faultId, out fault);
                    if (!fr.IsOk)
                    {
                        return fr.Error;
                    }

                    var paging = NewPaging(dev.Iommu, ioas, flags, autoDomain: false);
                    if (!paging.IsOk)
                    {
                        return paging.Error;
                    }

                    created = paging.Value;
                    break;
                }

            case HwptPaging parent:
                {
                    if ((flags & ~(HwptAllocFlags.FaultIdValid | HwptAllocFlags.Pasid)) != 0)
                    {
                        return Errno.EOPNOTSUPP;
                    }

                    if (parent.AutoDomain || !parent.IsNestParent || parent.Iommu != dev.Iommu)
                    {
                        return Errno.EINVAL;
                    }

                    var r = NewNested(dev, parent, null, flags, dataType, data, len, faultId, out fault);
                    if (!r.IsOk)
                    {
                        return r.Error;
                    }

                    created = r.Value;
                    break;
                }

            case Viommu viommu:
                {
                    if (viommu.Iommu != dev.Iommu)
                    {
                        return Errno.EINVAL;
                    }

                    if ((flags & ~(HwptAllocFlags.FaultIdValid | HwptAllocFlags.Pasid)) != 0)
                    {
                        return Errno.EOPNOTSUPP;
                    }

                    var r = NewNested(dev, viommu.Parent, viommu, flags, dataType, data, len, faultId, out fault);
                    if (!r.IsOk)
                    {
                        return r.Error;
                    }

                    created = r.Value;
                    break;
                }

            default:
                return Errno.EINVAL;
        }

        Add(created);
        if (fault is not null)
        {
            created.FaultQueue = fault;
            fault.Users++;
        }

        return IommufdResult<Hwpt>.Ok(created);
    }

    /// <summary>Attaches the device's RID (or a PASID) to an IOAS (auto domain), a HWPT_PAGING or a HWPT_NESTED.</summary>
    public IommufdResult<uint> Attach(uint deviceId, uint? pasid, uint ptId) => AttachOrReplace(deviceId, pasid, ptId, replace: false);

    /// <summary>Replaces the device's current attachment without a blocked window.</summary>
    public IommufdResult<uint> Replace(uint deviceId, uint? pasid, uint ptId) => AttachOrReplace(deviceId, pasid, ptId, replace: true);

    /// <summary>Detaches the device's RID (or a PASID).</summary>
    public IommufdResult Detach(uint deviceId, uint? pasid)
    {
        if (Get<Device>(deviceId) is not { } dev)
        {
            return Errno.ENOENT;
        }

        var current = pasid is null ? dev.Attached : dev.PasidAttachments.GetValueOrDefault(pasid.Value);
        if (current is null)
        {
            return Errno.EINVAL;
        }

        dev.Iommu.Detach(dev, pasid);
        Unlink(dev, pasid, current);
        return IommufdResult.Ok;
    }

    /// <summary><c>IOMMU_VIOMMU_ALLOC</c>.</summary>
    public IommufdResult<Viommu> ViommuAlloc(uint deviceId, uint hwptId, uint viommuType, uint flags = 0)
    {
        if (flags != 0 || viommuType == 0)
        {
            return Errno.EOPNOTSUPP;
        }

        if (Get<Device>(deviceId) is not { } dev)
        {
            return Errno.ENOENT;
        }

        if (Get<HwptPaging>(hwptId) is not { } parent)
        {
            return Errno.ENOENT;
        }

        if (!parent.IsNestParent)
        {
            return Errno.EINVAL;
        }

        if (parent.Iommu != dev.Iommu)
        {
            return Errno.EINVAL;
        }

        var driver = dev.Iommu.AllocViommu(viommuType, parent);
        if (!driver.IsOk)
        {
            return driver.Error;
        }

        var v = Add(new Viommu(NextId(), dev.Iommu, parent, viommuType, driver.Value));
        parent.Users++;
        return IommufdResult<Viommu>.Ok(v);
    }

    /// <summary><c>IOMMU_VDEVICE_ALLOC</c>.</summary>
    public IommufdResult<Vdevice> VdeviceAlloc(uint viommuId, uint deviceId, ulong virtId)
    {
        if (Get<Viommu>(viommuId) is not { } viommu || Get<Device>(deviceId) is not { } dev)
        {
            return Errno.ENOENT;
        }

        if (dev.Iommu != viommu.Iommu)
        {
            return Errno.EINVAL;
        }

        if (dev.Vdevice is not null || viommu.Vdevices.ContainsKey(virtId))
        {
            return Errno.EEXIST;
        }

        var v = Add(new Vdevice(NextId(), viommu, dev, virtId));
        viommu.Vdevices[virtId] = v;
        viommu.Users++;
        dev.Vdevice = v;
        return IommufdResult<Vdevice>.Ok(v);
    }

    /// <summary><c>IOMMU_VEVENTQ_ALLOC</c>: one queue per (vIOMMU, type).</summary>
    public IommufdResult<Veventq> VeventqAlloc(uint viommuId, uint eventType, int depth)
    {
        if (Get<Viommu>(viommuId) is not { } viommu)
        {
            return Errno.ENOENT;
        }

        if (depth <= 0)
        {
            return Errno.EINVAL;
        }

        if (viommu.Veventqs.ContainsKey(eventType))
        {
            return Errno.EEXIST;
        }

        var q = Add(new Veventq(NextId(), viommu, eventType, depth));
        viommu.Veventqs[eventType] = q;
        viommu.Users++;
        return IommufdResult<Veventq>.Ok(q);
    }

    /// <summary><c>IOMMU_FAULT_QUEUE_ALLOC</c>.</summary>
    public IommufdResult<FaultQueue> FaultQueueAlloc() => IommufdResult<FaultQueue>.Ok(Add(new FaultQueue(NextId())));

    /// <summary>
    /// <c>IOMMU_HWPT_INVALIDATE</c> on a HWPT_NESTED or a vIOMMU: entries are handled in order; on the first bad entry the
    /// call fails and <paramref name="entryNum"/> says how many were handled before it (those are not rolled back).
    /// </summary>
    public IommufdResult HwptInvalidate(uint id, uint dataType, uint entryLength, ReadOnlySpan<byte> entries, ref uint entryNum, bool nullPointer = false, uint reserved = 0)
    {
        var requested = entryNum;
        entryNum = 0;
        if (reserved != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        if (requested != 0 && (nullPointer || entryLength == 0))
        {
            return Errno.EINVAL;
        }

        if (requested != 0 && (ulong)entries.Length < (ulong)entryLength * requested)
        {
            return Errno.EFAULT;
        }

        if (!_objects.TryGetValue(id, out var target))
        {
            return Errno.ENOENT;
        }

        IommufdResult result;
        uint done;
        switch (target)
        {
            case HwptNested nested:
                result = nested.Iommu.InvalidateNested(nested, dataType, entryLength, entries, requested, out done);
                break;
            case Viommu viommu:
                result = viommu.Driver.Invalidate(dataType, entryLength, entries, requested, out done);
                break;
            default:
                return Errno.EINVAL;
        }

        entryNum = done;
        return result;
    }

    /// <summary><c>IOMMU_DESTROY</c>: EBUSY while anything holds a reference; ENOENT for unknown or tombstoned ids.</summary>
    public IommufdResult Destroy(uint id)
    {
        if (!_objects.TryGetValue(id, out var o) || o is Device)
        {
            return Errno.ENOENT;
        }

        if (o.Users > 0)
        {
            return Errno.EBUSY;
        }

        switch (o)
        {
            case HwptPaging p:
                p.Ioas.Hwpts.Remove(p);
                p.Ioas.Users--;
                p.Iommu.Iotlb.InvalidateTag(p.DomainTag);
                p.Iommu.FreeDomainTag(p.DomainTag);
                break;
            case HwptNested n:
                if (n.Viommu is not null)
                {
                    n.Viommu.Users--;
                }
                else
                {
                    n.Parent.Users--;
                }

                n.Domain.Release();
                break;
            case Viommu v:
                v.Parent.Users--;
                v.Driver.Release();
                break;
            case Vdevice vd:
                RemoveVdevice(vd);
                return IommufdResult.Ok;
            case Veventq q:
                q.Viommu.Veventqs.Remove(q.EventType);
                q.Viommu.Users--;
                break;
        }

        if (o is Hwpt h && h.FaultQueue is not null)
        {
            h.FaultQueue.Users--;
        }

        _objects.Remove(id);
        return IommufdResult.Ok;
    }

    private void RemoveVdevice(Vdevice vd)
    {
        vd.Viommu.Vdevices.Remove(vd.VirtId);
        vd.Viommu.Users--;
        vd.Device.Vdevice = null;
        _objects.Remove(vd.Id);
    }

    private IommufdResult<uint> AttachOrReplace(uint deviceId, uint? pasid, uint ptId, bool replace)
    {
        if (Get<Device>(deviceId) is not { } dev)
        {
            return Errno.ENOENT;
        }

        if (!_objects.TryGetValue(ptId, out var pt))
        {
            return Errno.ENOENT;
        }

        var current = pasid is null ? dev.Attached : dev.PasidAttachments.GetValueOrDefault(pasid.Value);
        if (pasid is not null)
        {
            if (dev.PasidBits == 0 || pasid.Value >> dev.PasidBits != 0 || pt is Ioas)
            {
                return Errno.EINVAL;
            }

            if (!replace && current is not null)
            {
                return Errno.EBUSY;
            }

            if (replace && current is null)
            {
                return Errno.EINVAL;
            }
        }

        Hwpt target;
        switch (pt)
        {
            case Ioas ioas:
                {
                    var existing = ioas.Hwpts.FirstOrDefault(h => h.Iommu == dev.Iommu && h.AutoDomain);
                    if (existing is null)
                    {
                        var made = NewPaging(dev.Iommu, ioas, HwptAllocFlags.None, autoDomain: true);
                        if (!made.IsOk)
                        {
                            return made.Error;
                        }

                        existing = Add(made.Value);
                    }

                    target = existing;
                    break;
                }

            case Hwpt h:
                if (h.Iommu != dev.Iommu)
                {
                    return Errno.EINVAL;
                }

                if (pasid is not null && (h.Flags & HwptAllocFlags.Pasid) == 0)
                {
                    return Errno.EINVAL;
                }

                target = h;
                break;
            default:
                return Errno.EINVAL;
        }

        if (ReferenceEquals(current, target))
        {
            return IommufdResult<uint>.Ok(target.Id);
        }

        var r = dev.Iommu.Attach(dev, pasid, target);
        if (!r.IsOk)
        {
            DropAutoIfUnused(target);
            return r.Error;
        }

        if (current is not null)
        {
            Unlink(dev, pasid, current);
        }

        if (pasid is null)
        {
            dev.Attached = target;
        }
        else
        {
            dev.PasidAttachments[pasid.Value] = target;
        }

        target.Attached.Add((dev, pasid));
        target.Users++;
        return IommufdResult<uint>.Ok(target.Id);
    }

    private void Unlink(Device dev, uint? pasid, Hwpt hwpt)
    {
        hwpt.Attached.Remove((dev, pasid));
        hwpt.Users--;
        if (pasid is null)
        {
            dev.Attached = null;
        }
        else
        {
            dev.PasidAttachments.Remove(pasid.Value);
        }

        DropAutoIfUnused(hwpt);
    }

    private void DropAutoIfUnused(Hwpt hwpt)
    {
        if (hwpt is HwptPaging { AutoDomain: true, Users: 0 } p)
        {
            Destroy(p.Id);
        }
    }

    private IommufdResult<HwptPaging> NewPaging(PhysicalIommu iommu, Ioas ioas, HwptAllocFlags flags, bool autoDomain)
    {
        var table = iommu.CreatePageTable();
        foreach (var a in ioas.Areas)
        {
            var r = table.Map(a.Iova, a.Hpa, a.Length, a.Permissions);
            if (!r.IsOk)
            {
                return r.Error;
            }
        }

        var hwpt = new HwptPaging(NextId(), iommu, flags, ioas, table, iommu.AllocateDomainTag(), autoDomain);
        ioas.Hwpts.Add(hwpt);
        ioas.Users++;
        return IommufdResult<HwptPaging>.Ok(hwpt);
    }

    private IommufdResult<HwptNested> NewNested(Device dev, HwptPaging parent, Viommu? viommu, HwptAllocFlags flags, uint dataType, byte[]? data, uint len, uint faultId, out FaultQueue? fault)
    {
        fault = null;
        if (len == 0)
        {
            return Errno.EOPNOTSUPP;
        }

        var fr = ResolveFault(flags, faultId, out fault);
        if (!fr.IsOk)
        {
            return fr.Error;
        }

        if (data is null)
        {
            return Errno.EFAULT;
        }

        var domain = dev.Iommu.AllocNested(parent, viommu, flags, dataType, data.AsSpan(0, (int)Math.Min(len, (uint)data.Length)));
        if (!domain.IsOk)
        {
            fault = null;
            return domain.Error;
        }

        var hwpt = new HwptNested(NextId(), dev.Iommu, flags, parent, viommu, domain.Value);
        if (viommu is not null)
        {
            viommu.Users++;
        }
        else
        {
            parent.Users++;
        }

        return IommufdResult<HwptNested>.Ok(hwpt);
    }

    private IommufdResult ResolveFault(HwptAllocFlags flags, uint faultId, out FaultQueue? fault)
    {
        fault = null;
        if ((flags & HwptAllocFlags.FaultIdValid) == 0)
        {
            return IommufdResult.Ok;
        }

        fault = Get<FaultQueue>(faultId);
        return fault is null ? Errno.ENOENT : IommufdResult.Ok;
    }

    private uint NextId() => _nextId++;

    private T Add<T>(T o)
        where T : IommufdObject
    {
        _objects[o.Id] = o;
        return o;
    }
}
