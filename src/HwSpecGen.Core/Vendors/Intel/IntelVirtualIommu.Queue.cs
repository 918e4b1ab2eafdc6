using System;
using HwSpecGen.Hardware.IntelVtd;
using HwSpecGen.Runtime;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>The guest's invalidation queue: IQA / IQH / IQT, the doorbell, decoding and the architected errors.</summary>
public sealed partial class IntelVirtualIommu
{
    private InvalidationQueueAddressRegister _iqa = InvalidationQueueAddressRegister.Create();
    private InvalidationQueueErrorRecordRegister _iqercd = InvalidationQueueErrorRecordRegister.Create();
    private ulong _iqBase;
    private ulong _iqSize;
    private bool _dw256;
    private ulong _head;
    private ulong _tail;
    private ulong _iqtWritten;

    /// <summary>IQA_REG as written.</summary>
    public InvalidationQueueAddressRegister Iqa => _iqa;

    /// <summary>IQERCD_REG: why the queue stopped.</summary>
    public InvalidationQueueErrorRecordRegister Iqercd => _iqercd;

    /// <summary>IQH_REG: the next descriptor the unit fetches (the bad one after an IQE).</summary>
    public ulong HeadRegisterValue => _dw256
        ? InvalidationQueueHeadRegister256.Create().WithQh(_head).GetWord(0)
        : InvalidationQueueHeadRegister.Create().WithQh(_head).GetWord(0);

    /// <summary>The head as a descriptor index.</summary>
    public ulong HeadIndex => _head;

    /// <summary>The tail as a descriptor index (as last accepted).</summary>
    public ulong TailIndex => _tail;

    /// <summary>Descriptors the queue holds while enabled.</summary>
    public ulong QueueSize => _iqSize;

    /// <summary>True when the queue is in 256-bit mode (latched from IQA.DW at enable).</summary>
    public bool DescriptorsAre256Bit => _dw256;

    /// <summary>Descriptors completed since creation.</summary>
    public long CommandsProcessed { get; private set; }

    /// <summary>Queue errors raised since creation.</summary>
    public long QueueErrors { get; private set; }

    /// <summary>Guest device-TLB descriptors (types 3 and 8) completed without being forwarded.</summary>
    public long DeviceTlbDescriptorsAbsorbed { get; private set; }

    private void EnableQueue(bool enable)
    {
        if (enable)
        {
            // vtd_handle_gcmd_qie: latch base, width (honoured with ECAP.SMTS) and size 2^(QS + 8 - DW)
            _dw256 = Ecap.Smts && _iqa.Dw == DescriptorWidth.Bits256;
            _iqBase = _iqa.Iqa;
            _iqSize = _iqa.DescriptorCount;
            _gsts = _gsts.WithQies(true);
            Trace?.Invoke($"GCMD.QIE: {_iqa} ({_iqSize} descriptors of {(_dw256 ? 256 : 128)} bits)");
        }
        else if (_head == _tail)
        {
            _gsts = _gsts.WithQies(false);
            _head = 0;
            _tail = 0;
        }
    }

    /// <summary>An IQT write: record the tail and, while QI is enabled and no IQE is pending, consume the queue.</summary>
    private void Doorbell(ulong value)
    {
        if (_dw256)
        {
            var t = IntelFormatIo.FromWord<InvalidationQueueTailRegister256>(value);
            if (t.HasReservedBitsSet)
            {
                // bit 4 with DW = 1 (QEMU vtd_handle_iqt_write): IQE, tail unchanged
                QueueError(InvalidationQueueErrorInfo.QueueTailMisaligned, $"IQT 0x{value:X}: bit 4 set with 256-bit descriptors");
                return;
            }

            _tail = t.Qt;
            _iqtWritten = InvalidationQueueTailRegister256.Create().WithQt(t.Qt).GetWord(0);
        }
        else
        {
            var t = IntelFormatIo.FromWord<InvalidationQueueTailRegister>(value);
            _tail = t.Qt;
            _iqtWritten = InvalidationQueueTailRegister.Create().WithQt(t.Qt).GetWord(0);
        }

        if (_gsts.Qies && !Faults.Fsts.Iqe)
        {
            Fetch();
        }
    }

