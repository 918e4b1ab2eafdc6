using System;
using HwSpecGen.Core.Memory;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>Host physical memory as an SMMU queue's memory.</summary>
/// <param name="Memory">The host memory.</param>
public sealed record SmmuV3HostMemory(PhysicalMemory Memory) : ISmmuV3Memory
{
    /// <inheritdoc/>
    public bool TryRead(ulong address, Span<byte> destination) => Memory.TryRead(address, destination);

    /// <inheritdoc/>
    public bool TryWrite(ulong address, ReadOnlySpan<byte> source) => Memory.TryWrite(address, source);
}
