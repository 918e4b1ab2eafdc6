using System;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Benchmarks.Codec.CodecData;

namespace HwSpecGen.Benchmarks.Codec;

/// <summary>Arm SMMUv3 Stream Table Entry (512 bits, eleven ILLEGAL-configuration rules): decode, validate, encode a nested STE.</summary>
public class SteBenchmarks
{
    private const int Size = Ste.SizeBytes;
    private const int P = 5;
    private readonly byte[] _entries = new byte[N * Size];
    private readonly byte[] _output = new byte[N * Size];
    private readonly ulong[] _params = new ulong[N * P];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Seed);
        for (var i = 0; i < N; i++)
        {
            var ps = (ulong)(uint)random.Next(6); // 32..48-bit output
            var psBits = ps switch { 0 => 32, 1 => 36, 2 => 40, 3 => 42, 4 => 44, _ => 48 };
            var s1ctx = (Next(random) & ((1UL << 48) - 1)) & ~0x3FUL;
            var s1misc = (ulong)(uint)random.Next(11) | ((ulong)(uint)random.Next(3) << 8) | ((ulong)(uint)random.Next(3) << 16) | ((random.Next(2) == 0 ? 0UL : 1UL) << 24);
            var vmid = (ulong)(uint)random.Next(1 << 16);
            var s2misc = (ulong)(uint)random.Next(16, 40) | ((ulong)(uint)random.Next(3) << 8) | (ps << 16) | ((random.Next(2) == 0 ? 0UL : 2UL) << 24);
            var ttb = (Next(random) & ((1UL << psBits) - 1)) & ~0xFFFUL;
            _params[(i * P) + 0] = s1ctx;
            _params[(i * P) + 1] = s1misc;
            _params[(i * P) + 2] = vmid;
            _params[(i * P) + 3] = s2misc;
            _params[(i * P) + 4] = ttb;
            var ste = BuildGenerated(s1ctx, s1misc, vmid, s2misc, ttb);
            switch (random.Next(12))
            {
                case 0:
                    ste = ste.WithConfig(SteConfig.S2Trans);
                    break;
                case 1:
                    ste = ste.WithConfig(SteConfig.S1Trans).WithStrw((StreamWorld)(ulong)(uint)random.Next(4)); // STRW = 0bx1 is ILLEGAL
                    break;
                case 2:
                    ste = ste.WithS2T0sz((ulong)(uint)random.Next(12)); // below the architectural minimum
                    break;
                case 3:
                    ste = ste.WithS2Haft(true).WithS2Ha(random.Next(2) == 1);
                    break;
                case 4:
                    ste = ste.WithS2S(true).WithEats((AtsConfig)(ulong)(uint)random.Next(4));
                    break;
                case 5:
                    ste = ste.WithS2Ps(AddressSize.Bits32).WithS2Ttb(ttb | (1UL << 40)); // table beyond S2PS
                    break;
                case 6:
                    ste = ste.WithV(false);
                    break;
            }

            ste.WriteTo(_entries.AsSpan(i * Size, Size));
            if (random.Next(16) == 0)
            {
                _entries[(i * Size) + 47 + random.Next(2)] |= 0x80; // bit 383 (RES0) or bit 391 (inside S_S2TTB: allowed)
            }
        }

        Same("decode", Decode_HandWritten(), Decode_Generated());
        Same("validate", Validate_HandWritten(), Validate_Generated());
        var expected = new byte[_output.Length];
        Encode_HandWritten();
        _output.CopyTo(expected, 0);
        Array.Clear(_output);
        Encode_Generated();
        SameBytes("encode", expected, _output);
        if (NativeBaseline.IsAvailable)
        {
            Same("decode C", Decode_HandWritten(), Decode_C());
            Same("validate C", Validate_HandWritten(), Validate_C());
            Array.Clear(_output);
            Encode_C();
            SameBytes("encode C", expected, _output);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 STE decode")]
    public ulong Decode_HandWritten()
    {
        ulong acc = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            var e = bytes.Slice(i * Size, Size);
            var w0 = BinaryPrimitives.ReadUInt64LittleEndian(e);
            var w1 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));
            var w2 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(16));
            var w3 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(24));
            acc += (w0 & 1) + ((w0 >> 1) & 0x7) + ((w0 >> 4) & 0x3) + (w0 & 0x00FF_FFFF_FFFF_FFC0) + (w0 >> 59)
                + (w1 & 0x3) + ((w1 >> 28) & 0x3) + ((w1 >> 30) & 0x3)
                + (w2 & 0xFFFF) + ((w2 >> 32) & 0x3F) + ((w2 >> 38) & 0x3) + ((w2 >> 46) & 0x3) + ((w2 >> 48) & 0x7) + ((w2 >> 51) & 1) + ((w2 >> 58) & 1)
                + (w3 & 0x000F_FFFF_FFFF_FFF0);
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 STE decode")]
    public ulong Decode_Generated()
    {
        ulong acc = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            Ste.TryDecode(bytes.Slice(i * Size, Size), out var s, out _);
            acc += (s.V ? 1UL : 0) + (ulong)s.Config + (ulong)s.S1Fmt + s.S1ContextPtr + s.S1CdMax
                + (ulong)s.S1Dss + (ulong)s.Eats + (ulong)s.Strw
                + s.S2Vmid + s.S2T0sz + s.S2Sl0 + (ulong)s.S2Tg + (ulong)s.S2Ps + (s.S2Aa64 ? 1UL : 0) + (s.S2R ? 1UL : 0)
                + s.S2Ttb;
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 STE decode")]
    public unsafe ulong Decode_C()
    {
        fixed (byte* p = _entries)
        {
            return NativeBaseline.SteDecode(p, N);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 STE validate")]
    public int Validate_HandWritten()
    {
        var valid = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            if (HandWrittenSte.IsValid(bytes.Slice(i * Size, Size)))
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 STE validate")]
    public int Validate_Generated()
    {
        var valid = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            if (Ste.Read(bytes.Slice(i * Size, Size)).IsValid)
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 STE validate")]
    public unsafe int Validate_C()
    {
        fixed (byte* p = _entries)
        {
            return NativeBaseline.SteValidate(p, N);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 STE encode")]
    public void Encode_HandWritten()
    {
        var output = _output.AsSpan();
        var ps = _params;
        for (var i = 0; i < N; i++)
        {
            HandWrittenSte.EncodeNested(ps[(i * P) + 0], ps[(i * P) + 1], ps[(i * P) + 2], ps[(i * P) + 3], ps[(i * P) + 4], output.Slice(i * Size, Size));
        }
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 STE encode")]
    public void Encode_Generated()
    {
        var output = _output.AsSpan();
        var ps = _params;
        for (var i = 0; i < N; i++)
        {
            BuildGenerated(ps[(i * P) + 0], ps[(i * P) + 1], ps[(i * P) + 2], ps[(i * P) + 3], ps[(i * P) + 4]).WriteTo(output.Slice(i * Size, Size));
        }
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 STE encode")]
    public unsafe void Encode_C()
    {
        fixed (ulong* ps = _params)
        fixed (byte* o = _output)
        {
            if (NativeBaseline.SteEncode(ps, N, o) != N)
            {
                throw new InvalidOperationException("C encoder rejected a parameter");
            }
        }
    }

    /// <summary>A nested STE as Linux's arm_smmu_make_nested_cd_table_ste + arm_smmu_make_s2_domain_ste build it.</summary>
    private static Ste BuildGenerated(ulong s1ctx, ulong s1misc, ulong vmid, ulong s2misc, ulong ttb) =>
        new Ste.Builder
        {
            V = true,
            Config = SteConfig.Nested,
            S1Fmt = (S1Format)((s1misc >> 8) & 0xFF),
            S1ContextPtr = s1ctx,
            S1CdMax = s1misc & 0xFF,
            S1Dss = (S1DefaultSubstream)((s1misc >> 16) & 0xFF),
            S1Cir = ContextCacheability.WriteBackReadAllocate,
            S1Cor = ContextCacheability.WriteBackReadAllocate,
            S1Csh = Shareability.InnerShareable,
            Mev = true,
            Eats = (AtsConfig)(s1misc >> 24),
            S2Vmid = vmid,
            S2T0sz = s2misc & 0xFF,
            S2Sl0 = (s2misc >> 8) & 0xFF,
            S2Ir0 = TableCacheability.WriteBackReadWriteAllocate,
            S2Or0 = TableCacheability.WriteBackReadWriteAllocate,
            S2Sh0 = Shareability.InnerShareable,
            S2Tg = (TranslationGranule)(s2misc >> 24),
            S2Ps = (AddressSize)((s2misc >> 16) & 0xFF),
            S2Aa64 = true,
            S2Ptw = true,
            S2R = true,
            S2Ttb = ttb,
        }.Build();
}

/// <summary>The hand-written shift-and-mask STE code the generated struct is measured against (bit positions from specs/arm-smmuv3/stream-table.yaml).</summary>
internal static class HandWrittenSte
{
    public static bool IsValid(ReadOnlySpan<byte> e)
    {
        var w0 = BinaryPrimitives.ReadUInt64LittleEndian(e);
        var w1 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));
        var w2 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(16));
        var w3 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(24));
        var w4 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(32));
        var w5 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(40));
        var w6 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(48));

        // RES0: 58:56 | 107:105 | 247:244, 252:248, 255 | 301:296 | 383:376 | 387, 439:436, 444:440, 447
        if ((w0 & 0x0700_0000_0000_0000) != 0 || (w1 & 0x0000_0E00_0000_0000) != 0 || (w3 & 0x9FF0_0000_0000_0000) != 0
            || (w4 & 0x0000_3F00_0000_0000) != 0 || (w5 & 0xFF00_0000_0000_0000) != 0 || (w6 & 0x9FF0_0000_0000_0008) != 0)
        {
            return false;
        }

        if ((w0 & 1) == 0)
        {
            return false; // V
        }

        var config = (w0 >> 1) & 0x7;
        var eats = (w1 >> 28) & 0x3;
        var s2s = ((w2 >> 57) & 1) != 0;
        if (config == 5 && ((w1 >> 30) & 0x1) != 0)
        {
            return false; // STRW 0bx1
        }

        if ((config == 5 || config == 7) && (w0 >> 59) > 20)
        {
            return false; // S1CDMax
        }

        if (config >= 5 && eats == 2 && !(config == 7 && !s2s))
        {
            return false; // split-stage ATS
        }

        if (config < 6)
        {
            return true;
        }

        // stage 2 translates (S2Trans or Nested)
        if ((eats & 1) != 0 && s2s)
        {
            return false; // full ATS with S2S
        }

        if (((w2 >> 59) & 1) != 0 && ((w2 >> 56) & 1) == 0)
        {
            return false; // S2HAFT without S2HA
        }

        if (((w2 >> 51) & 1) == 0)
        {
            return true; // not AArch64 tables: the remaining rules do not apply
        }

        var tg = (w2 >> 46) & 0x3;
        var t0sz = (w2 >> 32) & 0x3F;
        var ps = (w2 >> 48) & 0x7;
        var ttb = w3 & 0x000F_FFFF_FFFF_FFF0;
        if (tg == 3 || t0sz < 12 || t0sz > 48 || (t0sz == 48 && tg == 1))
        {
            return false;
        }

        var limit = ps switch { 0 => 1UL << 32, 1 => 1UL << 36, 2 => 1UL << 40, 3 => 1UL << 42, 4 => 1UL << 44, 5 => 1UL << 48, _ => ulong.MaxValue };
        if (ps < 6 && ttb >= limit)
        {
            return false;
        }

        if (tg != 1 && ((w3 >> 3) & 1) == 0 && ttb >= (1UL << 48))
        {
            return false; // 48-bit table base without S2DS
        }

        return ((w2 >> 61) & 1) == 0 || ((w2 >> 60) & 1) != 0; // S2POE needs S2PIE
    }

    public static void EncodeNested(ulong s1ctx, ulong s1misc, ulong vmid, ulong s2misc, ulong ttb, Span<byte> e)
    {
        var cdmax = s1misc & 0xFF;
        var fmt = (s1misc >> 8) & 0xFF;
        var dss = (s1misc >> 16) & 0xFF;
        var eats = s1misc >> 24;
        var t0sz = s2misc & 0xFF;
        var sl0 = (s2misc >> 8) & 0xFF;
        var ps = (s2misc >> 16) & 0xFF;
        var tg = s2misc >> 24;
        if ((s1ctx & 0x3F) != 0 || s1ctx >= (1UL << 56) || cdmax > 0x1F || fmt > 3 || dss > 3 || eats > 3
            || vmid > 0xFFFF || t0sz > 0x3F || sl0 > 3 || ps > 7 || tg > 3 || (ttb & 0xF) != 0 || ttb >= (1UL << 52))
        {
            throw new ArgumentOutOfRangeException(nameof(s1ctx));
        }

        const ulong Wbra = 1, Ish = 3, TableWbrwa = 1;
        var w0 = 1UL | (7UL << 1) | (fmt << 4) | s1ctx | (cdmax << 59);
        var w1 = dss | (Wbra << 2) | (Wbra << 4) | (Ish << 6) | (1UL << 19) | (eats << 28);
        var w2 = vmid | (t0sz << 32) | (sl0 << 38) | (TableWbrwa << 40) | (TableWbrwa << 42) | (Ish << 44) | (tg << 46) | (ps << 48)
            | (1UL << 51) | (1UL << 54) | (1UL << 58);
        BinaryPrimitives.WriteUInt64LittleEndian(e, w0);
        BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(8), w1);
        BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(16), w2);
        BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(24), ttb);
        e.Slice(32, 32).Clear();
    }
}
