using System.Collections.Generic;

namespace HwSpecGen.Hardware.ArmSmmuV3;

/// <summary>Range-invalidation helpers for CMD_TLBI_S2_IPA.</summary>
public readonly partial struct TlbiS2Ipa
{
    /// <summary>
    /// Builds the CMD_TLBI_S2_IPA commands Linux <c>__arm_smmu_tlb_inv_range</c> issues for <c>[iova, iova + size)</c>
    /// (see <see cref="TlbiRange.Encode"/> for the NUM/SCALE/TG/TTL split) for VMID <paramref name="vmid"/> (stage-2 domains). The address is masked to
    /// bits 51:12 as Linux's <c>CMDQ_TLBI_1_IPA_MASK</c> does.
    /// </summary>
    /// <param name="vmid">The VMID.</param>
    /// <param name="iova">The first address.</param>
    /// <param name="size">The size in bytes.</param>
    /// <param name="granule">The invalidation granule (leaf page or block size).</param>
    /// <param name="pageShift">log2 of the domain's smallest page size: 12, 14 or 16.</param>
    /// <param name="leaf">Invalidate only last-level entries.</param>
    /// <param name="rangeInvalidation">Whether the SMMU supports range invalidation (SMMU_IDR3.RIL).</param>
    /// <returns>The commands, in issue order.</returns>
    /// <exception cref="System.ArgumentOutOfRangeException">A parameter is out of range, or a value does not fit its field (for example SCALE above 31).</exception>
    public static IReadOnlyList<TlbiS2Ipa> ForRange(ulong vmid, ulong iova, ulong size, ulong granule, int pageShift, bool leaf, bool rangeInvalidation = true)
    {
        var commands = new List<TlbiS2Ipa>();
        foreach (var f in TlbiRange.Encode(iova, size, granule, pageShift, leaf, rangeInvalidation))
        {
            commands.Add(Create()
                .WithVmid(vmid)
                .WithNum(f.Num)
                .WithScale(f.Scale)
                .WithLeaf(leaf)
                .WithTtl(f.Ttl)
                .WithTg(f.Tg)
                .WithAddress(f.Address & 0x000F_FFFF_FFFF_F000UL));
        }

        return commands;
    }

    /// <summary>The addresses this command invalidates, as QEMU <c>smmuv3_range_inval</c> decodes them (see <see cref="TlbiRange.Decode"/>).</summary>
    public TlbiSpan CoveredRange => TlbiRange.Decode(Address, Tg, Num, Scale);
}
