using System;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// The host stream table in host memory, linear or 2-level (SPLIT = 8, level-2 arrays of 256 STEs allocated on first
/// use as Linux <c>arm_smmu_init_l2_strtab</c> does). Its base registers are the generated <see cref="StrtabBase"/> and
/// <see cref="StrtabBaseCfg"/>; STEs and L1STDs are read and written through <see cref="Ste"/> and <see cref="L1Std"/>.
/// </summary>
public sealed class SmmuV3StreamTable
{
    private const int Split = 8;
    private readonly PhysicalMemory _memory;
    private readonly PageAllocator _allocator;

    /// <summary>Allocates an empty (all-invalid) table for <paramref name="sidBits"/>-bit StreamIDs.</summary>
    public SmmuV3StreamTable(PhysicalMemory memory, PageAllocator allocator, int sidBits, bool twoLevel)
    {
        _memory = memory;
        _allocator = allocator;
        var log2Size = (ulong)sidBits;
        ulong bytes = twoLevel ? (1UL << (sidBits - Split)) * L1Std.SizeBytes : (1UL << sidBits) * Ste.SizeBytes;
        var table = allocator.Allocate(Math.Max(bytes, PhysicalMemory.PageSize), Math.Max(bytes, 64));
        Base = StrtabBase.Create().WithAddr(table).WithRa(true);
        BaseCfg = StrtabBaseCfg.Create().WithLog2Size(log2Size).WithFmt(twoLevel ? 1UL : 0UL).WithSplit(twoLevel ? Split : 0UL);
    }

    /// <summary>SMMU_STRTAB_BASE.</summary>
    public StrtabBase Base { get; }

    /// <summary>SMMU_STRTAB_BASE_CFG.</summary>
    public StrtabBaseCfg BaseCfg { get; }

    /// <summary>True for a 2-level table.</summary>
    public bool TwoLevel => BaseCfg.Fmt == 1;

    /// <summary>
    /// The SMMU's STE fetch for <paramref name="sid"/>: C_BAD_STREAMID when the StreamID is out of range or its L1STD
    /// is invalid, F_STE_FETCH when memory cannot be read. <paramref name="fetchAddress"/> is the STE's address (or the
    /// address that could not be read).
    /// </summary>
    public bool TryRead(uint sid, out Ste ste, out string? error, out ulong fetchAddress)
    {
        ste = default;
        error = null;
        fetchAddress = 0;
        if (!TryLocate(sid, allocate: false, out var address, out error, out fetchAddress))
        {
            return false;
        }

        Span<byte> b = stackalloc byte[Ste.SizeBytes];
        if (!_memory.TryRead(address, b))
        {
            error = "F_STE_FETCH";
            fetchAddress = address;
            return false;
        }

        ste = Ste.Read(b);
        fetchAddress = address;
        return true;
    }

    /// <summary>The driver writing the STE of <paramref name="sid"/> (allocating its level-2 array if needed).</summary>
    public void Write(uint sid, Ste ste)
    {
        if (!TryLocate(sid, allocate: true, out var address, out var error, out _))
        {
            throw new ArgumentOutOfRangeException(nameof(sid), $"StreamID 0x{sid:X} is not covered by the stream table ({error})");
        }

        Span<byte> b = stackalloc byte[Ste.SizeBytes];
        ste.WriteTo(b);
        _memory.TryWrite(address, b);
    }

    private bool TryLocate(uint sid, bool allocate, out ulong address, out string? error, out ulong fetchAddress)
    {
        address = 0;
        error = null;
        fetchAddress = 0;
        if (BaseCfg.Log2Size < 32 && sid >> (int)BaseCfg.Log2Size != 0)
        {
            error = "C_BAD_STREAMID";
            return false;
        }

        if (!TwoLevel)
        {
            address = Base.Addr + StreamTableLinearTable.Offset(sid);
            return true;
        }

        var l1Address = Base.Addr + StreamTableSplit8Level1Table.Offset(sid);
        Span<byte> b = stackalloc byte[L1Std.SizeBytes];
        if (!_memory.TryRead(l1Address, b))
        {
            error = "F_STE_FETCH";
            fetchAddress = l1Address;
            return false;
        }

        var l1 = L1Std.Read(b);
        if (l1.Span == 0 && allocate)
        {
            var l2 = _allocator.Allocate((ulong)StreamTableSplit8Level2Table.SizeBytes, (ulong)StreamTableSplit8Level2Table.SizeBytes);
            l1 = L1Std.Create().WithSpan(Split + 1).WithL2Ptr(l2);
            l1.WriteTo(b);
            _memory.TryWrite(l1Address, b);
        }

        if (!l1.IsValid)
        {
            error = "C_BAD_STREAMID";
            return false;
        }

        // Span = n: the level-2 array holds 2^(n-1) STEs; a StreamID beyond it has no STE.
        var index = StreamTableSplit8Level2Table.Index(sid);
        if (index >> (int)(l1.Span - 1) != 0)
        {
            error = "C_BAD_STREAMID";
            return false;
        }

        address = l1.L2Ptr + StreamTableSplit8Level2Table.Offset(sid);
        return true;
    }
}
