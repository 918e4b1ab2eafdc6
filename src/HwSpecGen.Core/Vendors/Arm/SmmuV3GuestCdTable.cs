using System;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// A guest's Context Descriptor table in guest memory, as a guest Linux <c>arm_smmu_alloc_cd_tables</c> lays it out:
/// linear (S1Fmt = linear, 2^S1CDMax CDs) or 2-level with 64 KiB leaf tables of 1024 CDs (S1Fmt = 64K_L2, leaf tables
/// allocated on first use and published through L1CDs). CDs and L1CDs are written with the generated structs.
/// </summary>
public sealed class SmmuV3GuestCdTable
{
    private readonly GuestMemory _memory;
    private readonly GuestPageAllocator _allocator;

    /// <summary>Allocates a table for 2^<paramref name="s1CdMax"/> CDs.</summary>
    public SmmuV3GuestCdTable(GuestMemory memory, GuestPageAllocator allocator, int s1CdMax, bool twoLevel)
    {
        _memory = memory;
        _allocator = allocator;
        S1CdMax = s1CdMax;
        Format = twoLevel && s1CdMax > 10 ? S1Format.TwoLevel64K : S1Format.Linear;
        var bytes = Format == S1Format.Linear
            ? (1UL << s1CdMax) * Cd.SizeBytes
            : Math.Max(1UL << (s1CdMax - 10), 1) * L1Cd.SizeBytes;
        Base = allocator.Allocate(Math.Max(bytes, 64), 64);
    }

    /// <summary>GPA of the table (STE.S1ContextPtr).</summary>
    public ulong Base { get; }

    /// <summary>STE.S1CDMax.</summary>
    public int S1CdMax { get; }

    /// <summary>STE.S1Fmt.</summary>
    public S1Format Format { get; }

    /// <summary>The GPA of CD <paramref name="ssid"/> (allocating its leaf table in a 2-level table).</summary>
    public ulong CdAddress(ulong ssid)
    {
        if (Format == S1Format.Linear)
        {
            return Base + CdTableLinearTable.Offset(ssid);
        }

        var l1Address = Base + CdTable64KLevel1Table.Offset(ssid);
        Span<byte> b = stackalloc byte[L1Cd.SizeBytes];
        _memory.TryRead(l1Address, b);
        var l1 = L1Cd.Read(b);
        if (!l1.V)
        {
            var leaf = _allocator.Allocate((ulong)CdTable64KLevel2Table.SizeBytes, (ulong)CdTable64KLevel2Table.SizeBytes);
            l1 = L1Cd.Create().WithV(true).WithL2Ptr(leaf);
            l1.WriteTo(b);
            _memory.TryWrite(l1Address, b);
        }

        return l1.L2Ptr + CdTable64KLevel2Table.Offset(ssid);
    }

    /// <summary>Writes CD <paramref name="ssid"/>.</summary>
    public void Write(ulong ssid, Cd cd)
    {
        Span<byte> b = stackalloc byte[Cd.SizeBytes];
        cd.WriteTo(b);
        _memory.TryWrite(CdAddress(ssid), b);
    }

    /// <summary>Reads CD <paramref name="ssid"/> back.</summary>
    public Cd Read(ulong ssid)
    {
        Span<byte> b = stackalloc byte[Cd.SizeBytes];
        _memory.TryRead(CdAddress(ssid), b);
        return Cd.Read(b);
    }

    /// <summary>
    /// The CD a guest Linux builds for a stage-1 domain (<c>arm_smmu_make_s1_cd</c>): T0SZ 16, TG0 4 KiB, write-back
    /// inner-shareable walks, EPD1, V, IPS 48 bits, AA64, R, A, ASET, the ASID, TTB0 = the table's GPA and the MAIR.
    /// </summary>
    public static Cd MakeS1Cd(ulong asid, ulong ttb0) =>
        Cd.Create().WithT0sz(SmmuV3GuestPageTable.T0sz).WithTg0(TranslationGranule.Granule4K)
            .WithIr0(TableCacheability.WriteBackReadWriteAllocate).WithOr0(TableCacheability.WriteBackReadWriteAllocate).WithSh0(Shareability.InnerShareable)
            .WithEpd1(true).WithV(true).WithIps(AddressSize.Bits48).WithAa64(true).WithR(true).WithA(true).WithAset(true)
            .WithAsid(asid).WithTtb0(ttb0).WithMair0(0x0004FF44).WithMair1(0);
}
