using System;
using HwSpecGen.Core.Memory;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>A VM's guest-physical memory as an emulated vSMMU's queue memory (the VMM reads it at GPAs).</summary>
/// <param name="Memory">The guest memory.</param>
public sealed record SmmuV3GuestMemory(GuestMemory Memory) : ISmmuV3Memory
{
    /// <inheritdoc/>
    public bool TryRead(ulong address, Span<byte> destination) => Memory.TryRead(address, destination);

    /// <inheritdoc/>
    public bool TryWrite(ulong address, ReadOnlySpan<byte> source) => Memory.TryWrite(address, source);
}
