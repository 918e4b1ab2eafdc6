using System;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>The memory an SMMUv3 queue lives in: host physical memory for the SMMU's own queues, guest memory for an emulated vSMMU's.</summary>
public interface ISmmuV3Memory
{
    /// <summary>Reads bytes; false when any byte is not backed.</summary>
    bool TryRead(ulong address, Span<byte> destination);

    /// <summary>Writes bytes; false (and nothing written) when any byte is not backed.</summary>
    bool TryWrite(ulong address, ReadOnlySpan<byte> source);
}