    /// <summary>QEMU <c>vtd_fetch_inv_desc</c>: a tail beyond the queue is an IQE; otherwise process until head == tail or an error.</summary>
    private void Fetch()
    {
        if (_tail >= _iqSize)
        {
            QueueError(InvalidationQueueErrorInfo.InvalidTailPointer, $"IQT index {_tail} beyond the {_iqSize}-entry queue");
            return;
        }

        Span<byte> buffer = stackalloc byte[32];
        while (_head != _tail)
        {
            var bytes = buffer[..(_dw256 ? 32 : 16)];
            var address = _iqBase + (_head * (ulong)bytes.Length);
            if (!Guest.TryRead(address, bytes))
            {
                QueueError(InvalidationQueueErrorInfo.DescriptorFetchError, $"IQ[{_head}] at GPA 0x{address:X} is not guest RAM");
                return;
            }

            var error = _dw256 ? Process256(bytes) : Process128(bytes);
            if (error is { } e)
            {
                QueueError(e, null);
                return;
            }

            CommandsProcessed++;
            _head = (_head + 1) % _iqSize;
        }
    }

    private void QueueError(InvalidationQueueErrorInfo info, string? why)
    {
        // vtd_handle_inv_queue_error: FSTS.IQE (fault event), the reason in IQERCD, IQH left on the descriptor
        _iqercd = InvalidationQueueErrorRecordRegister.Create().WithIqei(info);
        QueueErrors++;
        Faults.InvalidationQueueError();
        Trace?.Invoke($"IQE at IQH index {_head}: {info}{(why is null ? string.Empty : " — " + why)}; queue stopped until FSTS.IQE is cleared");
    }

    private InvalidationQueueErrorInfo? Process256(ReadOnlySpan<byte> bytes)
    {
        var set = QiDescriptor256Set.Decode(bytes);
        if (!set.IsKnown)
        {
            Trace?.Invoke($"IQ[{_head}]: {set}");
            return InvalidationQueueErrorInfo.InvalidDescriptorType;
        }

        var v = set.Validate();
        if (!v.IsValid)
        {
            Trace?.Invoke($"IQ[{_head}]: {set} — {Describe(v, set.MemberLayout)}");
            return InvalidationQueueErrorInfo.ReservedFieldViolation;
        }

        var decoded = Trace is null ? null : set.ToString();

        switch (set.Kind)
        {
            case QiDescriptor256Kind.ContextCacheInvalidate256 when set.TryGet(out ContextCacheInvalidate256 c):
                return OnContextCache(decoded, c.G, c.Sid, c.Fm);
            case QiDescriptor256Kind.IotlbInvalidate256 when set.TryGet(out IotlbInvalidate256 t):
                return OnIotlb(decoded, t.G, (ushort)t.Did, t.Am);
            case QiDescriptor256Kind.DeviceTlbInvalidate256:
            case QiDescriptor256Kind.PasidDeviceTlbInvalidate256:
                return OnDeviceTlb(decoded);
            case QiDescriptor256Kind.InterruptEntryCacheInvalidate256:
                return OnNoEffect(decoded, "interrupt-entry cache: no interrupt remapping emulated");
            case QiDescriptor256Kind.InvalidationWait256 when set.TryGet(out InvalidationWait256 w):
                return OnWait(decoded, w.Sw, w.If, w.StatusAddress, (uint)w.StatusData);
            case QiDescriptor256Kind.PasidIotlbInvalidate256 when set.TryGet(out PasidIotlbInvalidate256 p):
                return OnPasidIotlb(decoded, p.G, (ushort)p.Did, (uint)p.Pasid, p.CoveredRange, p.Am, p.Ih);
            case QiDescriptor256Kind.PasidCacheInvalidate256 when set.TryGet(out PasidCacheInvalidate256 pc):
                return OnPasidCache(decoded, pc.G, (ushort)pc.Did, (uint)pc.Pasid);
            default:
                return OnNoEffect(decoded, "page-group response: no page requests delivered to this guest");
        }
    }

