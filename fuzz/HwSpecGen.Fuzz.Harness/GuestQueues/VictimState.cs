using System;
using System.Collections.Generic;
using System.Text;
using HwSpecGen.Core.Caches;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Fuzz.Harness.GuestQueues;

/// <summary>
/// What a guest-queue target records of the victim VM before the attacker's input runs and compares afterwards: named
/// values (registers, counters, host table entries, translations), cache digests and the victim's RAM. Cheap enough
/// for every execution: the RAM is compared page by page only where it was ever written (a page never written reads
/// as zero without storage, <see cref="PhysicalMemory.HasContents"/>), and a page written since shows up as a difference.
/// </summary>
public sealed class VictimState
{
    private readonly List<(string Name, ulong Value)> _values = new();
    private readonly List<(string Name, object? Value)> _objects = new();
    private readonly List<RamPage> _pages = new();

    /// <summary>Adds a named value.</summary>
    /// <param name="name">What it is (for the report).</param>
    /// <param name="value">Its value.</param>
    public void Add(string name, ulong value) => _values.Add((name, value));

    /// <summary>Adds a named byte string (a host table entry) as its words.</summary>
    /// <param name="name">What it is.</param>
    /// <param name="bytes">Its bytes.</param>
    public void Add(string name, ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i < bytes.Length; i += 8)
        {
            ulong w = 0;
            for (var j = 0; j < 8 && i + j < bytes.Length; j++)
            {
                w |= (ulong)bytes[i + j] << (8 * j);
            }

            _values.Add((i == 0 ? name : $"{name} word {i / 8}", w));
        }
    }

    /// <summary>Adds an object compared by reference (the HWPT a device is attached to).</summary>
    /// <param name="name">What it is.</param>
    /// <param name="value">The object.</param>
    public void AddReference(string name, object? value) => _objects.Add((name, value));

    /// <summary>Adds the digest of the entries of <paramref name="cache"/> whose tag is in <paramref name="tags"/> (every entry when null).</summary>
    /// <param name="name">What it is.</param>
    /// <param name="cache">An IOTLB or ATC.</param>
    /// <param name="tags">Tags to keep, or null.</param>
    public void AddCache(string name, TranslationCache cache, IReadOnlySet<ulong>? tags = null)
    {
        var (count, sum) = Digest(cache, tags);
        Add(name + " entries", (ulong)count);
        Add(name + " digest", sum);
    }

    /// <summary>Adds a translation result: output address, page size, source and fault (if any).</summary>
    /// <param name="name">What was translated.</param>
    /// <param name="r">The result.</param>
    public void AddTranslation(string name, TranslationResult r)
    {
        Add(name + " ok", r.IsOk ? 1UL : 0UL);
        Add(name + " hpa", r.IsOk ? r.Hpa : 0);
        Add(name + " page shift", r.IsOk ? (ulong)r.PageShift : 0);
        Add(name + " source", (ulong)r.Source);
    }

    /// <summary>Records every page of <paramref name="memory"/>'s RAM: written or not, and the bytes of written ones.</summary>
    /// <param name="name">The VM.</param>
    /// <param name="memory">Its guest memory.</param>
    public void AddRam(string name, GuestMemory memory)
    {
        foreach (var range in memory.Ranges)
        {
            for (ulong off = 0; off < range.Length; off += PhysicalMemory.PageSize)
            {
                var hpa = range.Hpa + off;
                byte[]? bytes = null;
                if (memory.Host.HasContents(hpa))
                {
                    bytes = new byte[PhysicalMemory.PageSize];
                    memory.Host.TryRead(hpa, bytes);
                }

                _pages.Add(new RamPage(name, range.Gpa + off, memory.Host, hpa, bytes));
            }
        }
    }

    /// <summary>The first difference between this (before) and <paramref name="after"/>, or null when they agree.</summary>
    /// <param name="after">The same values taken afterwards, in the same order.</param>
    /// <returns>A description or null.</returns>
    public string? Difference(VictimState after)
    {
        if (after._values.Count != _values.Count || after._objects.Count != _objects.Count)
        {
            return "the victim's state has a different shape";
        }

        for (var i = 0; i < _values.Count; i++)
        {
            if (_values[i].Value != after._values[i].Value)
            {
                return $"{_values[i].Name}: 0x{_values[i].Value:X} before, 0x{after._values[i].Value:X} after";
            }
        }

        for (var i = 0; i < _objects.Count; i++)
        {
            if (!ReferenceEquals(_objects[i].Value, after._objects[i].Value))
            {
                return $"{_objects[i].Name}: {_objects[i].Value ?? "none"} before, {after._objects[i].Value ?? "none"} after";
            }
        }

        return null;
    }

    /// <summary>The first page of the victim's RAM recorded by <see cref="AddRam"/> that differs now, or null.</summary>
    /// <returns>A description or null.</returns>
    public string? RamDifference()
    {
        Span<byte> now = stackalloc byte[PhysicalMemory.PageSize];
        foreach (var p in _pages)
        {
            var written = p.Host.HasContents(p.Hpa);
            if (p.Bytes is null)
            {
                if (written)
                {
                    p.Host.TryRead(p.Hpa, now);
                    if (now.IndexOfAnyExcept((byte)0) >= 0)
                    {
                        return $"{p.Vm} RAM page at GPA 0x{p.Gpa:X} was written";
                    }
                }

                continue;
            }

            if (!p.Host.TryRead(p.Hpa, now) || !now.SequenceEqual(p.Bytes))
            {
                return $"{p.Vm} RAM page at GPA 0x{p.Gpa:X} changed";
            }
        }

        return null;
    }

    /// <summary>Throws <see cref="FuzzInvariantException"/> when the victim changed.</summary>
    /// <param name="target">The target (for the message).</param>
    /// <param name="after">The state afterwards.</param>
    public void Check(string target, VictimState after)
    {
        var diff = Difference(after) ?? RamDifference();
        FuzzInvariantException.Check(diff is null, $"{target}: VM A's input changed VM B: {diff}");
    }

    /// <summary>An order-independent digest (count, sum of mixed entries) of the entries of <paramref name="cache"/> with a tag in <paramref name="tags"/>.</summary>
    /// <param name="cache">The cache.</param>
    /// <param name="tags">Tags to keep, or null for all.</param>
    /// <returns>Count and digest.</returns>
    public static (int Count, ulong Sum) Digest(TranslationCache cache, IReadOnlySet<ulong>? tags)
    {
        var count = 0;
        ulong sum = 0;
        foreach (var (k, e) in cache.Entries)
        {
            if (tags is not null && !tags.Contains(k.Tag))
            {
                continue;
            }

            count++;
            var h = Mix(k.Tag, k.Space);
            h = Mix(h, k.Base);
            h = Mix(h, ((ulong)(uint)k.PageShift << 32) | (uint)e.PageShift);
            h = Mix(h, e.OutputBase);
            sum += Mix(h, (ulong)e.Permissions);
        }

        return (count, sum);
    }

    /// <summary>The tags of the entries of <paramref name="cache"/>.</summary>
    /// <param name="cache">The cache.</param>
    /// <returns>A new set.</returns>
    public static HashSet<ulong> Tags(TranslationCache cache)
    {
        var tags = new HashSet<ulong>();
        foreach (var (k, _) in cache.Entries)
        {
            tags.Add(k.Tag);
        }

        return tags;
    }

    /// <summary>One line per value, for debugging a report.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var (n, v) in _values)
        {
            sb.Append(n).Append(" = 0x").Append(v.ToString("X")).Append('\n');
        }

        return sb.ToString();
    }

    private static ulong Mix(ulong a, ulong b)
    {
        var x = (a ^ (b * 0x9E37_79B9_7F4A_7C15)) * 0xBF58_476D_1CE4_E5B9;
        x ^= x >> 31;
        return x * 0x94D0_49BB_1331_11EB;
    }

    private sealed record RamPage(string Vm, ulong Gpa, PhysicalMemory Host, ulong Hpa, byte[]? Bytes);
}
