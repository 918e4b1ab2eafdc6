using System;
using System.Collections.Generic;
using System.Numerics;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Caches;

/// <summary>
/// An IOTLB or ATC: translations tagged as the hardware tags them. Lookups are hash probes (one per page size in use,
/// no allocation); invalidations by tag, by address space, or by range, where a range costs in proportion to the entries it
/// removes, not to the size of the range, nor to the other entries of the address space.
/// </summary>
/// <remarks>
/// Layout (see benchmarks/README.md for the numbers): the entries live in one open-addressing table of 24-byte slots
/// (linear probing, backward-shift deletion, at most 3/4 full), keyed by (address space, page base, page size), where an
/// address space is a (tag, space) pair interned to a small id; 8 neighbouring pages of one size share a home and take
/// consecutive slots, so walking through a buffer touches one host cache line per few pages. For range invalidation each address space has a sparse
/// radix tree shaped like a page table: 6 levels of 512-way nodes (9 address bits each, from bit 12), each node a
/// 512-bit map of the entries of its slot size (4 KiB at level 1, 2 MiB at 2, 1 GiB at 3, 512 GiB at 4) and a 512-bit
/// map of its non-empty child nodes, found in a second hash table. A range walk visits only the nodes holding entries in
/// the range (plus the two boundary paths); a range that covers only a few pages is probed directly instead.
/// </remarks>
public sealed class TranslationCache
{
    private const int Levels = 6;
    private const int NodeWords = 16; // 8 words of leaf bits, 8 of child bits
    private const int DirectProbeLimit = 16;
    private const ulong HashMultiplier = 0x9E37_79B9_7F4A_7C15;
    private static readonly int[] Shifts = [12, 21, 30, 39];

    // --- entries
    private Slot[] _slots = new Slot[16];
    private int _count;
    private int _version;
    private readonly int[] _countPerShift = new int[4];
    private int _shiftsInUse;

    // --- address spaces (tag, space) → id
    private readonly Dictionary<(ulong Tag, ulong Space), int> _spaceIds = new();
    private SpaceInfo[] _spaces = new SpaceInfo[4];
    private readonly Stack<int> _freeSpaceIds = new();
    private int _spaceIdCount;
    private ulong _lastTag;
    private ulong _lastSpace;
    private int _lastId = -1;

    // --- radix tree nodes: (space id, level, prefix) → node index; node bits in _nodeBits
    private NodeSlot[] _nodeSlots = new NodeSlot[16];
    private int _nodeSlotCount;
    private ulong[] _nodeBits = new ulong[16 * NodeWords];
    private int[] _nodePopulation = new int[16];
    private readonly Stack<int> _freeNodes = new();
    private int _nodeCount;

    /// <summary>Number of cached pages.</summary>
    public int Count => _count;

    /// <summary>Hits since creation.</summary>
    public long Hits { get; private set; }

    /// <summary>Misses since creation.</summary>
    public long Misses { get; private set; }

    /// <summary>Every cached entry (for tests and traces).</summary>
    public IEnumerable<KeyValuePair<TlbKey, TlbEntry>> Entries
    {
        get
        {
            var version = _version;
            var slots = _slots;
            for (var i = 0; i < slots.Length; i++)
            {
                if (slots[i].Key == 0)
                {
                    continue;
                }

                if (version != _version)
                {
                    throw new InvalidOperationException("the cache changed during enumeration");
                }

                var s = slots[i];
                var shift = Shifts[(int)(s.Key & 0x7) - 1]; // low bits: shift index + 1
                var info = _spaces[s.SpaceId];
                yield return new KeyValuePair<TlbKey, TlbEntry>(
                    new TlbKey(info.Tag, info.Space, s.Key & ~0xFFFUL, shift),
                    new TlbEntry(s.Output, shift, (Access)s.Permissions));
            }
        }
    }

    /// <summary>Looks up the page holding <paramref name="address"/>.</summary>
    public bool TryLookup(ulong tag, ulong space, ulong address, out TlbEntry entry)
    {
        var id = FindSpace(tag, space);
        if (id >= 0)
        {
            var mask = _shiftsInUse;
            while (mask != 0)
            {
                var i = BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                var shift = Shifts[i];
                var slot = FindSlot(id, MakeKey(address, shift, i));
                if (slot >= 0)
                {
                    ref readonly var s = ref _slots[slot];
                    entry = new TlbEntry(s.Output, shift, (Access)s.Permissions);
                    Hits++;
                    return true;
                }
            }
        }

        Misses++;
        entry = default;
        return false;
    }

