using System;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using HwSpecGen.Hardware.ArmSmmuV3;
using static HwSpecGen.Benchmarks.Codec.CodecData;

namespace HwSpecGen.Benchmarks.Codec;

/// <summary>Arm SMMUv3 CMD_TLBI_NH_VA (128 bits, with its two range rules): decode, validate, encode.</summary>
public class SmmuCommandBenchmarks
{
    private const int Size = TlbiNhVa.SizeBytes;
    private readonly byte[] _entries = new byte[N * Size];
    private readonly byte[] _output = new byte[N * Size];
    private readonly ulong[] _params = new ulong[N * 4];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Seed);
        for (var i = 0; i < N; i++)
        {
            var c = TlbiNhVa.Create()
                .WithVmid((ulong)(uint)random.Next(1 << 16))
                .WithAsid((ulong)(uint)random.Next(1 << 16))
                .WithLeaf(random.Next(2) == 1)
                .WithAddress(Next(random) & ~0xFFFUL);
            if (random.Next(2) == 1)
            {
                c = c.WithTg((TlbiGranule)(ulong)(1 + random.Next(3)))
                    .WithNum((ulong)(uint)random.Next(1, 32))
                    .WithScale((ulong)(uint)random.Next(32))
                    .WithTtl((ulong)(uint)random.Next(4));
            }

            c.WriteTo(_entries.AsSpan(i * Size, Size));
            switch (random.Next(16))
            {
                case 0: // a RES0 bit (11:8)
                    _entries[(i * Size) + 1] |= 0x04;
                    break;
                case 1: // Num without Tg (rule RangeFieldsNeedTg) or Tg without range (RangeNotReserved)
                    var w0 = BinaryPrimitives.ReadUInt64LittleEndian(_entries.AsSpan(i * Size));
                    var w1 = BinaryPrimitives.ReadUInt64LittleEndian(_entries.AsSpan((i * Size) + 8));
                    if (c.Tg == TlbiGranule.None)
                    {
                        w0 |= 1UL << 12;
                    }
                    else
                    {
                        w0 &= ~((0x1FUL << 12) | (0x1FUL << 20));
                        w1 &= ~(0x3UL << 8);
                    }

                    BinaryPrimitives.WriteUInt64LittleEndian(_entries.AsSpan(i * Size), w0);
                    BinaryPrimitives.WriteUInt64LittleEndian(_entries.AsSpan((i * Size) + 8), w1);
                    break;
                case 2: // another opcode (CMD_TLBI_NH_VAA)
                    _entries[i * Size] = 0x13;
                    break;
            }

            _params[(i * 4) + 0] = c.Vmid | (c.Asid << 16);
            _params[(i * 4) + 1] = c.Address;
            _params[(i * 4) + 2] = c.Num | (c.Scale << 8) | (c.Ttl << 16) | ((ulong)c.Tg << 24);
            _params[(i * 4) + 3] = c.Leaf ? 1UL : 0;
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
    [BenchmarkCategory("SMMUv3 TLBI_NH_VA decode")]
    public ulong Decode_HandWritten()
    {
        ulong acc = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            var e = bytes.Slice(i * Size, Size);
            var w0 = BinaryPrimitives.ReadUInt64LittleEndian(e);
            var w1 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));
            if ((w0 & 0xFF) != 0x12)
            {
                continue;
            }

            acc += ((w0 >> 12) & 0x1F) + ((w0 >> 20) & 0x1F) + ((w0 >> 32) & 0xFFFF) + (w0 >> 48)
                + (w1 & 1) + ((w1 >> 8) & 0x3) + ((w1 >> 10) & 0x3) + (w1 & 0xFFFF_FFFF_FFFF_F000);
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 TLBI_NH_VA decode")]
    public ulong Decode_Generated()
    {
        ulong acc = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            if (!TlbiNhVa.TryDecode(bytes.Slice(i * Size, Size), out var c, out _))
            {
                continue;
            }

            acc += c.Num + c.Scale + c.Vmid + c.Asid + (c.Leaf ? 1UL : 0) + c.Ttl + (ulong)c.Tg + c.Address;
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 TLBI_NH_VA decode")]
    public unsafe ulong Decode_C()
    {
        fixed (byte* p = _entries)
        {
            return NativeBaseline.SmmuTlbiDecode(p, N);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 TLBI_NH_VA validate")]
    public int Validate_HandWritten()
    {
        var valid = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            var e = bytes.Slice(i * Size, Size);
            var w0 = BinaryPrimitives.ReadUInt64LittleEndian(e);
            var w1 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));

            // opcode 0x12; RES0: 11:8, 19:17, 25, 31:26 (word 0), 71:65 (word 1 bits 7:1)
            if ((w0 & 0xFF) != 0x12 || (w0 & 0xFE0E_0F00) != 0 || (w1 & 0xFE) != 0)
            {
                continue;
            }

            // TG = 0: NUM, SCALE, TTL are RES0; TG != 0: not all three zero
            var range = ((w0 >> 12) & 0x1F) | ((w0 >> 20) & 0x1F) | ((w1 >> 8) & 0x3);
            var tg = (w1 >> 10) & 0x3;
            if ((tg == 0) == (range == 0))
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 TLBI_NH_VA validate")]
    public int Validate_Generated()
    {
        var valid = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            if (TlbiNhVa.Read(bytes.Slice(i * Size, Size)).IsValid)
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 TLBI_NH_VA validate")]
    public unsafe int Validate_C()
    {
        fixed (byte* p = _entries)
        {
            return NativeBaseline.SmmuTlbiValidate(p, N);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 TLBI_NH_VA encode")]
    public void Encode_HandWritten()
    {
        var output = _output.AsSpan();
        var ps = _params;
        for (var i = 0; i < N; i++)
        {
            var ids = ps[(i * 4) + 0];
            var address = ps[(i * 4) + 1];
            var range = ps[(i * 4) + 2];
            var leaf = ps[(i * 4) + 3] != 0 ? 1UL : 0;
            var vmid = ids & 0xFFFF;
            var asid = ids >> 16;
            var num = range & 0xFF;
            var scale = (range >> 8) & 0xFF;
            var ttl = (range >> 16) & 0xFF;
            var tg = range >> 24;
            if (asid > 0xFFFF || num > 0x1F || scale > 0x1F || ttl > 0x3 || tg > 0x3 || (address & 0xFFF) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ps));
            }

            var e = output.Slice(i * Size, Size);
            BinaryPrimitives.WriteUInt64LittleEndian(e, 0x12UL | (num << 12) | (scale << 20) | (vmid << 32) | (asid << 48));
            BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(8), leaf | (ttl << 8) | (tg << 10) | address);
        }
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 TLBI_NH_VA encode")]
    public void Encode_Generated()
    {
        var output = _output.AsSpan();
        var ps = _params;
        for (var i = 0; i < N; i++)
        {
            var ids = ps[(i * 4) + 0];
            var range = ps[(i * 4) + 2];
            new TlbiNhVa.Builder
            {
                Num = range & 0xFF,
                Scale = (range >> 8) & 0xFF,
                Vmid = ids & 0xFFFF,
                Asid = ids >> 16,
                Leaf = ps[(i * 4) + 3] != 0,
                Ttl = (range >> 16) & 0xFF,
                Tg = (TlbiGranule)(range >> 24),
                Address = ps[(i * 4) + 1],
            }.Build().WriteTo(output.Slice(i * Size, Size));
        }
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("SMMUv3 TLBI_NH_VA encode")]
    public unsafe void Encode_C()
    {
        fixed (ulong* ps = _params)
        fixed (byte* o = _output)
        {
            if (NativeBaseline.SmmuTlbiEncode(ps, N, o) != N)
            {
                throw new InvalidOperationException("C encoder rejected a parameter");
            }
        }
    }
}
