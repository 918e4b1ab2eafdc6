using HwSpecGen.Core.Memory;
using HwSpecGen.Hardware.IntelVtd;

namespace HwSpecGen.Core.Vendors.Intel;

/// <summary>
/// The guest driver's scalable-mode root table, context tables, PASID directories and PASID tables in guest memory
/// (what the VMM shadows), written with the generated encoders.
/// </summary>
public sealed class IntelGuestContextBuilder
{
    private readonly GuestMemory _memory;
    private readonly GuestPageAllocator _allocator;

    /// <summary>Creates an empty root table in guest memory.</summary>
    public IntelGuestContextBuilder(GuestMemory memory, GuestPageAllocator allocator)
    {
        _memory = memory;
        _allocator = allocator;
        RootTable = allocator.Allocate(PhysicalMemory.PageSize);
    }

    /// <summary>GPA of the root table.</summary>
    public ulong RootTable { get; }

    /// <summary>The RTADDR_REG value the guest writes (scalable mode).</summary>
    public RootTableAddressRegister RootTableAddress => RootTableAddressRegister.Create().WithTtm(TranslationTableMode.Scalable).WithRta(RootTable);

    /// <summary>
    /// Writes a present context entry for <paramref name="rid"/> with a new PASID directory of 2^(PDTS+7) entries
    /// (if the device has none yet) and returns it.
    /// </summary>
    public ScalableModeContextEntry EnsureContext(ushort rid, bool pasidEnable = true, bool deviceTlb = true, uint ridPasid = 0, ulong pdts = 0)
    {
        var rootAt = RootTable + Hardware.IntelVtd.RootTable.Offset(rid);
        IntelFormatIo.TryRead(_memory, rootAt, out ScalableModeRootEntry root);
        var upper = (rid & 0x80) != 0;
        if (upper ? !root.Up : !root.Lp)
        {
            var table = _allocator.Allocate(PhysicalMemory.PageSize);
            root = upper ? root.WithUp(true).WithUctp(table) : root.WithLp(true).WithLctp(table);
            IntelFormatIo.TryWrite(_memory, rootAt, root);
        }

        var ctxAt = (upper ? root.Uctp : root.Lctp) + ContextTable.Offset(rid);
        IntelFormatIo.TryRead(_memory, ctxAt, out ScalableModeContextEntry ctx);
        if (!ctx.P)
        {
            var dirBytes = System.Math.Max(PhysicalMemory.PageSize, (1UL << (int)(pdts + 7)) * PasidDirectoryEntry.SizeBytes);
            ctx = ScalableModeContextEntry.Create().WithP(true).WithDte(deviceTlb).WithPaside(pasidEnable).WithPdts(pdts)
                .WithPasiddirptr(_allocator.Allocate(dirBytes)).WithRidPasid(ridPasid);
            IntelFormatIo.TryWrite(_memory, ctxAt, ctx);
        }

        return ctx;
    }

    /// <summary>Clears the context entry of <paramref name="rid"/> (P = 0).</summary>
    public void ClearContext(ushort rid)
    {
        if (TryContextAddress(rid, out var at))
        {
            IntelFormatIo.TryWrite(_memory, at, ScalableModeContextEntry.Create());
        }
    }

    /// <summary>Writes the PASID-table entry of (<paramref name="rid"/>, <paramref name="pasid"/>), creating the context and PASID table as needed.</summary>
    public void SetPasidEntry(ushort rid, uint pasid, PasidTableEntry entry)
    {
        var ctx = EnsureContext(rid);
        var dirAt = ctx.Pasiddirptr + PasidDirectoryTable.Offset(pasid);
        IntelFormatIo.TryRead(_memory, dirAt, out PasidDirectoryEntry dir);
        if (!dir.P)
        {
            dir = PasidDirectoryEntry.Create().WithP(true).WithSmptblptr(_allocator.Allocate(PhysicalMemory.PageSize));
            IntelFormatIo.TryWrite(_memory, dirAt, dir);
        }

        IntelFormatIo.TryWrite(_memory, dir.Smptblptr + PasidTable.Offset(pasid), entry);
    }

    /// <summary>A present first-stage-only PASID entry (what a guest on an x-flts vIOMMU programs): DID, FSPTPTR, FSPM.</summary>
    public void SetFirstStage(ushort rid, uint pasid, ushort did, ulong fsptptr, int levels = 4, bool sre = false, bool wpe = false)
    {
        SetPasidEntry(rid, pasid, PasidTableEntry.Create().WithP(true).WithPgtt(PasidGranularTranslationType.FirstStageOnly).WithDid(did)
            .WithFsptptr(fsptptr).WithFlpm(levels == 5 ? FirstStagePagingMode.FiveLevel : FirstStagePagingMode.FourLevel).WithSre(sre).WithWpe(wpe));
    }

    /// <summary>A present pass-through PASID entry.</summary>
    public void SetPassThrough(ushort rid, uint pasid, ushort did) =>
        SetPasidEntry(rid, pasid, PasidTableEntry.Create().WithP(true).WithPgtt(PasidGranularTranslationType.PassThrough).WithDid(did));

    /// <summary>Clears a PASID-table entry (P = 0).</summary>
    public void ClearPasidEntry(ushort rid, uint pasid) => SetPasidEntry(rid, pasid, PasidTableEntry.Create());

    private bool TryContextAddress(ushort rid, out ulong at)
    {
        at = 0;
        IntelFormatIo.TryRead(_memory, RootTable + Hardware.IntelVtd.RootTable.Offset(rid), out ScalableModeRootEntry root);
        var upper = (rid & 0x80) != 0;
        if (upper ? !root.Up : !root.Lp)
        {
            return false;
        }

        at = (upper ? root.Uctp : root.Lctp) + ContextTable.Offset(rid);
        return true;
    }
}