    /// <summary>Whether the translation of <paramref name="address"/> would hit (no statistics).</summary>
    public bool Contains(ulong tag, ulong space, ulong address)
    {
        var id = FindSpace(tag, space);
        if (id < 0)
        {
            return false;
        }

        for (var i = 0; i < Shifts.Length; i++)
        {
            if (FindSlot(id, MakeKey(address, Shifts[i], i)) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Caches the translation of the page holding <paramref name="address"/>.</summary>
    public void Insert(ulong tag, ulong space, ulong address, TlbEntry entry)
    {
        var shiftIndex = Array.IndexOf(Shifts, entry.PageShift);
        if (shiftIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), $"page shift {entry.PageShift} is not cached");
        }

        var id = GetOrAddSpace(tag, space);
        var key = MakeKey(address, entry.PageShift, shiftIndex);
        var existing = FindSlot(id, key);
        if (existing >= 0)
        {
            _slots[existing].Output = entry.OutputBase;
            _slots[existing].Permissions = (int)entry.Permissions;
            return;
        }

        if ((_count + 1) * 4 > _slots.Length * 3)
        {
            GrowSlots();
        }

        var mask = _slots.Length - 1;
        var h = Home(key, id, mask);
        while (_slots[h].Key != 0)
        {
            h = (h + 1) & mask;
        }

        _slots[h] = new Slot { Key = key, Output = entry.OutputBase, SpaceId = id, Permissions = (int)entry.Permissions };
        _count++;
        _version++;
        _spaces[id].Count++;
        if (_countPerShift[shiftIndex]++ == 0)
        {
            _shiftsInUse |= 1 << shiftIndex;
        }

        IndexAdd(id, key & ~0xFFFUL, shiftIndex + 1);
    }

    /// <summary>Drops everything.</summary>
    public int InvalidateAll()
    {
        var n = _count;
        if (n > 0 || _spaceIdCount > 0)
        {
            Array.Clear(_slots);
            Array.Clear(_nodeSlots);
            Array.Clear(_nodeBits);
            Array.Clear(_nodePopulation);
            Array.Clear(_countPerShift);
            _spaces.AsSpan().Clear();
            _freeNodes.Clear();
            _freeSpaceIds.Clear();
            _spaceIds.Clear();
            _count = 0;
            _nodeCount = 0;
            _nodeSlotCount = 0;
            _spaceIdCount = 0;
            _shiftsInUse = 0;
            _lastId = -1;
            _version++;
        }

        return n;
    }

    /// <summary>Drops every entry with domain tag <paramref name="tag"/>.</summary>
    public int InvalidateTag(ulong tag)
    {
        var removed = 0;
        for (var id = 0; id < _spaceIdCount; id++)
        {
            if (_spaces[id].InUse && _spaces[id].Tag == tag)
            {
                removed += RemoveInRange(id, 0, ulong.MaxValue);
            }
        }

        return removed;
    }

    /// <summary>Drops every entry of one address space.</summary>
    public int InvalidateSpace(ulong tag, ulong space)
    {
        var id = FindSpace(tag, space);
        return id < 0 ? 0 : RemoveInRange(id, 0, ulong.MaxValue);
    }

    /// <summary>Drops every entry of <paramref name="tag"/> (any space) overlapping [start, last].</summary>
    public int InvalidateRangeAllSpaces(ulong tag, ulong start, ulong last)
    {
        if (last < start)
        {
            return 0;
        }

        var removed = 0;
        for (var id = 0; id < _spaceIdCount; id++)
        {
            if (_spaces[id].InUse && _spaces[id].Tag == tag)
            {
                removed += RemoveInRange(id, start, last);
            }
        }

        return removed;
    }

    /// <summary>Drops every entry of one address space overlapping [start, last] (inclusive).</summary>
    public int InvalidateRange(ulong tag, ulong space, ulong start, ulong last)
    {
        if (last < start)
        {
            return 0;
        }

        var id = FindSpace(tag, space);
        return id < 0 ? 0 : RemoveInRange(id, start, last);
    }

    /// <summary>The translation result of a cached entry for <paramref name="address"/>.</summary>
    public static TranslationResult ToResult(TlbEntry entry, ulong address, TranslationSource source) =>
        TranslationResult.Success(entry.OutputBase | (address & ((1UL << entry.PageShift) - 1)), entry.PageShift, entry.Permissions, source);

    // ------------------------------------------------------------------------------------------------ range removal

    private int RemoveInRange(int id, ulong start, ulong last)
    {
        // Few candidate pages: probe them directly (a page invalidation is one probe per page size in use).
        var probes = 0UL;
        var mask = _shiftsInUse;
        while (mask != 0)
        {
            var shift = Shifts[BitOperations.TrailingZeroCount(mask)];
            mask &= mask - 1;
            probes += ((last >> shift) - (start >> shift)) + 1;
            if (probes > DirectProbeLimit)
            {
                break;
            }
        }

        int removed;
        if (probes <= DirectProbeLimit)
        {
            removed = 0;
            mask = _shiftsInUse;
            while (mask != 0)
            {
                var i = BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
                var shift = Shifts[i];
                for (var b = start >> shift; b <= last >> shift; b++)
                {
                    var slot = FindSlot(id, MakeKey(b << shift, shift, i));
                    if (slot >= 0)
                    {
                        RemoveSlot(slot);
                        IndexRemove(id, b << shift, i + 1);
                        removed++;
                    }

                    if (b == ulong.MaxValue >> shift)
                    {
                        break;
                    }
                }
            }
        }
        else
        {
            var root = FindNode(id, Levels, 0);
            if (root < 0)
            {
                return 0;
            }

            removed = WalkRemove(id, root, Levels, 0, start, last);
            if (_nodePopulation[root] == 0)
            {
                FreeNode(id, Levels, 0, root);
            }
        }

        if (removed > 0)
        {
            _version++;
            _spaces[id].Count -= removed;
            if (_spaces[id].Count == 0)
            {
                FreeSpace(id);
            }
        }

        return removed;
    }

    /// <summary>Removes the entries under <paramref name="node"/> (level <paramref name="level"/>, covering from <paramref name="nodeBase"/>) that overlap [start, last]; frees emptied children.</summary>
    private int WalkRemove(int id, int node, int level, ulong nodeBase, ulong start, ulong last)
    {
        var slotShift = SlotShift(level);
        var nodeLast = level == Levels ? ulong.MaxValue : nodeBase + ((1UL << NodeShift(level)) - 1);
        var first = start > nodeBase ? (int)((start - nodeBase) >> slotShift) : 0;
        var lastSlot = last < nodeLast ? (int)((last - nodeBase) >> slotShift) : 511;
        var removed = 0;
        var bits = node * NodeWords;
        for (var w = first >> 6; w <= lastSlot >> 6; w++)
        {
            var lo = w == first >> 6 ? first & 63 : 0;
            var hi = w == lastSlot >> 6 ? lastSlot & 63 : 63;
            var inRange = (hi == 63 ? ulong.MaxValue : (1UL << (hi + 1)) - 1) & (ulong.MaxValue << lo);

            var leaves = _nodeBits[bits + w] & inRange;
            if (leaves != 0)
            {
                _nodeBits[bits + w] &= ~leaves;
                _nodePopulation[node] -= BitOperations.PopCount(leaves);
                var shiftIndex = level - 1;
                while (leaves != 0)
                {
                    var b = BitOperations.TrailingZeroCount(leaves);
                    leaves &= leaves - 1;
                    var pageBase = nodeBase + ((ulong)((w << 6) | b) << slotShift);
                    var slot = FindSlot(id, MakeKey(pageBase, Shifts[shiftIndex], shiftIndex));
                    RemoveSlot(slot);
                    removed++;
                }
            }

            var children = _nodeBits[bits + 8 + w] & inRange;
            while (children != 0)
            {
                var b = BitOperations.TrailingZeroCount(children);
                children &= children - 1;
                var childBase = nodeBase + ((ulong)((w << 6) | b) << slotShift);
                var childPrefix = childBase >> NodeShift(level - 1);
                var child = FindNode(id, level - 1, childPrefix);
                removed += WalkRemove(id, child, level - 1, childBase, start, last);
                if (_nodePopulation[child] == 0)
                {
                    FreeNode(id, level - 1, childPrefix, child);
                    _nodeBits[bits + 8 + w] &= ~(1UL << b);
                    _nodePopulation[node]--;
                }
            }
        }

        return removed;
    }

    // ------------------------------------------------------------------------------------------------ entry table

    private struct Slot
    {
        public ulong Key; // page base | (shift index + 1); 0 = empty
        public ulong Output;
        public int SpaceId;
        public int Permissions;
    }

    private static ulong MakeKey(ulong address, int shift, int shiftIndex) => (address & ~((1UL << shift) - 1)) | (uint)(shiftIndex + 1);

    private static ulong Hash(ulong key, int id)
    {
        // multiply, then fold the well-mixed high half onto the low bits the table index uses
        var h = (key ^ ((ulong)(uint)id * 0xFF51_AFD7_ED55_8CCD)) * HashMultiplier;
        return h ^ (h >> 32);
    }

    /// <summary>
    /// Home slot of an entry: eight neighbouring pages of one size (an aligned group of 8) hash together and take
    /// consecutive slots, so a device or a guest walking through a buffer touches one cache line per few pages instead of
    /// one per page.
    /// </summary>
    private static int Home(ulong key, int id, int mask)
    {
        var shift = 12 + (9 * ((int)(key & 0x7) - 1));
        var within = (key >> shift) & 0x7;
        return (int)((Hash(key & ~(0x7UL << shift), id) + within) & (ulong)mask);
    }

    private int FindSlot(int id, ulong key)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var h = Home(key, id, mask);
        while (true)
        {
            ref readonly var s = ref slots[h];
            if (s.Key == key && s.SpaceId == id)
            {
                return h;
            }

            if (s.Key == 0)
            {
                return -1;
            }

            h = (h + 1) & mask;
        }
    }

