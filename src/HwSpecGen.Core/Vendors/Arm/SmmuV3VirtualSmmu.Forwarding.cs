using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>The vSMMU gathering the guest's forwardable commands into <c>IOMMU_HWPT_INVALIDATE</c> arrays.</summary>
public sealed partial class SmmuV3VirtualSmmu
{
    private byte[] _gathered = new byte[(ArmSmmuV3Uapi.CmdqBatchEntries - 1) * ArmSmmuV3Uapi.InvalidateEntryLength];
    private int _gatheredCount;
    private int _forwardBatchSize = ArmSmmuV3Uapi.CmdqBatchEntries - 1;

    /// <summary>
    /// How many consecutive forwardable commands (TLBI_NH_*, TLBI_NSNH_ALL, ATC_INV, CFGI_CD*) one
    /// <c>IOMMU_HWPT_INVALIDATE</c> carries. The default, 63, is one host batch of <c>arm_vsmmu_cache_invalidate</c>
    /// (<c>CMDQ_BATCH_ENTRIES - 1</c> commands and a CMD_SYNC); 1 forwards each command in its own call, as QEMU's
    /// <c>smmuv3_accel_issue_inv_cmd</c> does (entry_num = 1). A gathered run is sent before anything that must come after
    /// it — a command the VMM handles itself (CFGI_STE*, CMD_SYNC, prefetch), a refused command — and at the end of each
    /// doorbell, so the guest sees the same state either way, only with fewer calls. With <see cref="Tracing"/> or
    /// <see cref="CommandProcessed"/> set, each command is forwarded alone so that its trace shows what the kernel made of it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 1 or above 1024.</exception>
    public int ForwardBatchSize
    {
        get => _forwardBatchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024);
            FlushForwarded();
            _forwardBatchSize = value;
            _gathered = new byte[value * ArmSmmuV3Uapi.InvalidateEntryLength];
        }
    }

    /// <summary>Calls of <c>IOMMU_HWPT_INVALIDATE</c> this vSMMU made.</summary>
    public long InvalidateCalls { get; private set; }

    /// <summary>
    /// Adds a checked, forwardable command to the gathered run. A command naming a vSID without a vDEVICE is refused here,
    /// exactly where the kernel's <c>arm_vsmmu_vsid_to_sid</c> would refuse it (EIO → CERROR_ILL), so a gathered run
    /// cannot fail in the kernel.
    /// </summary>
    private CommandError Gather(ulong index, in CommandSet command, ReadOnlySpan<byte> raw)
    {
        var vsid = command.Kind switch
        {
            CommandKind.AtcInv when command.TryGet(out AtcInv v) => v.Sid,
            CommandKind.CfgiCd when command.TryGet(out CfgiCd v) => v.Sid,
            CommandKind.CfgiCdAll when command.TryGet(out CfgiCdAll v) => v.Sid,
            _ => (ulong?)null,
        };
        if (vsid is { } sid && !Driver.TryTranslateVsid(sid, out _))
        {
            return Done(index, command, string.Empty, $"IOMMU_HWPT_INVALIDATE -{Errno.EIO}: refused, nothing applied", CommandError.Ill);
        }

        raw[..ArmSmmuV3Uapi.InvalidateEntryLength].CopyTo(_gathered.AsSpan(_gatheredCount * ArmSmmuV3Uapi.InvalidateEntryLength));
        _gatheredCount++;
        if (_gatheredCount == _forwardBatchSize)
        {
            FlushForwarded();
        }

        return Done(index, command, string.Empty, "forwarded through IOMMU_HWPT_INVALIDATE on the vIOMMU", CommandError.None);
    }

    /// <summary>Sends the gathered run in one <c>IOMMU_HWPT_INVALIDATE</c>.</summary>
    /// <exception cref="InvalidOperationException">The kernel refused a gathered command (every refusal is checked before gathering, so this is a model bug).</exception>
    private void FlushForwarded()
    {
        if (_gatheredCount == 0)
        {
            return;
        }

        var n = (uint)_gatheredCount;
        _gatheredCount = 0;
        InvalidateCalls++;
        var r = _fd.HwptInvalidate(Viommu.Id, ArmSmmuV3Uapi.InvalidateDataType, ArmSmmuV3Uapi.InvalidateEntryLength, _gathered.AsSpan(0, (int)n * ArmSmmuV3Uapi.InvalidateEntryLength), ref n);
        if (!r.IsOk)
        {
            throw new InvalidOperationException($"vSMMU: the kernel refused gathered command {n} (-{r.Error}) that the VMM had checked");
        }
    }
}
