using System;
using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using HwSpecGen.Hardware.AmdVi;
using static HwSpecGen.Benchmarks.Codec.CodecData;

namespace HwSpecGen.Benchmarks.Codec;

/// <summary>AMD-Vi device table entry (256 bits, GCR3 root split over three segments): decode, validate, encode a nested DTE.</summary>
public class DteBenchmarks
{
    private const int Size = DeviceTableEntry.SizeBytes;
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
            var hptr = Next(random) & 0x000F_FFFF_FFFF_F000;
            var gcr3 = Next(random) & 0x000F_FFFF_FFFF_F000;
            var domainId = (ulong)(uint)random.Next(1 << 16);
            var misc = (ulong)(uint)random.Next(1, 7) | ((ulong)(uint)random.Next(3) << 8) | ((ulong)(uint)random.Next(2) << 16);
            var intRoot = Next(random) & 0x000F_FFFF_FFFF_FF80;
            _params[(i * P) + 0] = hptr;
            _params[(i * P) + 1] = gcr3;
            _params[(i * P) + 2] = domainId;
            _params[(i * P) + 3] = misc;
            _params[(i * P) + 4] = intRoot;
            var dte = BuildGenerated(hptr, gcr3, domainId, misc, intRoot);
            switch (random.Next(12))
            {
                case 0:
                    dte = dte.WithMode((DteMode)7UL); // not a DteMode (strict enum) and rule ModeNotReserved
                    break;
                case 1:
                    dte = dte.WithGlx(3); // GlxNotReserved
                    break;
                case 2:
                    dte = dte.WithGuestPagingMode((GuestPagingMode)(ulong)(uint)random.Next(2, 4));
                    break;
                case 3:
                    dte = dte.WithIntCtl((IntCtl)3UL);
                    break;
                case 4:
                    dte = dte.WithGv(false).WithGlx(3); // GLX is only checked with GV
                    break;
            }

