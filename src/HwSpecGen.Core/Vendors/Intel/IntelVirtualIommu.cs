using System;
using System.Collections.Generic;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// The VMM's emulated VT-d (what QEMU's <c>intel_iommu.c</c> with iommufd nesting does), one per VM and physical
/// remapping unit. VT-d has no iommufd vIOMMU object: this object keeps the VM's state itself — the guest-visible
/// registers (generated register formats), the guest's invalidation queue in guest memory with its head/tail and a
/// doorbell (an IQT write), the virtual RID → device table, and the shadow of the guest's scalable-mode root /
/// context / PASID tables (guest memory) as nested HWPTs allocated on the nest parent and attached with replace.
/// Guest IOTLB / PASID-IOTLB invalidations become <c>IOMMU_HWPT_INVALIDATE</c> on the nested HWPT of the guest DID;
/// guest device-TLB invalidations are completed without being forwarded (the host synthesizes them); context- and
/// PASID-cache invalidations re-read the guest's entries. Every error is an architected one (FSTS.IQE, IQERCD.IQEI,
/// IQH on the bad descriptor, the queue stopped) and touches nothing outside this VM.
/// </summary>
public sealed partial class IntelVirtualIommu
{
    private readonly Dictionary<ushort, Device> _devices = new();
    private readonly FaultRecord[] _frcd;
    private readonly List<FaultRecord> _faultScratch = new();
    private RootTableAddressRegister _rtaddrWritten;
    private RootTableAddressRegister _rtaddr;
    private GlobalStatusRegister _gsts = GlobalStatusRegister.Create();
    private InvalidationCompletionStatusRegister _ics = InvalidationCompletionStatusRegister.Create();
    private InvalidationEventControlRegister _iectl = InvalidationEventControlRegister.Create().WithIm(true);

    /// <summary>Creates the emulated unit of a VM that uses <paramref name="fd"/>, whose RAM is <paramref name="guest"/> and whose stage 2 is <paramref name="nestParent"/>.</summary>
    public IntelVirtualIommu(IommufdContext fd, GuestMemory guest, HwptPaging nestParent, IntelVirtualIommuOptions? options = null)
    {
        if (nestParent.Iommu is not IntelVtdIommu physical || !nestParent.IsNestParent)
        {
            throw new ArgumentException("the stage 2 must be a VT-d nest-parent HWPT", nameof(nestParent));
        }

        Options = options ?? new IntelVirtualIommuOptions();
        Fd = fd;
        Guest = guest;
        NestParent = nestParent;
        Physical = physical;
        _frcd = new FaultRecord[Options.FaultRecordCount];
        Faults = new VtdFaultUnit(Options.FaultRecordCount, i => _frcd[i], (i, r) => _frcd[i] = r);

        // QEMU x-flts=on: scalable mode with first-stage translation only (no NEST, no SLTS), queued invalidation, device
        // TLB; caching mode on (QEMU requires it with assigned devices), so the guest also invalidates after making
        // entries present — which is when the VMM learns about new PASID entries
        Cap = CapabilityRegister.Create()
            .WithCm(true)
            .WithNd(2)
            .WithSagaw(0b00100)
            .WithMgaw(VtdSecondStageTable.AddressWidth - 1)
            .WithFro(VtdRegister.FaultRecord / 16)
            .WithNfr((ulong)(Options.FaultRecordCount - 1))
            .WithPsi(true)
            .WithMamv(MaxAddressMask)
            .WithDwd(true)
            .WithDrd(true)
            .WithFs1gp(physical.Cap.Fs1gp)
            .WithFs5lp(physical.Cap.Fs5lp);
        Ecap = ExtendedCapabilityRegister.Create()
            .WithQi(true)
            .WithDt(true)
            .WithPt(true)
            .WithIro(0xF)
            .WithPss(19)
            .WithPasid(true)
            .WithSmts(true)
            .WithFlts(true);
    }

    /// <summary>QEMU <c>VTD_MAMV</c>: the largest AM a page-selective IOTLB invalidation may carry.</summary>
    public const ulong MaxAddressMask = 18;

    /// <summary>Options.</summary>
    public IntelVirtualIommuOptions Options { get; }

    /// <summary>The VM's iommufd.</summary>
    public IommufdContext Fd { get; }

    /// <summary>The VM's RAM.</summary>
    public GuestMemory Guest { get; }