    private void RemoveSlot(int i)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var shiftIndex = (int)(slots[i].Key & 0x7) - 1;
        if (--_countPerShift[shiftIndex] == 0)
        {
            _shiftsInUse &= ~(1 << shiftIndex);
        }

        _count--;

        // backward-shift deletion: move later members of the probe run into the hole
        var j = i;
        while (true)
        {
            j = (j + 1) & mask;
            if (slots[j].Key == 0)
            {
                break;
            }

            var home = Home(slots[j].Key, slots[j].SpaceId, mask);
            if (((j - home) & mask) >= ((j - i) & mask))
            {
                slots[i] = slots[j];
                i = j;
            }
        }

        slots[i] = default;
    }

    private void GrowSlots()
    {
        var old = _slots;
        var slots = new Slot[old.Length * 2];
        var mask = slots.Length - 1;
        foreach (var s in old)
        {
            if (s.Key == 0)
            {
                continue;
            }

            var h = Home(s.Key, s.SpaceId, mask);
            while (slots[h].Key != 0)
            {
                h = (h + 1) & mask;
            }

            slots[h] = s;
        }

        _slots = slots;
    }

    // ------------------------------------------------------------------------------------------------ address spaces

    private struct SpaceInfo
    {
        public ulong Tag;
        public ulong Space;
        public int Count;
        public bool InUse;
    }

    private int FindSpace(ulong tag, ulong space)
    {
        if (_lastId >= 0 && _lastTag == tag && _lastSpace == space)
        {
            return _lastId;
        }

        if (!_spaceIds.TryGetValue((tag, space), out var id))
        {
            return -1;
        }

        _lastTag = tag;
        _lastSpace = space;
        _lastId = id;
        return id;
    }

    private int GetOrAddSpace(ulong tag, ulong space)
    {
        var id = FindSpace(tag, space);
        if (id >= 0)
        {
            return id;
        }

        if (_freeSpaceIds.Count > 0)
        {
            id = _freeSpaceIds.Pop();
        }
        else
        {
            id = _spaceIdCount++;
            if (id == _spaces.Length)
            {
                Array.Resize(ref _spaces, _spaces.Length * 2);
            }
        }

        _spaces[id] = new SpaceInfo { Tag = tag, Space = space, InUse = true };
        _spaceIds[(tag, space)] = id;
        _lastTag = tag;
        _lastSpace = space;
        _lastId = id;
        return id;
    }

    private void FreeSpace(int id)
    {
        _spaceIds.Remove((_spaces[id].Tag, _spaces[id].Space));
        _spaces[id] = default;
        _freeSpaceIds.Push(id);
        if (_lastId == id)
        {
            _lastId = -1;
        }
    }

    // ------------------------------------------------------------------------------------------------ radix tree

    private struct NodeSlot
    {
        public ulong Key; // prefix << 3 | level (level >= 1, so never 0 when used)
        public int SpaceId;
        public int Node;
    }

    /// <summary>log2 of the bytes a node of <paramref name="level"/> covers (21, 30, 39, 48, 57, 66).</summary>
    private static int NodeShift(int level) => 12 + (9 * level);

    /// <summary>log2 of the bytes one slot of a node of <paramref name="level"/> covers (12, 21, 30, 39, 48, 57).</summary>
    private static int SlotShift(int level) => 3 + (9 * level);

    private static int SlotIndex(ulong address, int level) => (int)((address >> SlotShift(level)) & 511);

    private static ulong Prefix(ulong address, int level) => level == Levels ? 0 : address >> NodeShift(level);

    private int FindNode(int id, int level, ulong prefix)
    {
        var key = (prefix << 3) | (uint)level;
        var slots = _nodeSlots;
        var mask = slots.Length - 1;
        var h = (int)(Hash(key, id) & (ulong)mask);
        while (true)
        {
            ref readonly var s = ref slots[h];
            if (s.Key == key && s.SpaceId == id)
            {
                return s.Node;
            }

            if (s.Key == 0)
            {
                return -1;
            }

            h = (h + 1) & mask;
        }
    }

    /// <summary>Marks the entry (base, level's page size) in the tree, creating and linking nodes as needed.</summary>
    private void IndexAdd(int id, ulong pageBase, int level)
    {
        var prefix = Prefix(pageBase, level);
        var node = FindNode(id, level, prefix);
        var created = node < 0;
        if (created)
        {
            node = NewNode(id, level, prefix);
        }

        var slot = SlotIndex(pageBase, level);
        _nodeBits[(node * NodeWords) + (slot >> 6)] |= 1UL << (slot & 63);
        _nodePopulation[node]++;

        // a new node is linked into its parent (and so on up, until an existing parent is found)
        while (created && level < Levels)
        {
            level++;
            prefix = Prefix(pageBase, level);
            node = FindNode(id, level, prefix);
            created = node < 0;
            if (created)
            {
                node = NewNode(id, level, prefix);
            }

            slot = SlotIndex(pageBase, level);
            _nodeBits[(node * NodeWords) + 8 + (slot >> 6)] |= 1UL << (slot & 63);
            _nodePopulation[node]++;
        }
    }

    /// <summary>Clears the entry (base, level's page size) in the tree, freeing nodes that become empty.</summary>
    private void IndexRemove(int id, ulong pageBase, int level)
    {
        var prefix = Prefix(pageBase, level);
        var node = FindNode(id, level, prefix);
        var slot = SlotIndex(pageBase, level);
        _nodeBits[(node * NodeWords) + (slot >> 6)] &= ~(1UL << (slot & 63));
        while (--_nodePopulation[node] == 0)
        {
            FreeNode(id, level, prefix, node);
            if (level == Levels)
            {
                break;
            }

            level++;
            prefix = Prefix(pageBase, level);
            node = FindNode(id, level, prefix);
            slot = SlotIndex(pageBase, level);
            _nodeBits[(node * NodeWords) + 8 + (slot >> 6)] &= ~(1UL << (slot & 63));
        }
    }

    private int NewNode(int id, int level, ulong prefix)
    {
        int node;
        if (_freeNodes.Count > 0)
        {
            node = _freeNodes.Pop();
        }
        else
        {
            node = _nodeCount++;
            if (node == _nodePopulation.Length)
            {
                Array.Resize(ref _nodePopulation, _nodePopulation.Length * 2);
                Array.Resize(ref _nodeBits, _nodePopulation.Length * NodeWords);
            }
        }

        if ((_nodeSlotCount + 1) * 4 > _nodeSlots.Length * 3)
        {
            GrowNodeSlots();
        }

        var key = (prefix << 3) | (uint)level;
        var mask = _nodeSlots.Length - 1;
        var h = (int)(Hash(key, id) & (ulong)mask);
        while (_nodeSlots[h].Key != 0)
        {
            h = (h + 1) & mask;
        }

        _nodeSlots[h] = new NodeSlot { Key = key, SpaceId = id, Node = node };
        _nodeSlotCount++;
        return node;
    }

    private void FreeNode(int id, int level, ulong prefix, int node)
    {
        _nodeBits.AsSpan(node * NodeWords, NodeWords).Clear();
        _nodePopulation[node] = 0;
        _freeNodes.Push(node);

        var key = (prefix << 3) | (uint)level;
        var slots = _nodeSlots;
        var mask = slots.Length - 1;
        var i = (int)(Hash(key, id) & (ulong)mask);
        while (!(slots[i].Key == key && slots[i].SpaceId == id))
        {
            i = (i + 1) & mask;
        }

        _nodeSlotCount--;
        var j = i;
        while (true)
        {
            j = (j + 1) & mask;
            if (slots[j].Key == 0)
            {
                break;
            }

            var home = (int)(Hash(slots[j].Key, slots[j].SpaceId) & (ulong)mask);
            if (((j - home) & mask) >= ((j - i) & mask))
            {
                slots[i] = slots[j];
                i = j;
            }
        }

        slots[i] = default;
    }

    private void GrowNodeSlots()
    {
        var old = _nodeSlots;
        var slots = new NodeSlot[old.Length * 2];
        var mask = slots.Length - 1;
        foreach (var s in old)
        {
            if (s.Key == 0)
            {
                continue;
            }

            var h = (int)(Hash(s.Key, s.SpaceId) & (ulong)mask);
            while (slots[h].Key != 0)
            {
                h = (h + 1) & mask;
            }

            slots[h] = s;
        }

        _nodeSlots = slots;
    }
}