            dte.WriteTo(_entries.AsSpan(i * Size, Size));
            if (random.Next(16) == 0)
            {
                _entries[(i * Size) + 24 + random.Next(2)] |= 0x01; // bit 192 (must be zero) or 200 (must be zero)
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
    [BenchmarkCategory("AMD DTE decode")]
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

            // GCR3 root: bits 14:12 at 60:58, 30:15 at 95:80, 51:31 at 127:107
            var gcr3 = (((w0 >> 58) & 0x7) | (((w1 >> 16) & 0xFFFF) << 3) | (((w1 >> 43) & 0x1F_FFFF) << 19)) << 12;
            acc += (w0 & 1) + ((w0 >> 1) & 1) + ((w0 >> 9) & 0x7) + (w0 & 0x000F_FFFF_FFFF_F000) + ((w0 >> 55) & 1) + ((w0 >> 56) & 0x3)
                + gcr3 + ((w0 >> 61) & 1) + ((w0 >> 62) & 1) + (w1 & 0xFFFF)
                + ((w2 >> 54) & 0x3) + (w2 & 1) + (w2 & 0x000F_FFFF_FFFF_FFC0);
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD DTE decode")]
    public ulong Decode_Generated()
    {
        ulong acc = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            DeviceTableEntry.TryDecode(bytes.Slice(i * Size, Size), out var d, out _);
            acc += (d.V ? 1UL : 0) + (d.Tv ? 1UL : 0) + (ulong)d.Mode + d.HostPageTableRoot + (d.Gv ? 1UL : 0) + d.Glx
                + d.Gcr3Root + (d.Ir ? 1UL : 0) + (d.Iw ? 1UL : 0) + d.DomainId
                + (ulong)d.GuestPagingMode + (d.Iv ? 1UL : 0) + d.IntTableRoot;
        }

        return acc;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD DTE decode")]
    public unsafe ulong Decode_C()
    {
        fixed (byte* p = _entries)
        {
            return NativeBaseline.DteDecode(p, N);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD DTE validate")]
    public int Validate_HandWritten()
    {
        var valid = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            var e = bytes.Slice(i * Size, Size);
            var w0 = BinaryPrimitives.ReadUInt64LittleEndian(e);
            var w2 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(16));
            var w3 = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(24));

            // must be zero: 6:2, 63 | 181:180 | 206:192, 245:240; Mode 0..6, guest paging mode 0..1, IntCtl 0..2; V && GV => GLX != 3
            if ((w0 & 0x8000_0000_0000_007C) == 0 && (w2 & 0x0030_0000_0000_0000) == 0 && (w3 & 0x003F_0000_0000_7FFF) == 0
                && ((w0 >> 9) & 0x7) != 7 && ((w2 >> 54) & 0x3) <= 1 && ((w2 >> 60) & 0x3) != 3
                && !((w0 & 1) != 0 && ((w0 >> 55) & 1) != 0 && ((w0 >> 56) & 0x3) == 3))
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD DTE validate")]
    public int Validate_Generated()
    {
        var valid = 0;
        var bytes = _entries.AsSpan();
        for (var i = 0; i < N; i++)
        {
            if (DeviceTableEntry.Read(bytes.Slice(i * Size, Size)).IsValid)
            {
                valid++;
            }
        }

        return valid;
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD DTE validate")]
    public unsafe int Validate_C()
    {
        fixed (byte* p = _entries)
        {
            return NativeBaseline.DteValidate(p, N);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD DTE encode")]
    public void Encode_HandWritten()
    {
        var output = _output.AsSpan();
        var ps = _params;
        for (var i = 0; i < N; i++)
        {
            var hptr = ps[(i * P) + 0];
            var gcr3 = ps[(i * P) + 1];
            var domainId = ps[(i * P) + 2];
            var misc = ps[(i * P) + 3];
            var intRoot = ps[(i * P) + 4];
            var mode = misc & 0xFF;
            var glx = (misc >> 8) & 0xFF;
            var gpm = misc >> 16;
            if ((hptr & 0xFFF) != 0 || hptr >= (1UL << 52) || (gcr3 & 0xFFF) != 0 || gcr3 >= (1UL << 52) || domainId > 0xFFFF
                || mode > 7 || glx > 3 || gpm > 3 || (intRoot & 0x3F) != 0 || intRoot >= (1UL << 52))
            {
                throw new ArgumentOutOfRangeException(nameof(ps));
            }

            var g = gcr3 >> 12;
            var w0 = 1UL | (1UL << 1) | (mode << 9) | hptr | (1UL << 54) | (1UL << 55) | (glx << 56) | ((g & 0x7) << 58) | (1UL << 61) | (1UL << 62);
            var w1 = domainId | (((g >> 3) & 0xFFFF) << 16) | (((g >> 19) & 0x1F_FFFF) << 43);
            var w2 = 1UL | (9UL << 1) | intRoot | (gpm << 54) | (2UL << 60);
            var e = output.Slice(i * Size, Size);
            BinaryPrimitives.WriteUInt64LittleEndian(e, w0);
            BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(8), w1);
            BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(16), w2);
            BinaryPrimitives.WriteUInt64LittleEndian(e.Slice(24), 0);
        }
    }

    [Benchmark(OperationsPerInvoke = N)]
    [BenchmarkCategory("AMD DTE encode")]
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
    [BenchmarkCategory("AMD DTE encode")]
    public unsafe void Encode_C()
    {
        fixed (ulong* ps = _params)
        fixed (byte* o = _output)
        {
            if (NativeBaseline.DteEncode(ps, N, o) != N)
            {
                throw new InvalidOperationException("C encoder rejected a parameter");
            }
        }
    }

    /// <summary>A nested DTE as Linux's set_dte_nested + the interrupt-remapping part of set_dte_entry build it.</summary>
    private static DeviceTableEntry BuildGenerated(ulong hptr, ulong gcr3, ulong domainId, ulong misc, ulong intRoot) =>
        new DeviceTableEntry.Builder
        {
            V = true,
            Tv = true,
            Mode = (DteMode)(misc & 0xFF),
            HostPageTableRoot = hptr,
            GIov = true,
            Gv = true,
            Glx = (misc >> 8) & 0xFF,
            Gcr3Root = gcr3,
            Ir = true,
            Iw = true,
            DomainId = domainId,
            Iv = true,
            IntTabLen = 9,
            IntTableRoot = intRoot,
            GuestPagingMode = (GuestPagingMode)(misc >> 16),
            IntCtl = IntCtl.Remap,
        }.Build();
}