    /// <summary>The nest parent (GPA → HPA).</summary>
    public HwptPaging NestParent { get; }

    /// <summary>The physical remapping unit behind it.</summary>
    public IntelVtdIommu Physical { get; }

    /// <summary>Guest-visible CAP_REG.</summary>
    public CapabilityRegister Cap { get; }

    /// <summary>Guest-visible ECAP_REG.</summary>
    public ExtendedCapabilityRegister Ecap { get; }

    /// <summary>Guest-visible FSTS / FECTL / fault-recording registers.</summary>
    public VtdFaultUnit Faults { get; }

    /// <summary>GSTS_REG.</summary>
    public GlobalStatusRegister Gsts => _gsts;

    /// <summary>ICS_REG.</summary>
    public InvalidationCompletionStatusRegister Ics => _ics;

    /// <summary>IECTL_REG.</summary>
    public InvalidationEventControlRegister Iectl => _iectl;

    /// <summary>The invalidation-completion interrupt (the MSI at IEADDR/IEDATA; stands for the eventfd the VMM signals).</summary>
    public Action? CompletionInterrupt { get; set; }

    /// <summary>Receives one line per processed guest command (decoded, translated, effect) and per shadow change; null for none.</summary>
    public Action<string>? Trace { get; set; }

    /// <summary>Virtual RID → device.</summary>
    public IReadOnlyDictionary<ushort, Device> Devices => _devices;

    /// <summary>
    /// Exposes <paramref name="device"/> (bound to <see cref="Fd"/>, behind <see cref="Physical"/>) to the guest as
    /// <paramref name="virtualRid"/>; until the guest enables translation it DMAs through the nest parent (GPA = IOVA).
    /// Duplicates are refused with EEXIST.
    /// </summary>
    public IommufdResult AddDevice(ushort virtualRid, Device device)
    {
        if (device.Iommu != Physical || Fd.Get<Device>(device.Id) != device)
        {
            return Errno.EINVAL;
        }

        if (_devices.ContainsKey(virtualRid))
        {
            return Errno.EEXIST;
        }

        foreach (var d in _devices.Values)
        {
            if (d == device)
            {
                return Errno.EEXIST;
            }
        }

        _devices[virtualRid] = device;
        Reshadow(virtualRid);
        return IommufdResult.Ok;
    }

    /// <summary>The device the guest knows as <paramref name="virtualRid"/>.</summary>
    public Device? FindDevice(ushort virtualRid) => _devices.TryGetValue(virtualRid, out var d) ? d : null;

    /// <summary>Guest MMIO read of a register (64-bit registers whole, 32-bit ones zero-extended).</summary>
    public ulong ReadRegister(int offset)
    {
        switch (offset)
        {
            case VtdRegister.Version:
                return 0x10;
            case VtdRegister.Capability:
                return Cap.GetWord(0);
            case VtdRegister.ExtendedCapability:
                return Ecap.GetWord(0);
            case VtdRegister.GlobalStatus:
                return _gsts.GetWord(0);
            case VtdRegister.RootTableAddress:
                return _rtaddrWritten.GetWord(0);
            case VtdRegister.FaultStatus:
                return Faults.Fsts.GetWord(0);
            case VtdRegister.FaultEventControl:
                return Faults.Fectl.GetWord(0);
            case VtdRegister.InvalidationQueueHead:
                return HeadRegisterValue;
            case VtdRegister.InvalidationQueueTail:
                return _iqtWritten;
            case VtdRegister.InvalidationQueueAddress:
                return _iqa.GetWord(0);
            case VtdRegister.InvalidationCompletionStatus:
                return _ics.GetWord(0);
            case VtdRegister.InvalidationEventControl:
                return _iectl.GetWord(0);
            case VtdRegister.InvalidationQueueErrorRecord:
                return _iqercd.GetWord(0);
        }

        var frcd = offset - VtdRegister.FaultRecord;
        if (frcd >= 0 && frcd < _frcd.Length * FaultRecord.SizeBytes && (frcd & 7) == 0)
        {
            return _frcd[frcd / FaultRecord.SizeBytes].GetWord((frcd / 8) & 1);
        }

        return 0;
    }

