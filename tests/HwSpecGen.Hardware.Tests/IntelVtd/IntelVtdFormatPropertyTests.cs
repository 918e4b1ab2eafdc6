using System;
using System.Linq;
using CsCheck;
using HwSpecGen.Runtime;

namespace HwSpecGen.Hardware.Tests.IntelVtd;

/// <summary>
/// Properties every intel-vtd format must have, driven by <see cref="FormatRegistry"/>: random words round
/// trip, random bytes never make decode or validate throw, and Validate reports exactly the must-be-zero
/// bits that are set.
/// </summary>
public sealed class IntelVtdFormatPropertyTests
{
    private static readonly FormatDescriptor[] VtdFormats =
        FormatRegistry.Formats.Where(f => f.Layout.Vendor == "intel-vtd").ToArray();

    [Fact]
    public void EveryFormatOfTheIssueIsRegistered()
    {
        var names = VtdFormats.Select(f => f.Layout.Name).ToHashSet();
        foreach (var name in new[]
        {
            "ContextCacheInvalidate", "IotlbInvalidate", "DeviceTlbInvalidate", "InterruptEntryCacheInvalidate", "InvalidationWait",
            "PasidIotlbInvalidate256", "PasidCacheInvalidate256", "PasidDeviceTlbInvalidate256", "PageGroupResponse256",
            "ScalableModeRootEntry", "ScalableModeContextEntry", "PasidDirectoryEntry", "PasidTableEntry", "FaultRecord",
            "PageRequestDescriptor", "FirstStagePte", "SecondStagePte", "InvalidationQueueAddressRegister",
            "InvalidationQueueErrorRecordRegister", "FaultStatusRegister", "CapabilityRegister", "ExtendedCapabilityRegister",
            "GlobalCommandRegister", "GlobalStatusRegister",
        })
        {
            Assert.Contains(name, names);
        }

        Assert.Equal(47, VtdFormats.Length);
    }

    [Fact]
    public void RandomWordsRoundTripAndReportExactlyTheMustBeZeroBits()
    {
        foreach (var format in VtdFormats)
        {
            var layout = format.Layout;
            Gen.ULong.Array[layout.WordCount].Sample(words =>
            {
                if (layout.Bits < 64)
                {
                    words[0] &= (1UL << layout.Bits) - 1; // 32-bit registers hold only the low half
                }

                Span<ulong> back = stackalloc ulong[layout.WordCount];
                format.RoundTrip(words, back);
                Assert.True(back.SequenceEqual(words), layout.FullName);

                var v = format.Validate(words);
                for (var w = 0; w < layout.WordCount; w++)
                {
                    Assert.Equal(words[w] & layout.MustBeZeroMask(w), v.ReservedBitsSet(w));
                }
            }, iter: 200);
        }
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        foreach (var format in VtdFormats)
        {
            var layout = format.Layout;
            Gen.Byte.Array[0, layout.SizeBytes + 8].Sample(bytes =>
            {
                Span<ulong> words = stackalloc ulong[layout.WordCount];
                var ok = format.TryDecode(bytes, words, out var error);
                Assert.Equal(ok, error == DecodeError.None);
                if (bytes.Length < layout.SizeBytes)
                {
                    Assert.Equal(DecodeError.TooShort, error);
                }
                else
                {
                    _ = format.Validate(words);
                    _ = format.Format(words);
                }
            }, iter: 200);
        }
    }
}
