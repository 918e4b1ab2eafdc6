using System.Collections.Generic;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>
/// What the scenario file itself says the translation should be right now — the guest's current stage-1 entries, which
/// table each device (and PASID) is attached to, and which GPAs the IOAS maps — so a result can be called stale
/// (a cached translation the current tables no longer give) without asking the model.
/// </summary>
public sealed class ScenarioGuestView
{
    private readonly Dictionary<(string Vm, string Table), Dictionary<ulong, (ulong Gpa, int Shift, Access Access)>> _pages = new();
    private readonly Dictionary<(string Vm, string Device, uint Pasid), string> _attached = new();
    private readonly Dictionary<string, List<(ulong Start, ulong End)>> _unmappedGpa = new();

    /// <summary>The guest wrote a leaf entry.</summary>
    public void Map(string vm, string table, ulong iova, ulong gpa, int shift, Access access) => Pages(vm, table)[iova] = (gpa, shift, access);

    /// <summary>The guest cleared the leaf entries covering [iova, +size).</summary>
    public void Unmap(string vm, string table, ulong iova, ulong size)
    {
        var pages = Pages(vm, table);
        foreach (var at in new List<ulong>(pages.Keys))
        {
            var end = at + (1UL << pages[at].Shift);
            if (at < iova + size && end > iova)
            {
                pages.Remove(at);
            }
        }
    }

    /// <summary>The guest attached a device (PASID 0 also serves requests without PASID).</summary>
    public void Attach(string vm, string device, uint? pasid, string table) => _attached[(vm, device, pasid ?? 0)] = table;

    /// <summary>The VMM mapped [gpa, +size) into the IOAS.</summary>
    public void IoasMap(string vm, ulong gpa, ulong size) => Unmapped(vm).RemoveAll(r => r.Start >= gpa && r.End <= gpa + size);

    /// <summary>The VMM unmapped [gpa, +size) from the IOAS.</summary>
    public void IoasUnmap(string vm, ulong gpa, ulong size) => Unmapped(vm).Add((gpa, gpa + size));

    /// <summary>The GPA the current tables give for <paramref name="iova"/> with <paramref name="access"/>, or null when they fault.</summary>
    public ulong? CurrentGpa(string vm, string device, uint? pasid, ulong iova, Access access)
    {
        ulong? gpa;
        if (!_attached.TryGetValue((vm, device, pasid ?? 0), out var table))
        {
            gpa = iova; // not attached: stage 2 only, IOVA = GPA
        }
        else
        {
            gpa = null;
            var pages = Pages(vm, table);
            foreach (var shift in (int[])[12, 21, 30])
            {
                var at = iova & ~((1UL << shift) - 1);
                if (pages.TryGetValue(at, out var p) && p.Shift == shift && (p.Access & access) == access)
                {
                    gpa = p.Gpa + (iova - at);
                }
            }
        }

        return gpa is { } g && Unmapped(vm).TrueForAll(r => g < r.Start || g >= r.End) ? gpa : null;
    }

    private Dictionary<ulong, (ulong Gpa, int Shift, Access Access)> Pages(string vm, string table)
    {
        if (!_pages.TryGetValue((vm, table), out var pages))
        {
            pages = new Dictionary<ulong, (ulong, int, Access)>();
            _pages[(vm, table)] = pages;
        }

        return pages;
    }

    private List<(ulong Start, ulong End)> Unmapped(string vm)
    {
        if (!_unmappedGpa.TryGetValue(vm, out var list))
        {
            list = new List<(ulong, ulong)>();
            _unmappedGpa[vm] = list;
        }

        return list;
    }
}
