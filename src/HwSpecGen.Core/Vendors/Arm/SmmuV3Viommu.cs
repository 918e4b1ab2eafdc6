using System;
using HwSpecGen.Core.Iommufd;
using HwSpecGen.Hardware.ArmSmmuV3;

namespace HwSpecGen.Core.Vendors.Arm;

/// <summary>
/// <c>struct arm_vsmmu</c>: a VM's slice of one SMMU. It takes the VMID of its S2 parent and implements
/// <c>arm_vsmmu_cache_invalidate</c>: raw guest commands are converted (VMID forced, vSID → pSID) and issued to the
/// physical Command queue in batches of <c>CMDQ_BATCH_ENTRIES - 1</c>.
/// </summary>
public sealed class SmmuV3Viommu : ViommuDriver
{
    internal SmmuV3Viommu(SmmuV3Iommu smmu, HwptPaging parent)
    {
        Smmu = smmu;
        Parent = parent;
        Vmid = parent.DomainTag;
    }

    /// <summary>The physical SMMU.</summary>
    public SmmuV3Iommu Smmu { get; }

    /// <summary>The S2 parent.</summary>
    public HwptPaging Parent { get; }

    /// <summary>The VMID every command of this vIOMMU is forced to (the parent's).</summary>
    public ulong Vmid { get; }

    /// <summary>Receives, per command, the converted command or the reason it was refused (for traces); null for none.</summary>
    public Action<string>? Trace { get; set; }

    /// <summary>
    /// <c>arm_vsmmu_cache_invalidate</c>: the whole array is copied first (<c>iommu_copy_struct_from_full_user_array</c>:
    /// wrong type or no entries → EINVAL; an entry longer than 16 bytes must have a zero tail, else E2BIG; a shorter one
    /// is zero-extended), then each command is converted (<c>arm_vsmmu_convert_user_cmd</c>, unknown opcode or unknown vSID
    /// → EIO) and every 63 converted commands are issued with a sync. On a conversion error <paramref name="done"/> is the
    /// failing command's index, and — as in Linux — the commands converted since the last issued batch are not issued.
    /// </summary>
    public override IommufdResult Invalidate(uint dataType, uint entryLength, ReadOnlySpan<byte> entries, uint entryCount, out uint done)
    {
        done = 0;
        if (dataType != ArmSmmuV3Uapi.InvalidateDataType || entryCount == 0)
        {
            return Errno.EINVAL;
        }

        const int size = ArmSmmuV3Uapi.InvalidateEntryLength;
        var total = (int)entryCount * size;
        byte[]? rented = null;
        Span<byte> cmds = total <= 1024 ? stackalloc byte[1024] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(total));
        cmds = cmds[..total];
        try
        {
            cmds.Clear();
            for (var i = 0; i < (int)entryCount; i++)
            {
                var src = entries.Slice(i * (int)entryLength, (int)entryLength);
                var n = Math.Min(size, (int)entryLength);
                src[..n].CopyTo(cmds.Slice(i * size, n));
                if (entryLength > size && src[size..].ContainsAnyExcept((byte)0))
                {
                    return Errno.E2BIG;
                }
            }

            var last = 0;
            var cur = 0;
            while (cur != (int)entryCount)
            {
                var cmd = cmds.Slice(cur * size, size);
                if (!Convert(cmd))
                {
                    done = (uint)cur;
                    return Errno.EIO;
                }

                cur++;
                if (cur != (int)entryCount && cur - last != ArmSmmuV3Uapi.CmdqBatchEntries - 1)
                {
                    continue;
                }

                var r = Smmu.IssueCommands(cmds.Slice(last * size, (cur - last) * size), sync: true);
                if (!r.IsOk)
                {
                    cur--;
                    done = (uint)cur;
                    return r;
                }

                last = cur;
            }

            done = (uint)cur;
            return IommufdResult.Ok;
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The physical StreamID of the device the guest calls <paramref name="vsid"/> (<c>arm_vsmmu_vsid_to_sid</c>).</summary>
    public bool TryTranslateVsid(ulong vsid, out uint sid)
    {
        sid = 0;
        if (Owner?.FindDevice(vsid) is not { } dev)
        {
            return false;
        }

        sid = dev.PhysicalId;
        return true;
    }

    /// <summary><c>arm_vsmmu_convert_user_cmd</c>, in place, through the generated command structs.</summary>
    private bool Convert(Span<byte> cmd)
    {
        var set = CommandSet.Decode(cmd);
        switch (set.Kind)
        {
            case CommandKind.TlbiNsnhAll:
                TlbiNhAll.Create().WithVmid(Vmid).WriteTo(cmd);
                break;
            case CommandKind.TlbiNhVa when set.TryGet(out TlbiNhVa v):
                v.WithVmid(Vmid).WriteTo(cmd);
                break;
            case CommandKind.TlbiNhVaa when set.TryGet(out TlbiNhVaa v):
                v.WithVmid(Vmid).WriteTo(cmd);
                break;
            case CommandKind.TlbiNhAll when set.TryGet(out TlbiNhAll v):
                v.WithVmid(Vmid).WriteTo(cmd);
                break;
            case CommandKind.TlbiNhAsid when set.TryGet(out TlbiNhAsid v):
                v.WithVmid(Vmid).WriteTo(cmd);
                break;
            case CommandKind.AtcInv when set.TryGet(out AtcInv v):
                if (!TryTranslateVsid(v.Sid, out var atcSid))
                {
                    Trace?.Invoke($"EIO: vSID 0x{v.Sid:X} has no vDEVICE");
                    return false;
                }

                v.WithSid(atcSid).WriteTo(cmd);
                break;
            case CommandKind.CfgiCd when set.TryGet(out CfgiCd v):
                if (!TryTranslateVsid(v.Sid, out var cdSid))
                {
                    Trace?.Invoke($"EIO: vSID 0x{v.Sid:X} has no vDEVICE");
                    return false;
                }

                v.WithSid(cdSid).WriteTo(cmd);
                break;
            case CommandKind.CfgiCdAll when set.TryGet(out CfgiCdAll v):
                if (!TryTranslateVsid(v.Sid, out var allSid))
                {
                    Trace?.Invoke($"EIO: vSID 0x{v.Sid:X} has no vDEVICE");
                    return false;
                }

                v.WithSid(allSid).WriteTo(cmd);
                break;
            default:
                Trace?.Invoke($"EIO: opcode 0x{set.Opcode:X2} is not accepted from a guest");
                return false;
        }

        if (Trace is not null)
        {
            Trace(CommandSet.Decode(cmd).ToString());
        }

        return true;
    }
}
