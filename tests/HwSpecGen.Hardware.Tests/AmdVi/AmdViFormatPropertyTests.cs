using System;
using System.Linq;
using CsCheck;
using HwSpecGen.Runtime;

namespace HwSpecGen.Hardware.Tests.AmdVi;

/// <summary>Spec-wide properties of every amd-vi format, through the generic descriptors in FormatRegistry.</summary>
public sealed class AmdViFormatPropertyTests
{
    private static readonly FormatDescriptor[] AmdVi = FormatRegistry.Formats.Where(f => f.Layout.Vendor == "amd-vi").ToArray();

    [Fact]
    public void EveryFamilyIsRegistered()
    {
        string[] expected =
        [
            "CompletionWait", "InvalidateDevtabEntry", "InvalidateIommuPages", "InvalidateIotlbPages", "InvalidateInterruptTable",
            "PrefetchIommuPages", "CompletePprRequest", "InvalidateIommuAll", "DeviceTableEntry", "GuestDeviceTableEntry",
            "IllegalDevTableEntryEvent", "IoPageFaultEvent", "DevTabHardwareErrorEvent", "PageTabHardwareErrorEvent",
            "IllegalCommandErrorEvent", "CommandHardwareErrorEvent", "IotlbInvTimeoutEvent", "InvalidDeviceRequestEvent",
            "InvalidPprRequestEvent", "RmpPageFaultEvent", "RmpHwErrorEvent", "Gcr3Entry", "HostPageTableEntry", "GuestPageTableEntry",
            "PprLogEntry", "GaLogEntry", "DeviceTableBase", "CommandBufferBase", "EventLogBase", "PprLogBase", "CommandBufferHead",
            "CommandBufferTail", "EventLogHead", "EventLogTail", "PprLogHead", "PprLogTail", "Control", "Status", "ExtendedFeatures",
            "ExtendedFeatures2", "IoPageFaultFlags",
        ];
        Assert.Equal(expected.OrderBy(n => n, StringComparer.Ordinal), AmdVi.Select(f => f.Layout.Name).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void EveryFormatAndFieldNamesItsSource()
    {
        foreach (var f in AmdVi)
        {
            Assert.True(NamesLinuxOrQemu(f.Layout.Source), f.FullName);
            Assert.All(f.Layout.Fields, field => Assert.True(NamesAnImplementation(field.Source), $"{f.FullName}.{field.Name}"));
        }
    }

    [Fact]
    public void RandomWordsRoundTripAndReportExactlyTheMustBeZeroBitsSet()
    {
        foreach (var format in AmdVi)
        {
            var layout = format.Layout;
            Gen.ULong.Array[layout.WordCount].Sample(words =>
            {
                var v = format.Validate(words);
                for (var k = 0; k < layout.WordCount; k++)
                {
                    Assert.Equal(words[k] & layout.MustBeZeroMask(k), v.ReservedBitsSet(k));
                }

                var back = new ulong[layout.WordCount];
                format.RoundTrip(words, back);
                Assert.Equal(words, back); // encode(decode(b)) == b, ignored bits included

                // Random bytes never make decode throw; with the constants (opcode, event code, ...) in place it succeeds
                // and keeps every bit.
                var bytes = new byte[layout.SizeBytes];
                format.Encode(words, bytes);
                var decoded = new ulong[layout.WordCount];
                var ok = format.TryDecode(bytes, decoded, out var error);
                Assert.Equal(ok, error == DecodeError.None);

                var withConstants = (ulong[])words.Clone();
                foreach (var field in layout.Fields.Where(f => f.ConstValue is not null))
                {
                    var value = field.ConstValue!.Value;
                    foreach (var segment in field.Segments)
                    {
                        for (var i = 0; i < segment.Width; i++, value >>= 1)
                        {
                            var bit = segment.Lsb + i;
                            withConstants[bit / 64] = (withConstants[bit / 64] & ~(1UL << (bit % 64))) | ((value & 1) << (bit % 64));
                        }
                    }
                }

                format.Encode(withConstants, bytes);
                Assert.True(format.TryDecode(bytes, decoded, out error), format.FullName);
                Assert.Equal(withConstants, decoded);
                Assert.False(string.IsNullOrEmpty(format.Format(words)));
            }, iter: 200);
        }
    }

    [Fact]
    public void FieldsAndReservedRangesTileEveryFormat()
    {
        foreach (var format in AmdVi)
        {
            var layout = format.Layout;
            var reserved = new ulong[layout.WordCount];
            foreach (var r in layout.Reserved)
            {
                for (var bit = r.Segment.Lsb; bit <= r.Segment.Msb; bit++)
                {
                    Assert.Equal(0UL, reserved[bit / 64] & (1UL << (bit % 64))); // no bit reserved twice
                    reserved[bit / 64] |= 1UL << (bit % 64);
                }
            }

            for (var k = 0; k < layout.WordCount; k++)
            {
                Assert.Equal(0UL, layout.FieldMask(k) & reserved[k]);
                Assert.Equal(ulong.MaxValue, layout.FieldMask(k) | reserved[k]);
            }
        }
    }

    private static bool NamesLinuxOrQemu(string? source) =>
        source is not null && (source.Contains("Linux", StringComparison.Ordinal) || source.Contains("QEMU", StringComparison.Ordinal));

    /// <summary>A field the Linux driver and QEMU do not define may be sourced to another public implementation that encodes it.</summary>
    private static bool NamesAnImplementation(string? source) =>
        NamesLinuxOrQemu(source) || (source is not null && new[] { "Xen ", "VirtualBox ", "illumos " }.Any(s => source.Contains(s, StringComparison.Ordinal)));
}