    /// <summary>Guest MMIO write of a register; an IQT write is the doorbell.</summary>
    public void WriteRegister(int offset, ulong value)
    {
        switch (offset)
        {
            case VtdRegister.GlobalCommand:
                HandleGlobalCommand(IntelFormatIo.FromWord<GlobalCommandRegister>(value & uint.MaxValue));
                return;
            case VtdRegister.RootTableAddress:
                _rtaddrWritten = IntelFormatIo.FromWord<RootTableAddressRegister>(value);
                return;
            case VtdRegister.FaultStatus:
                Faults.WriteFsts((uint)value);
                return;
            case VtdRegister.FaultEventControl:
                Faults.WriteFectl((uint)value);
                return;
            case VtdRegister.InvalidationQueueTail:
                Doorbell(value);
                return;
            case VtdRegister.InvalidationQueueAddress:
                _iqa = IntelFormatIo.FromWord<InvalidationQueueAddressRegister>(value);
                return;
            case VtdRegister.InvalidationCompletionStatus:
                if (IntelFormatIo.FromWord<InvalidationCompletionStatusRegister>(value & uint.MaxValue).Iwc)
                {
                    // W1C; IECTL.IP follows (vtd_handle_ics_write)
                    _ics = _ics.WithIwc(false);
                    _iectl = _iectl.WithIp(false);
                }

                return;
            case VtdRegister.InvalidationEventControl:
                _iectl = _iectl.WithIm(IntelFormatIo.FromWord<InvalidationEventControlRegister>(value & uint.MaxValue).Im);
                if (_iectl.Ip && !_iectl.Im)
                {
                    CompletionInterrupt?.Invoke();
                    _iectl = _iectl.WithIp(false);
                }

                return;
        }

        // writing 1 to FRCD.F (bit 127, i.e. bit 63 of the high quadword) clears the record
        var frcd = offset - VtdRegister.FaultRecord;
        if (frcd >= 0 && frcd < _frcd.Length * FaultRecord.SizeBytes && (frcd & 0xF) == 8
            && FaultRecord.Create().WithF(true).GetWord(1) is var f && (value & f) != 0)
        {
            Faults.Clear(frcd / FaultRecord.SizeBytes);
        }
    }

    /// <summary>
    /// What the VMM does when the host reports stage-1 faults of its devices: each record the hardware logged (host SID)
    /// is rewritten with the virtual RID and logged in the guest-visible fault-recording registers, with a fault event.
    /// </summary>
    public int InjectStage1Faults()
    {
        var n = 0;
        foreach (var (vrid, device) in _devices)
        {
            _faultScratch.Clear();
            Physical.TakeStage1Faults(device, _faultScratch);
            foreach (var r in _faultScratch)
            {
                var guestRecord = r.WithSid(vrid).WithF(false);
                Trace?.Invoke($"inject stage-1 fault: {guestRecord}");
                if (Faults.Log(guestRecord) >= 0)
                {
                    n++;
                }
            }
        }

        return n;
    }

    /// <summary>
    /// The GCMD value a driver writes to change one persistent enable while keeping the others (Linux keeps
    /// <c>iommu-&gt;gcmd</c>; the one-shot bits SRTP, SFL, WBF, SIRTP are never carried over).
    /// </summary>
    public GlobalCommandRegister PersistentCommand => GlobalCommandRegister.Create().WithTe(_gsts.Tes).WithQie(_gsts.Qies).WithIre(_gsts.Ires).WithCfi(_gsts.Cfis);

    private void HandleGlobalCommand(GlobalCommandRegister cmd)
    {
        if (cmd.Srtp)
        {
            // vtd_handle_gcmd_srtp: latch the root table; the guest must then invalidate the context cache
            _rtaddr = _rtaddrWritten;
            _gsts = _gsts.WithRtps(true);
            Trace?.Invoke($"GCMD.SRTP: root table {_rtaddr}");
        }

        if (cmd.Qie != _gsts.Qies)
        {
            EnableQueue(cmd.Qie);
        }

        if (cmd.Te != _gsts.Tes)
        {
            _gsts = _gsts.WithTes(cmd.Te);
            Trace?.Invoke($"GCMD.TE = {cmd.Te}");
            ReshadowAll();
        }
    }

    private void RaiseCompletionEvent()
    {
        // vtd_generate_completion_event
        if (_ics.Iwc)
        {
            return;
        }

        _ics = _ics.WithIwc(true);
        _iectl = _iectl.WithIp(true);
        if (!_iectl.Im)
        {
            CompletionInterrupt?.Invoke();
            _iectl = _iectl.WithIp(false);
        }
    }
}
