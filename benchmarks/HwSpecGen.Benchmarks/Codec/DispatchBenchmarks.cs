using System;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Benchmarks.Codec.CodecData;

namespace HwSpecGen.Benchmarks.Codec;

/// <summary>
/// Dispatch of a mixed SMMUv3 command stream (all 22 modelled opcodes, random valid commands): the generated
/// <c>CommandSet.Decode</c> + <c>switch (Kind)</c> + <c>TryGet</c>, against a hand-written <c>switch</c> on the opcode byte
/// and the same switch in C. Each command's main fields are read, as a command-queue consumer would.
/// </summary>
public class DispatchBenchmarks
{
    /// <summary>Commands in the stream.</summary>
    public const int Count = 4096;

    private const int Size = CommandSet.SizeBytes;
    private readonly byte[] _stream = new byte[Count * Size];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Seed);
        var members = CommandSet.Descriptor.Members;
        Span<ulong> words = stackalloc ulong[2];
        for (var i = 0; i < Count; i++)
        {
            var member = members[random.Next(members.Length)];
            var layout = member.Format.Layout;
            for (var attempt = 0; ; attempt++)
            {
                // random fields, reserved bits clear; retried until the command validates (rules, enums)
                words[0] = attempt < 1000 ? Next(random) & ~layout.MustBeZeroMask(0) : 0;
                words[1] = attempt < 1000 ? Next(random) & ~layout.MustBeZeroMask(1) : 0;
                words[0] = (words[0] & ~0xFFUL) | member.Opcode;
                if (member.Format.Validate(words).IsValid)
                {
                    break;
                }

                if (attempt > 1000)
                {
                    throw new InvalidOperationException("no valid " + layout.FullName);
                }
            }

            BinaryPrimitives.WriteUInt64LittleEndian(_stream.AsSpan(i * Size), words[0]);
            BinaryPrimitives.WriteUInt64LittleEndian(_stream.AsSpan((i * Size) + 8), words[1]);
        }

        Same("dispatch", Dispatch_HandWritten(), Dispatch_Generated());
        if (NativeBaseline.IsAvailable)
        {
            Same("dispatch C", Dispatch_HandWritten(), Dispatch_C());
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    [BenchmarkCategory("SMMUv3 command stream dispatch")]
    public ulong Dispatch_HandWritten()
    {
        ulong acc = 0;
        ulong unknown = 0;
        var bytes = _stream.AsSpan();
        for (var i = 0; i < Count; i++)
        {
            var e = bytes.Slice(i * Size, Size);
            var w0 = BinaryPrimitives.ReadUInt64LittleEndian(e);
            var w1 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));
            const ulong Va = 0xFFFF_FFFF_FFFF_F000;
            switch (w0 & 0xFF)
            {
                case 0x01: acc += w0 >> 32; break; // PREFETCH_CONFIG: SID
                case 0x02: acc += (w0 >> 32) + (w1 & Va); break; // PREFETCH_ADDR: SID, address
                case 0x03: acc += (w0 >> 32) + (w1 & 1); break; // CFGI_STE: SID, leaf
                case 0x04: acc += (w0 >> 32) + (w1 & 0x1F); break; // CFGI_STE_RANGE: SID, range
                case 0x05: acc += (w0 >> 32) + ((w0 >> 12) & 0xF_FFFF); break; // CFGI_CD: SID, SSID
                case 0x06: acc += w0 >> 32; break; // CFGI_CD_ALL: SID
                case 0x10: acc += (w0 >> 32) & 0xFFFF; break; // TLBI_NH_ALL: VMID
                case 0x11: acc += ((w0 >> 32) & 0xFFFF) + (w0 >> 48); break; // TLBI_NH_ASID: VMID, ASID
                case 0x12: acc += ((w0 >> 32) & 0xFFFF) + (w0 >> 48) + (w1 & Va); break; // TLBI_NH_VA
                case 0x13: acc += ((w0 >> 32) & 0xFFFF) + (w1 & Va); break; // TLBI_NH_VAA
                case 0x20: acc += 1; break; // TLBI_EL2_ALL
                case 0x21: acc += w0 >> 48; break; // TLBI_EL2_ASID
                case 0x22: acc += (w0 >> 48) + (w1 & Va); break; // TLBI_EL2_VA
                case 0x23: acc += w1 & Va; break; // TLBI_EL2_VAA
                case 0x28: acc += (w0 >> 32) & 0xFFFF; break; // TLBI_S12_VMALL
                case 0x2A: acc += ((w0 >> 32) & 0xFFFF) + (w1 & 0x00FF_FFFF_FFFF_F000); break; // TLBI_S2_IPA: IPA 119:76
                case 0x30: acc += 1; break; // TLBI_NSNH_ALL
                case 0x40: acc += (w0 >> 32) + (w1 & Va); break; // ATC_INV: SID, address
                case 0x41: acc += (w0 >> 32) + (w1 & 0x1FF); break; // PRI_RESP: SID, PRG index
                case 0x44: acc += (w0 >> 32) + (w1 & 0xFFFF); break; // RESUME: SID, STAG
                case 0x45: acc += w0 >> 32; break; // STALL_TERM: SID
                case 0x46: acc += (w0 >> 32) + (w1 & 0x00FF_FFFF_FFFF_FFFC); break; // CMD_SYNC: MSI data, MSI address 119:66
                default: unknown++; break;
            }
        }

        return acc + unknown;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    [BenchmarkCategory("SMMUv3 command stream dispatch")]
    public ulong Dispatch_Generated()
    {
        ulong acc = 0;
        ulong unknown = 0;
        var bytes = _stream.AsSpan();
        for (var i = 0; i < Count; i++)
        {
            var cmd = CommandSet.Decode(bytes.Slice(i * Size, Size));
            switch (cmd.Kind)
            {
                case CommandKind.PrefetchConfig: cmd.TryGet(out PrefetchConfig pc); acc += pc.Sid; break;
                case CommandKind.PrefetchAddr: cmd.TryGet(out PrefetchAddr pa); acc += pa.Sid + pa.Address; break;
                case CommandKind.CfgiSte: cmd.TryGet(out CfgiSte cs); acc += cs.Sid + (cs.Leaf ? 1UL : 0); break;
                case CommandKind.CfgiSteRange: cmd.TryGet(out CfgiSteRange cr); acc += cr.Sid + cr.Range; break;
                case CommandKind.CfgiCd: cmd.TryGet(out CfgiCd cc); acc += cc.Sid + cc.Ssid; break;
                case CommandKind.CfgiCdAll: cmd.TryGet(out CfgiCdAll ca); acc += ca.Sid; break;
                case CommandKind.TlbiNhAll: cmd.TryGet(out TlbiNhAll na); acc += na.Vmid; break;
                case CommandKind.TlbiNhAsid: cmd.TryGet(out TlbiNhAsid ns); acc += ns.Vmid + ns.Asid; break;
                case CommandKind.TlbiNhVa: cmd.TryGet(out TlbiNhVa nv); acc += nv.Vmid + nv.Asid + nv.Address; break;
                case CommandKind.TlbiNhVaa: cmd.TryGet(out TlbiNhVaa nva); acc += nva.Vmid + nva.Address; break;
                case CommandKind.TlbiEl2All: acc += 1; break;
                case CommandKind.TlbiEl2Asid: cmd.TryGet(out TlbiEl2Asid es); acc += es.Asid; break;
                case CommandKind.TlbiEl2Va: cmd.TryGet(out TlbiEl2Va ev); acc += ev.Asid + ev.Address; break;
                case CommandKind.TlbiEl2Vaa: cmd.TryGet(out TlbiEl2Vaa eva); acc += eva.Address; break;
                case CommandKind.TlbiS12Vmall: cmd.TryGet(out TlbiS12Vmall vm); acc += vm.Vmid; break;
                case CommandKind.TlbiS2Ipa: cmd.TryGet(out TlbiS2Ipa ipa); acc += ipa.Vmid + ipa.Address; break;
                case CommandKind.TlbiNsnhAll: acc += 1; break;
                case CommandKind.AtcInv: cmd.TryGet(out AtcInv atc); acc += atc.Sid + atc.Address; break;
                case CommandKind.PriResp: cmd.TryGet(out PriResp pr); acc += pr.Sid + pr.PrgIndex; break;
                case CommandKind.Resume: cmd.TryGet(out Resume r); acc += r.Sid + r.Stag; break;
                case CommandKind.StallTerm: cmd.TryGet(out StallTerm st); acc += st.Sid; break;
                case CommandKind.CmdSync: cmd.TryGet(out CmdSync sync); acc += sync.MsiData + sync.MsiAddr; break;
                default: unknown++; break;
            }
        }

        return acc + unknown;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    [BenchmarkCategory("SMMUv3 command stream dispatch")]
    public unsafe ulong Dispatch_C()
    {
        fixed (byte* p = _stream)
        {
            return NativeBaseline.SmmuDispatch(p, Count);
        }
    }
}
