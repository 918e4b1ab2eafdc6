using System;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// The host Event queue: a ring of 32-byte records in host memory described by the generated
/// <see cref="EventqBase"/>, <see cref="EventqProd"/> and <see cref="EventqCons"/> registers. The SMMU writes at PROD
/// (an overflowing record is lost and PROD.OVFLG toggles, Arm IHI 0070 §7.4); the driver consumes at CONS.
/// </summary>
public sealed class SmmuV3EventQueue
{
    private readonly PhysicalMemory _memory;

    /// <summary>Allocates a queue of 2^<paramref name="log2Size"/> records.</summary>
    public SmmuV3EventQueue(PhysicalMemory memory, PageAllocator allocator, int log2Size)
    {
        _memory = memory;
        var bytes = (1UL << log2Size) * EventSet.SizeBytes;
        Base = EventqBase.Create().WithAddr(allocator.Allocate(Math.Max(bytes, PhysicalMemory.PageSize), Math.Max(bytes, 32))).WithLog2Size((ulong)log2Size).WithWa(true);
        Prod = EventqProd.Create();
        Cons = EventqCons.Create();
    }

    /// <summary>SMMU_EVENTQ_BASE.</summary>
    public EventqBase Base { get; }

    /// <summary>SMMU_EVENTQ_PROD (written by the SMMU).</summary>
    public EventqProd Prod { get; private set; }

    /// <summary>SMMU_EVENTQ_CONS (written by software).</summary>
    public EventqCons Cons { get; private set; }

    /// <summary>Records lost to overflow since creation.</summary>
    public int Lost { get; private set; }

    private int Log2Size => (int)Base.Log2Size;

    /// <summary>The SMMU recording an event: writes the record at PROD unless the queue is full.</summary>
    public bool Record(ReadOnlySpan<byte> record)
    {
        if (SmmuV3QueueIndex.IsFull(Prod.Wr, Cons.Rd, Log2Size))
        {
            Lost++;
            if (Prod.OvFlg == Cons.OvAckFlg)
            {
                Prod = Prod.WithOvFlg(!Prod.OvFlg);
            }

            return false;
        }

        var slot = Base.Addr + (SmmuV3QueueIndex.Index(Prod.Wr, Log2Size) * EventSet.SizeBytes);
        if (!_memory.TryWrite(slot, record[..EventSet.SizeBytes]))
        {
            return false;
        }

        Prod = Prod.WithWr(SmmuV3QueueIndex.Increment(Prod.Wr, Log2Size));
        return true;
    }

    /// <summary>The driver reading the record at CONS and advancing CONS; false when the queue is empty.</summary>
    public bool TryConsume(Span<byte> record)
    {
        if (SmmuV3QueueIndex.IsEmpty(Prod.Wr, Cons.Rd, Log2Size))
        {
            return false;
        }

        var slot = Base.Addr + (SmmuV3QueueIndex.Index(Cons.Rd, Log2Size) * EventSet.SizeBytes);
        _memory.TryRead(slot, record[..EventSet.SizeBytes]);
        Cons = Cons.WithRd(SmmuV3QueueIndex.Increment(Cons.Rd, Log2Size)).WithOvAckFlg(Prod.OvFlg);
        return true;
    }
}
