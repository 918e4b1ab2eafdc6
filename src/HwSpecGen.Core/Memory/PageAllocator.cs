using System;

namespace HwSpecGen.Core.Memory;

/// <summary>Hands out naturally aligned, backed, zeroed chunks of a physical memory region (host page tables, device tables, queues).</summary>
public sealed class PageAllocator
{
    private readonly PhysicalMemory _memory;
    private readonly ulong _limit;
    private ulong _next;

    /// <summary>Creates an allocator over [<paramref name="start"/>, <paramref name="limit"/>).</summary>
    public PageAllocator(PhysicalMemory memory, ulong start, ulong limit)
    {
        _memory = memory;
        _next = start;
        _limit = limit;
    }

    /// <summary>Bytes handed out so far.</summary>
    public ulong Used { get; private set; }

    /// <summary>Allocates <paramref name="size"/> bytes aligned to <paramref name="alignment"/> (a power of two, at least 8); null when the region is full.</summary>
    public ulong? TryAllocate(ulong size, ulong alignment = PhysicalMemory.PageSize)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), "alignment must be a power of two");
        }

        var start = (_next + alignment - 1) & ~(alignment - 1);
        if (start + size > _limit || start + size < start)
        {
            return null;
        }

        _next = start + size;
        Used += size;
        _memory.Back(start, size);
        return start;
    }

    /// <summary>Allocates or throws <see cref="InvalidOperationException"/> (for set-up code, where running out is a bug in the scenario).</summary>
    public ulong Allocate(ulong size, ulong alignment = PhysicalMemory.PageSize) =>
        TryAllocate(size, alignment) ?? throw new InvalidOperationException($"physical region exhausted allocating {size} bytes");
}
