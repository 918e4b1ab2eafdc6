using System.Collections.Generic;

namespace HwSpecGen.Core.Iommufd;

/// <summary>A FAULT object: delivers I/O page faults of HWPTs allocated with FAULT_ID_VALID and takes page responses.</summary>
public sealed class FaultQueue : IommufdObject
{
    private readonly Queue<PageRequest> _pending = new();
    private readonly Dictionary<uint, PageRequest> _awaiting = new();
    private uint _cookie;

    internal FaultQueue(uint id)
        : base(id)
    {
    }

    /// <inheritdoc/>
    public override ObjectType Type => ObjectType.Fault;

    /// <summary>Faults not yet read.</summary>
    public int Pending => _pending.Count;

    /// <summary>Queues a fault and returns its cookie.</summary>
    public uint Report(uint deviceId, uint? pasid, uint groupId, ulong address, Translation.Access permissions)
    {
        var r = new PageRequest(deviceId, pasid, groupId, address, permissions, ++_cookie);
        _pending.Enqueue(r);
        _awaiting[r.Cookie] = r;
        return r.Cookie;
    }

    /// <summary>Reads the oldest fault.</summary>
    public bool TryRead(out PageRequest? request) => _pending.TryDequeue(out request);

    /// <summary>Answers a fault; EINVAL for an unknown cookie.</summary>
    public IommufdResult Respond(uint cookie) => _awaiting.Remove(cookie) ? IommufdResult.Ok : Errno.EINVAL;
}
