using System;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using HwSpecGen.Hardware.IntelVtd;
using static HwSpecGen.Benchmarks.Codec.CodecData;

namespace HwSpecGen.Benchmarks.Codec;

/// <summary>Intel VT-d PASID-based IOTLB invalidate descriptor (type 6, 256-bit queue form): decode, validate, encode.</summary>
public class VtdQiBenchmarks
{
    private const int Size = PasidIotlbInvalidate256.SizeBytes;
    private readonly byte[] _entries = new byte[N * Size];
    private readonly byte[] _output = new byte[N * Size];
    private readonly ulong[] _params = new ulong[N * 4];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Seed);
        for (var i = 0; i < N; i++)
        {
            var d = PasidIotlbInvalidate256.Create()
                .WithG(random.Next(2) == 0 ? PasidIotlbGranularity.PasidSelective : PasidIotlbGranularity.PageSelectiveWithinPasid)
                .WithDid((ulong)(uint)random.Next(1 << 16))
                .WithPasid((ulong)(uint)random.Next(1 << 20))
                .WithAm((ulong)(uint)random.Next(64))
                .WithIh(random.Next(2) == 1)
                .WithAddr(Next(random) & ~0xFFFUL);
            d.WriteTo(_entries.AsSpan(i * Size, Size));
            switch (random.Next(16))
            {
                case 0: // a must-be-zero bit in 255:128
                    _entries[(i * Size) + 16 + random.Next(16)] |= 1;
                    break;
                case 1: // granularity 1 (reserved value of a strict enum)
                    _entries[i * Size] = (byte)((_entries[i * Size] & 0xCF) | 0x10);
                    break;
                case 2: // another descriptor type
                    _entries[i * Size] ^= 0x01;
                    break;
            }

            _params[(i * 4) + 0] = d.Did;
            _params[(i * 4) + 1] = d.Pasid;
            _params[(i * 4) + 2] = d.Addr;
            _params[(i * 4) + 3] = d.Am | (d.Ih ? 1UL << 8 : 0) | ((ulong)d.G << 16);
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
    [BenchmarkCategory("VT-d PasidIotlbInvalidate256 decode")]
    public ulong Decode_HandWritten()
    {
        ulong acc = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            var e = bytes.Slice(i * Size, Size);
            var w0 = BinaryPrimitives.ReadUInt64LittleEndian(e);
            var w1 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));

            // type = bits 3:0 | bits 11:9 << 4 must be 6
            if ((w0 & 0xF) != 0x6 || (w0 & 0xE00) != 0)
            {
                continue;
            }

            acc += ((w0 >> 4) & 0x3) + ((w0 >> 16) & 0xFFFF) + ((w0 >> 32) & 0xFFFFF) + (w1 & 0x3F) + ((w1 >> 6) & 1) + (w1 & 0xFFFF_FFFF_FFFF_F000);
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("VT-d PasidIotlbInvalidate256 decode")]
    public ulong Decode_Generated()
    {
        ulong acc = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            if (!PasidIotlbInvalidate256.TryDecode(bytes.Slice(i * Size, Size), out var d, out _))
            {
                continue;
            }

            acc += (ulong)d.G + d.Did + d.Pasid + d.Am + (d.Ih ? 1UL : 0) + d.Addr;
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("VT-d PasidIotlbInvalidate256 decode")]
    public unsafe ulong Decode_C()
    {
        fixed (byte* p = _entries)
        {
            return NativeBaseline.VtdPiotlbDecode(p, N);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("VT-d PasidIotlbInvalidate256 validate")]
    public int Validate_HandWritten()
    {
        var valid = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            var e = bytes.Slice(i * Size, Size);
            var w0 = BinaryPrimitives.ReadUInt64LittleEndian(e);
            var w1 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));
            var w2 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(16));
            var w3 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(24));

            // type 6; G (5:4) is 2 or 3; must be zero: 8:6, 15:12, 63:52, 75:71, 255:128
            if ((w0 & 0xF) == 0x6 && (w0 & 0xE00) == 0 && ((w0 >> 4) & 0x3) >= 2
                && (w0 & 0xFFF0_0000_0000_F1C0) == 0 && (w1 & 0xF80) == 0 && (w2 | w3) == 0)
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("VT-d PasidIotlbInvalidate256 validate")]
    public int Validate_Generated()
    {
        var valid = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            if (PasidIotlbInvalidate256.Read(bytes.Slice(i * Size, Size)).IsValid)
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("VT-d PasidIotlbInvalidate256 validate")]
    public unsafe int Validate_C()
    {
        fixed (byte* p = _entries)
        {
            return NativeBaseline.VtdPiotlbValidate(p, N);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("VT-d PasidIotlbInvalidate256 encode")]
    public void Encode_HandWritten()
    {
        var output = _output.AsSpan();
        var ps = _params;
        for (var i = 0; i < N; i++)
        {
            var did = ps[(i * 4) + 0];
            var pasid = ps[(i * 4) + 1];
            var addr = ps[(i * 4) + 2];
            var misc = ps[(i * 4) + 3];
            var am = misc & 0xFF;
            var ih = (misc >> 8) & 0xFF;
            var g = misc >> 16;
            if (did > 0xFFFF || pasid > 0xFFFFF || am > 0x3F || ih > 1 || g > 3 || (addr & 0xFFF) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ps));
            }

            var e = output.Slice(i * Size, Size);
            BinaryPrimitives.WriteUInt64LittleEndian(e, 0x6UL | (g << 4) | (did << 16) | (pasid << 32));
            BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(8), am | (ih << 6) | addr);
            BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(16), 0);
            BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(24), 0);
        }
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("VT-d PasidIotlbInvalidate256 encode")]
    public void Encode_Generated()
    {
        var output = _output.AsSpan();
        var ps = _params;
        for (var i = 0; i < N; i++)
        {
            var misc = ps[(i * 4) + 3];
            new PasidIotlbInvalidate256.Builder
            {
                G = (PasidIotlbGranularity)(misc >> 16),
                Did = ps[(i * 4) + 0],
                Pasid = ps[(i * 4) + 1],
                Am = misc & 0xFF,
                Ih = ((misc >> 8) & 0xFF) != 0,
                Addr = ps[(i * 4) + 2],
            }.Build().WriteTo(output.Slice(i * Size, Size));
        }
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("VT-d PasidIotlbInvalidate256 encode")]
    public unsafe void Encode_C()
    {
        fixed (ulong* ps = _params)
        fixed (byte* o = _output)
        {
            if (NativeBaseline.VtdPiotlbEncode(ps, N, o) != N)
            {
                throw new InvalidOperationException("C encoder rejected a parameter");
            }
        }
    }
}
