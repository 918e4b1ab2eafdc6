using System.Collections.Generic;
using System.Linq;

namespace HwSpecGen.Core.Iommufd;

/// <summary>An I/O address space: IOVA → pinned memory areas, mirrored into every paging HWPT created on it.</summary>
public sealed class Ioas : IommufdObject
{
    private readonly SortedList<ulong, IoasMapping> _areas = new();

    internal Ioas(uint id)
        : base(id)
    {
    }

    /// <inheritdoc/>
    public override ObjectType Type => ObjectType.Ioas;

    /// <summary>The mapped areas, by IOVA.</summary>
    public IReadOnlyList<IoasMapping> Areas => new System.Collections.ObjectModel.ReadOnlyCollection<IoasMapping>(_areas.Values);

    /// <summary>Paging HWPTs that mirror this IOAS.</summary>
    public List<HwptPaging> Hwpts { get; } = new();

    /// <summary>Ranges pinned by HW queues (unmap over them is EBUSY).</summary>
    public List<(ulong Iova, ulong Length)> Pinned { get; } = new();

    /// <summary>The area holding <paramref name="iova"/>, if any.</summary>
    public IoasMapping? Find(ulong iova)
    {
        foreach (var a in _areas.Values)
        {
            if (iova >= a.Iova && iova <= a.Last)
            {
                return a;
            }
        }

        return null;
    }

    internal bool Overlaps(ulong iova, ulong last) => _areas.Values.Any(a => a.Iova <= last && iova <= a.Last);

    internal void Add(IoasMapping m) => _areas.Add(m.Iova, m);

    internal void Remove(IoasMapping m) => _areas.Remove(m.Iova);
}