    private InvalidationQueueErrorInfo? Process128(ReadOnlySpan<byte> bytes)
    {
        var set = QiDescriptorSet.Decode(bytes);
        if (!set.IsKnown)
        {
            Trace?.Invoke($"IQ[{_head}]: {set}");
            if (set.Opcode is PasidIotlbInvalidate.TypeValue or PasidCacheInvalidate.TypeValue or PasidDeviceTlbInvalidate.TypeValue)
            {
                // QEMU vtd_inv_desc_reserved_check(dw = true): a 256-bit-only descriptor in a 128-bit queue
                return Options.AllowPasidDescriptorsIn128BitQueue ? Process256Widened(bytes) : InvalidationQueueErrorInfo.InvalidDescriptorWidth;
            }

            return InvalidationQueueErrorInfo.InvalidDescriptorType;
        }

        var v = set.Validate();
        if (!v.IsValid)
        {
            Trace?.Invoke($"IQ[{_head}]: {set} — {Describe(v, set.MemberLayout)}");
            return InvalidationQueueErrorInfo.ReservedFieldViolation;
        }

        var decoded = Trace is null ? null : set.ToString();

        switch (set.Kind)
        {
            case QiDescriptorKind.ContextCacheInvalidate when set.TryGet(out ContextCacheInvalidate c):
                return OnContextCache(decoded, c.G, c.Sid, c.Fm);
            case QiDescriptorKind.IotlbInvalidate when set.TryGet(out IotlbInvalidate t):
                return OnIotlb(decoded, t.G, (ushort)t.Did, t.Am);
            case QiDescriptorKind.DeviceTlbInvalidate:
                return OnDeviceTlb(decoded);
            case QiDescriptorKind.InterruptEntryCacheInvalidate:
                return OnNoEffect(decoded, "interrupt-entry cache: no interrupt remapping emulated");
            case QiDescriptorKind.InvalidationWait when set.TryGet(out InvalidationWait w):
                return OnWait(decoded, w.Sw, w.If, w.StatusAddress, (uint)w.StatusData);
            default:
                return OnNoEffect(decoded, "page-group response: no page requests delivered to this guest");
        }
    }

    private InvalidationQueueErrorInfo? Process256Widened(ReadOnlySpan<byte> low)
    {
        Span<byte> wide = stackalloc byte[32];
        low.CopyTo(wide);
        return Process256(wide);
    }

    private string Describe(in Violations v, FormatLayout? layout) =>
        Trace is null || layout is null ? string.Empty : string.Join("; ", v.Describe(layout));

    private InvalidationQueueErrorInfo? OnNoEffect(string? decoded, string why)
    {
        Trace?.Invoke($"IQ[{_head}]: {decoded} → completed, {why}");
        return null;
    }

    private InvalidationQueueErrorInfo? OnDeviceTlb(string? decoded)
    {
        // not forwarded: the host already invalidated the ATC of every ATS device of the nested domain
        DeviceTlbDescriptorsAbsorbed++;
        Trace?.Invoke($"IQ[{_head}]: {decoded} → completed without forwarding (the host synthesizes device-TLB invalidations)");
        return null;
    }

    private InvalidationQueueErrorInfo? OnWait(string? decoded, bool sw, bool interrupt, ulong statusAddress, uint statusData)
    {
        // everything before it has completed (each invalidation above was synchronous)
        if (sw)
        {
            Span<byte> status = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(status, statusData);
            if (!Guest.TryWrite(statusAddress, status))
            {
                Trace?.Invoke($"IQ[{_head}]: {decoded} → status write to GPA 0x{statusAddress:X} failed");
                return InvalidationQueueErrorInfo.InfoNotAvailable;
            }
        }

        if (interrupt)
        {
            RaiseCompletionEvent();
        }

        Trace?.Invoke($"IQ[{_head}]: {decoded} → {(sw ? $"wrote 0x{statusData:X} to GPA 0x{statusAddress:X}" : string.Empty)}{(sw && interrupt ? ", " : string.Empty)}{(interrupt ? "completion event (ICS.IWC)" : string.Empty)}");
        return null;
    }
}
