using System;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.IntelVtd;
using HwSpecGen.Runtime;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// The guest driver's side of queued invalidation (Linux <c>qi_submit_sync</c> running in the guest): a queue in guest
/// memory, descriptors written with the generated encoders at the driver's tail, a wait descriptor with a status write,
/// and the IQT write (the doorbell) to the emulated unit.
/// </summary>
public sealed class IntelGuestQueue
{
    private readonly GuestMemory _memory;
    private readonly IntelVirtualIommu _viommu;
    private ulong _tail;
    private uint _waits;

    /// <summary>Allocates a queue of 4 KiB × 2^<paramref name="qs"/> with 256-bit (or 128-bit) descriptors and enables it (IQA, GCMD.QIE).</summary>
    public IntelGuestQueue(IntelVirtualIommu viommu, GuestMemory memory, GuestPageAllocator allocator, bool descriptors256 = true, int qs = 0)
    {
        _memory = memory;
        _viommu = viommu;
        Base = allocator.Allocate((ulong)PhysicalMemory.PageSize << qs, PhysicalMemory.PageSize);
        StatusArea = allocator.Allocate(PhysicalMemory.PageSize);
        Iqa = InvalidationQueueAddressRegister.Create().WithQs((ulong)qs).WithDw(descriptors256 ? DescriptorWidth.Bits256 : DescriptorWidth.Bits128).WithIqa(Base);
        viommu.WriteRegister(VtdRegister.InvalidationQueueAddress, Iqa.GetWord(0));
        var gcmd = viommu.PersistentCommand.WithQie(true);
        viommu.WriteRegister(VtdRegister.GlobalCommand, gcmd.GetWord(0));
    }

    /// <summary>GPA of the queue.</summary>
    public ulong Base { get; }

    /// <summary>GPA of the page holding wait-descriptor status words.</summary>
    public ulong StatusArea { get; }

    /// <summary>IQA_REG as programmed.</summary>
    public InvalidationQueueAddressRegister Iqa { get; }

    /// <summary>Descriptor size in bytes.</summary>
    public int DescriptorBytes => Iqa.DescriptorBytes;

    /// <summary>The driver's tail index.</summary>
    public ulong Tail => _tail;

    /// <summary>GPA of the slot at index <paramref name="index"/>.</summary>
    public ulong SlotAddress(ulong index) => Base + (index * (ulong)DescriptorBytes);

    /// <summary>Writes a descriptor at the tail (its first <see cref="DescriptorBytes"/> bytes) without ringing the doorbell.</summary>
    public void Write<T>(T descriptor)
        where T : struct, IHardwareFormat<T>
    {
        Span<byte> b = stackalloc byte[32];
        b.Clear();
        descriptor.WriteTo(b[..T.ByteSize]);
        WriteRaw(b[..DescriptorBytes]);
    }

    /// <summary>Writes raw bytes as the next descriptor (random or hostile ones).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        Span<byte> b = stackalloc byte[32];
        b.Clear();
        bytes[..Math.Min(bytes.Length, DescriptorBytes)].CopyTo(b);
        _memory.TryWrite(SlotAddress(_tail), b[..DescriptorBytes]);
        _tail = (_tail + 1) % Iqa.DescriptorCount;
    }

    /// <summary>Appends a wait descriptor (status write of <c>QI_DONE</c>, optionally IF) and returns the status slot's GPA.</summary>
    public ulong WriteWait(bool interrupt = false)
    {
        var slot = StatusArea + ((_waits++ % 1024) * 4);
        _memory.TryWrite(slot, BitConverter.GetBytes(IntelVtdIommu.QiInUse));
        var wait = InvalidationWait256.Create().WithSw(true).WithIf(interrupt).WithStatusData(IntelVtdIommu.QiDone).WithStatusAddress(slot);
        Write(wait);
        return slot;
    }

    /// <summary>Rings the doorbell: writes IQT with the driver's tail.</summary>
    public void Ring() => _viommu.WriteRegister(VtdRegister.InvalidationQueueTail, TailRegisterValue(_tail));

    /// <summary>The IQT value for tail index <paramref name="index"/> in this queue's width.</summary>
    public ulong TailRegisterValue(ulong index) => Iqa.Dw == DescriptorWidth.Bits256
        ? InvalidationQueueTailRegister256.Create().WithQt(index).GetWord(0)
        : InvalidationQueueTailRegister.Create().WithQt(index).GetWord(0);

    /// <summary>True when the status word at <paramref name="slot"/> says <c>QI_DONE</c>.</summary>
    public bool IsDone(ulong slot)
    {
        Span<byte> b = stackalloc byte[4];
        return _memory.TryRead(slot, b) && BitConverter.ToUInt32(b) == IntelVtdIommu.QiDone;
    }

    /// <summary>Writes the descriptors and a wait, rings, and reports whether the wait completed (qi_submit_sync).</summary>
    public bool SubmitSync(params IQiCommand[] commands)
    {
        foreach (var c in commands)
        {
            c.WriteTo(this);
        }

        var slot = WriteWait();
        Ring();
        return IsDone(slot);
    }

    /// <summary>After an IQE: the guest clears FSTS.IQE (write 1), rewinds its tail to IQH and may ring again.</summary>
    public void RecoverFromError()
    {
        _viommu.WriteRegister(VtdRegister.FaultStatus, FaultStatusRegister.Create().WithIqe(true).GetWord(0));
        _tail = _viommu.HeadIndex;
    }
}
