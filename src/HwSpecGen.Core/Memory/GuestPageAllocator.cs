using System;

namespace HwSpecGen.Core.Memory;

/// <summary>Hands out zeroed, aligned guest-physical chunks from a RAM range (for the guest's own page tables, context tables and queues).</summary>
public sealed class GuestPageAllocator
{
    private readonly GuestMemory _memory;
    private readonly ulong _limit;
    private ulong _next;

    /// <summary>Allocates from [<paramref name="startGpa"/>, <paramref name="limitGpa"/>), which must be guest RAM.</summary>
    public GuestPageAllocator(GuestMemory memory, ulong startGpa, ulong limitGpa)
    {
        _memory = memory;
        _next = startGpa;
        _limit = limitGpa;
    }

    /// <summary>Allocates <paramref name="size"/> zeroed bytes aligned to <paramref name="alignment"/>; returns the GPA.</summary>
    public ulong Allocate(ulong size, ulong alignment = PhysicalMemory.PageSize)
    {
        var start = (_next + alignment - 1) & ~(alignment - 1);
        if (start + size > _limit)
        {
            throw new InvalidOperationException($"guest allocator exhausted allocating {size} bytes");
        }

        _next = start + size;
        if (!_memory.TryWrite(start, new byte[size]))
        {
            throw new InvalidOperationException($"GPA 0x{start:X} is not guest RAM");
        }

        return start;
    }
}
