using System;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// The primary fault-logging logic of a VT-d unit, as QEMU <c>vtd_report_frcd_fault</c> / <c>vtd_generate_fault_event</c>
/// implement it: FSTS (PFO, PPF, FRI, IQE…), FECTL (IM, IP) and the ring of fault-recording registers. The records live
/// wherever the owner keeps them (host memory for the physical unit, the emulated register file for a vIOMMU); they
/// are read and written only as generated <see cref="FaultRecord"/> values.
/// </summary>
public sealed class VtdFaultUnit
{
    private readonly Func<int, FaultRecord> _read;
    private readonly Action<int, FaultRecord> _write;
    private int _next;

    /// <summary>Creates a unit with <paramref name="count"/> recording registers.</summary>
    public VtdFaultUnit(int count, Func<int, FaultRecord> read, Action<int, FaultRecord> write)
    {
        if (count is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        Count = count;
        _read = read;
        _write = write;
    }

    /// <summary>Number of fault-recording registers.</summary>
    public int Count { get; }

    /// <summary>FSTS_REG.</summary>
    public FaultStatusRegister Fsts { get; private set; } = FaultStatusRegister.Create();

    /// <summary>FECTL_REG (IM starts set, as after reset).</summary>
    public FaultEventControlRegister Fectl { get; private set; } = FaultEventControlRegister.Create().WithIm(true);

    /// <summary>Raised when a fault event (MSI at FEADDR/FEDATA) is sent.</summary>
    public Action? Interrupt { get; set; }

    /// <summary>Records dropped because of overflow or compression.</summary>
    public int Dropped { get; private set; }

    /// <summary>Record <paramref name="index"/>.</summary>
    public FaultRecord Record(int index) => _read(index);

    /// <summary>
    /// Logs a fault: dropped while PFO is set or when a pending record has the same SID (QEMU <c>vtd_try_collapse_fault</c>);
    /// sets PFO when the next register is still in use; otherwise writes it, sets PPF and (if nothing was pending) FRI and
    /// a fault event.
    /// </summary>
    /// <returns>The register index written, or -1 when the fault was not recorded.</returns>
    public int Log(FaultRecord record)
    {
        var before = Fsts;
        if (before.Pfo)
        {
            Dropped++;
            return -1;
        }

        for (var i = 0; i < Count; i++)
        {
            var r = _read(i);
            if (r.F && r.Sid == record.Sid)
            {
                Dropped++;
                return -1;
            }
        }

        if (_read(_next).F)
        {
            Fsts = Fsts.WithPfo(true);
            Dropped++;
            return -1;
        }

        var index = _next;
        _write(index, record.WithF(true));
        _next = (_next + 1) % Count;
        if (before.Ppf)
        {
            Fsts = Fsts.WithPpf(true);
            return index;
        }

        Fsts = Fsts.WithFri((ulong)index).WithPpf(true);
        FaultEvent(before);
        return index;
    }

    /// <summary>Sets FSTS.IQE and signals a fault event (QEMU <c>vtd_handle_inv_queue_error</c>).</summary>
    public void InvalidationQueueError()
    {
        var before = Fsts;
        Fsts = Fsts.WithIqe(true);
        FaultEvent(before);
    }

    /// <summary>Software writes FSTS: PFO, IQE, ICE and ITE are write-1-to-clear; PPF follows the records.</summary>
    public void WriteFsts(uint value)
    {
        var w = IntelFormatIo.FromWord<FaultStatusRegister>(value);
        var f = Fsts;
        if (w.Pfo)
        {
            f = f.WithPfo(false);
        }

        if (w.Iqe)
        {
            f = f.WithIqe(false);
        }

        if (w.Ice)
        {
            f = f.WithIce(false);
        }

        if (w.Ite)
        {
            f = f.WithIte(false);
        }

        Fsts = f;
        ClearIpWhenServiced();
    }

    /// <summary>Software writes FECTL: clearing IM with IP set sends the pending event.</summary>
    public void WriteFectl(uint value)
    {
        var w = IntelFormatIo.FromWord<FaultEventControlRegister>(value);
        Fectl = Fectl.WithIm(w.Im);
        if (Fectl.Ip && !Fectl.Im)
        {
            Interrupt?.Invoke();
            Fectl = Fectl.WithIp(false);
        }
    }

    /// <summary>Software writes 1 to FRCD[index].F: the record is consumed; PPF is recomputed.</summary>
    public void Clear(int index)
    {
        if (index < 0 || index >= Count)
        {
            return;
        }

        var r = _read(index);
        if (r.F)
        {
            _write(index, r.WithF(false));
        }

        var pending = false;
        for (var i = 0; i < Count; i++)
        {
            pending |= _read(i).F;
        }

        Fsts = Fsts.WithPpf(pending);
        ClearIpWhenServiced();
    }

    private void FaultEvent(FaultStatusRegister before)
    {
        if (before.Ppf || before.Pfo || before.Iqe)
        {
            return;
        }

        Fectl = Fectl.WithIp(true);
        if (!Fectl.Im)
        {
            Interrupt?.Invoke();
            Fectl = Fectl.WithIp(false);
        }
    }

    private void ClearIpWhenServiced()
    {
        var f = Fsts;
        if (Fectl.Ip && !f.Pfo && !f.Ppf && !f.Iqe)
        {
            Fectl = Fectl.WithIp(false);
        }
    }
}
