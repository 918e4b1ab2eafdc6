using System;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// An SMMUv3 Command queue: 16-byte entries in memory at CMDQ_BASE, producer index CMDQ_PROD written by software (the
/// doorbell), consumer index CMDQ_CONS advanced by the SMMU as commands complete, and the error state of Arm IHI 0070 §7.1:
/// a failing command stops consumption with CMDQ_CONS.ERR = the code and CONS.RD on the command, GERROR.CMDQ_ERR toggles
/// so that it differs from GERRORN.CMDQ_ERR, and nothing more is consumed until software writes GERRORN to match. All
/// registers are the generated register structs.
/// </summary>
public sealed class SmmuV3CommandQueue
{
    private readonly ISmmuV3Memory _memory;
    private readonly int _maxLog2Size;

    /// <summary>Creates a queue over <paramref name="memory"/> (queue size capped at <paramref name="maxLog2Size"/>, SMMU_IDR1.CMDQS).</summary>
    public SmmuV3CommandQueue(ISmmuV3Memory memory, CmdqBase cmdqBase, int maxLog2Size = 19)
    {
        _memory = memory;
        _maxLog2Size = maxLog2Size;
        Base = cmdqBase;
    }

    /// <summary>Creates the SMMU's own queue of 2^<paramref name="log2Size"/> entries in host memory.</summary>
    public SmmuV3CommandQueue(Memory.PhysicalMemory memory, Memory.PageAllocator allocator, int log2Size)
        : this(new SmmuV3HostMemory(memory), CmdqBase.Create()
            .WithAddr(allocator.Allocate(Math.Max((1UL << log2Size) * CommandSet.SizeBytes, Memory.PhysicalMemory.PageSize), Math.Max((1UL << log2Size) * CommandSet.SizeBytes, 32)))
            .WithLog2Size((ulong)log2Size).WithRa(true))
    {
    }

    /// <summary>SMMU_CMDQ_BASE (software may reprogram it while the queue is idle).</summary>
    public CmdqBase Base { get; set; }

    /// <summary>SMMU_CMDQ_PROD as last written (RES0 bits above the wrap flag are stored but ignored).</summary>
    public CmdqProd Prod { get; private set; }

    /// <summary>SMMU_CMDQ_CONS.</summary>
    public CmdqCons Cons { get; private set; }

    /// <summary>SMMU_GERROR (the CMDQ_ERR bit is owned by this queue).</summary>
    public Gerror Gerror { get; private set; }

    /// <summary>SMMU_GERRORN as last written by software.</summary>
    public Gerrorn Gerrorn { get; private set; }

    /// <summary>SMMU_CR0.CMDQEN.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The effective queue size (LOG2SIZE capped at CMDQS).</summary>
    public int Log2Size => (int)Math.Min(Base.Log2Size, (ulong)_maxLog2Size);

    /// <summary>GERROR.CMDQ_ERR differs from GERRORN.CMDQ_ERR: the queue is stopped.</summary>
    public bool ErrorActive => Gerror.CmdqErr != Gerrorn.CmdqErr;

    /// <summary>No command is waiting.</summary>
    public bool IsEmpty => SmmuV3QueueIndex.IsEmpty(Prod.Wr, Cons.Rd, Log2Size);

    /// <summary>No slot is free.</summary>
    public bool IsFull => SmmuV3QueueIndex.IsFull(Prod.Wr, Cons.Rd, Log2Size);

    /// <summary>The memory address of slot <paramref name="index"/>.</summary>
    public ulong SlotAddress(ulong index) => Base.Addr + (SmmuV3QueueIndex.Index(index, Log2Size) * CommandSet.SizeBytes);

    /// <summary>Software writing SMMU_CMDQ_PROD (the doorbell); the caller then lets the consumer run.</summary>
    public void WriteProd(CmdqProd value) => Prod = value;

    /// <summary>Software writing SMMU_GERRORN (acknowledging an error resumes consumption from CONS).</summary>
    public void WriteGerrorn(Gerrorn value) => Gerrorn = value;

    /// <summary>Software (re)initialising SMMU_CMDQ_CONS while the queue is disabled.</summary>
    public void WriteCons(CmdqCons value) => Cons = value;

    /// <summary>Producer helper: writes <paramref name="command"/> at PROD and advances PROD; false when the queue is full or the slot cannot be written.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> command)
    {
        if (IsFull || !_memory.TryWrite(SlotAddress(Prod.Wr), command[..CommandSet.SizeBytes]))
        {
            return false;
        }

        Prod = Prod.WithWr(SmmuV3QueueIndex.Increment(Prod.Wr, Log2Size));
        return true;
    }

    /// <summary>Software overwriting the command at CONS (Linux <c>__arm_smmu_cmdq_skip_err</c> puts a CMD_SYNC there).</summary>
    public bool OverwriteAtCons(ReadOnlySpan<byte> command) => _memory.TryWrite(SlotAddress(Cons.Rd), command[..CommandSet.SizeBytes]);

    /// <summary>
    /// The consumer: fetches and executes commands from CONS while the queue is enabled, not empty and no error is active.
    /// A fetch that cannot be read is CERROR_ABT. Returns the number of commands completed.
    /// </summary>
    public int Consume(ISmmuV3CommandExecutor executor)
    {
        var done = 0;
        Span<byte> raw = stackalloc byte[CommandSet.SizeBytes];
        while (Enabled && !ErrorActive && !IsEmpty)
        {
            if (SmmuV3QueueIndex.Count(Prod.Wr, Cons.Rd, Log2Size) > 1UL << Log2Size)
            {
                // PROD moved the pointer further than the queue holds (CONSTRAINED UNPREDICTABLE): the model consumes nothing.
                return done;
            }

            var error = _memory.TryRead(SlotAddress(Cons.Rd), raw)
                ? executor.Execute(CommandSet.Decode(raw), raw, SmmuV3QueueIndex.Index(Cons.Rd, Log2Size))
                : CommandError.Abt;
            if (error != CommandError.None)
            {
                Cons = Cons.WithErr(error);
                Gerror = Gerror.WithCmdqErr(!Gerrorn.CmdqErr);
                return done;
            }

            Cons = Cons.WithRd(SmmuV3QueueIndex.Increment(Cons.Rd, Log2Size));
            done++;
        }

        return done;
    }
}
