using System.Collections.Generic;

namespace HwSpecGen.Core.Iommufd;

/// <summary>A virtual event queue of a vIOMMU (bounded; overflow sets the lost-events indication).</summary>
public sealed class Veventq : IommufdObject
{
    private readonly Queue<VeventRecord> _records = new();
    private uint _sequence;
    private bool _lost;

    internal Veventq(uint id, Viommu viommu, uint eventType, int depth)
        : base(id)
    {
        Viommu = viommu;
        EventType = eventType;
        Depth = depth;
    }

    /// <inheritdoc/>
    public override ObjectType Type => ObjectType.Veventq;

    /// <summary>The vIOMMU.</summary>
    public Viommu Viommu { get; }

    /// <summary><c>enum iommu_veventq_type</c>.</summary>
    public uint EventType { get; }

    /// <summary>Maximum queued records.</summary>
    public int Depth { get; }

    /// <summary>Records waiting to be read.</summary>
    public int Count => _records.Count;

    /// <summary>Queues a record; when full the record is dropped and the next one carries the lost flag.</summary>
    public void Report(byte[] payload)
    {
        var seq = _sequence++;
        if (_records.Count >= Depth)
        {
            _lost = true;
            return;
        }

        _records.Enqueue(new VeventRecord(seq, _lost, payload));
        _lost = false;
    }

    /// <summary>Reads the oldest record.</summary>
    public bool TryRead(out VeventRecord? record) => _records.TryDequeue(out record);
}
