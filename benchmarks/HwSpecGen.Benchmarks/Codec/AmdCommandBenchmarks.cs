using System;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Benchmarks.Codec.CodecData;

namespace HwSpecGen.Benchmarks.Codec;

/// <summary>AMD-Vi INVALIDATE_IOMMU_PAGES (128 bits): decode, validate, encode — generated vs hand-written C# vs C.</summary>
public class AmdCommandBenchmarks
{
    private const int Size = InvalidateIommuPages.SizeBytes;
    private readonly byte[] _entries = new byte[N * Size];
    private readonly byte[] _output = new byte[N * Size];
    private readonly ulong[] _params = new ulong[N * 4];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Seed);
        for (var i = 0; i < N; i++)
        {
            var cmd = InvalidateIommuPages.Create()
                .WithDomainId((ulong)(uint)random.Next(1 << 16))
                .WithPasid((ulong)(uint)random.Next(1 << 20))
                .WithAddress(Next(random) & ~0xFFFUL)
                .WithS(random.Next(2) == 1)
                .WithPde(random.Next(2) == 1)
                .WithGn(random.Next(2) == 1);
            cmd.WriteTo(_entries.AsSpan(i * Size, Size));
            switch (random.Next(16))
            {
                case 0: // a must-be-zero bit set (31:20, 59:48 or 75:67)
                    _entries[(i * Size) + 2] |= 0x10;
                    break;
                case 1: // another opcode
                    _entries[(i * Size) + 7] ^= 0x40;
                    break;
            }

            _params[(i * 4) + 0] = cmd.DomainId;
            _params[(i * 4) + 1] = cmd.Pasid;
            _params[(i * 4) + 2] = cmd.Address;
            _params[(i * 4) + 3] = (cmd.S ? 1UL : 0) | (cmd.Pde ? 2UL : 0) | (cmd.Gn ? 4UL : 0);
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
    [BenchmarkCategory("AMD InvalidateIommuPages decode")]
    public ulong Decode_HandWritten()
    {
        ulong acc = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            var e = bytes.Slice(i * Size, Size);
            var w0 = BinaryPrimitives.ReadUInt64LittleEndian(e);
            var w1 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));
            if ((w0 >> 60) != 0x3)
            {
                continue;
            }

            acc += ((w0 >> 32) & 0xFFFF) + (w0 & 0xFFFFF) + (w1 & 0xFFFF_FFFF_FFFF_F000) + (w1 & 1) + (((w1 >> 1) & 1) << 1) + (((w1 >> 2) & 1) << 2);
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD InvalidateIommuPages decode")]
    public ulong Decode_Generated()
    {
        ulong acc = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            if (!InvalidateIommuPages.TryDecode(bytes.Slice(i * Size, Size), out var c, out _))
            {
                continue;
            }

            acc += c.DomainId + c.Pasid + c.Address + (c.S ? 1UL : 0) + (c.Pde ? 2UL : 0) + (c.Gn ? 4UL : 0);
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD InvalidateIommuPages decode")]
    public unsafe ulong Decode_C()
    {
        fixed (byte* p = _entries)
        {
            return NativeBaseline.AmdInvDecode(p, N);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD InvalidateIommuPages validate")]
    public int Validate_HandWritten()
    {
        var valid = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            var e = bytes.Slice(i * Size, Size);
            var w0 = BinaryPrimitives.ReadUInt64LittleEndian(e);
            var w1 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));

            // opcode 63:60 = 3; must be zero: 31:20, 59:48 (word 0), 75:67 (word 1 bits 11:3)
            if ((w0 >> 60) == 0x3 && (w0 & 0x0FFF_0000_FFF0_0000) == 0 && (w1 & 0xFF8) == 0)
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD InvalidateIommuPages validate")]
    public int Validate_Generated()
    {
        var valid = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            if (InvalidateIommuPages.Read(bytes.Slice(i * Size, Size)).IsValid)
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD InvalidateIommuPages validate")]
    public unsafe int Validate_C()
    {
        fixed (byte* p = _entries)
        {
            return NativeBaseline.AmdInvValidate(p, N);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD InvalidateIommuPages encode")]
    public void Encode_HandWritten()
    {
        var output = _output.AsSpan();
        var ps = _params;
        for (var i = 0; i < N; i++)
        {
            var domainId = ps[(i * 4) + 0];
            var pasid = ps[(i * 4) + 1];
            var address = ps[(i * 4) + 2];
            var flags = ps[(i * 4) + 3];
            if (domainId > 0xFFFF || pasid > 0xFFFFF || (address & 0xFFF) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ps));
            }

            var w0 = (0x3UL << 60) | (domainId << 32) | pasid;
            var w1 = address | (flags & 1) | (((flags >> 1) & 1) << 1) | (((flags >> 2) & 1) << 2);
            var e = output.Slice(i * Size, Size);
            BinaryPrimitives.WriteUInt64LittleEndian(e, w0);
            BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(8), w1);
        }
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD InvalidateIommuPages encode")]
    public void Encode_Generated()
    {
        var output = _output.AsSpan();
        var ps = _params;
        for (var i = 0; i < N; i++)
        {
            var flags = ps[(i * 4) + 3];
            new InvalidateIommuPages.Builder
            {
                DomainId = ps[(i * 4) + 0],
                Pasid = ps[(i * 4) + 1],
                Address = ps[(i * 4) + 2],
                S = (flags & 1) != 0,
                Pde = (flags & 2) != 0,
                Gn = (flags & 4) != 0,
            }.Build().WriteTo(output.Slice(i * Size, Size));
        }
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD InvalidateIommuPages encode")]
    public unsafe void Encode_C()
    {
        fixed (ulong* ps = _params)
        fixed (byte* o = _output)
        {
            if (NativeBaseline.AmdInvEncode(ps, N, o) != N)
            {
                throw new InvalidOperationException("C encoder rejected a parameter");
            }
        }
    }
}
