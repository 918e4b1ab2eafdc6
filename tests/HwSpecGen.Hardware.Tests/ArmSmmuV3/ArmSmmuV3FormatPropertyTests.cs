using System;
using System.Linq;
using CsCheck;
using HwSpecGen.Runtime;

namespace HwSpecGen.Hardware.Tests.ArmSmmuV3;

/// <summary>Spec-wide properties of every arm-smmuv3 format, through the generic descriptors in <see cref="FormatRegistry"/>.</summary>
public sealed class ArmSmmuV3FormatPropertyTests
{
    private static readonly FormatDescriptor[] Smmu = FormatRegistry.Formats.Where(f => f.Layout.Vendor == "arm-smmuv3").ToArray();

    [Fact]
    public void EveryFamilyOfTheIssueIsRegistered()
    {
        var names = Smmu.Select(f => f.Layout.Name).ToHashSet();
        foreach (var name in new[]
        {
            "PrefetchConfig", "PrefetchAddr", "CfgiSte", "CfgiSteRange", "CfgiCd", "CfgiCdAll", "TlbiNhAll", "TlbiNhAsid", "TlbiNhVa",
            "TlbiNhVaa", "TlbiEl2All", "TlbiEl2Asid", "TlbiEl2Va", "TlbiEl2Vaa", "TlbiS12Vmall", "TlbiS2Ipa", "TlbiNsnhAll", "AtcInv",
            "PriResp", "Resume", "StallTerm", "CmdSync", "Ste", "L1Std", "Cd", "L1Cd", "FUut", "CBadStreamid", "FSteFetch", "CBadSte",
            "FBadAtsTreq", "FStreamDisabled", "FTranslForbidden", "CBadSubstreamid", "FCdFetch", "CBadCd", "FWalkEabt", "FTranslation",
            "FAddrSize", "FAccess", "FPermission", "FTlbConflict", "FCfgConflict", "EPageRequest", "FVmsFetch", "PriQueueEntry",
            "S1TableDescriptor4K", "S1TableDescriptor16K", "S1TableDescriptor64K", "S1PageDescriptor4K", "S1PageDescriptor16K",
            "S1PageDescriptor64K", "S1BlockDescriptor4KLevel1", "S1BlockDescriptor4KLevel2", "S1BlockDescriptor16KLevel2",
            "S1BlockDescriptor64KLevel2", "S1BlockDescriptor64KLevel1", "S2TableDescriptor4K", "S2TableDescriptor16K", "S2TableDescriptor64K",
            "S2PageDescriptor4K", "S2PageDescriptor16K", "S2PageDescriptor64K", "S2BlockDescriptor4KLevel1", "S2BlockDescriptor4KLevel2",
            "S2BlockDescriptor16KLevel2", "S2BlockDescriptor64KLevel2", "S2BlockDescriptor64KLevel1", "Idr0", "Idr1", "Idr2", "Idr3", "Idr4",
            "Idr5", "Cr0", "StrtabBase", "StrtabBaseCfg", "CmdqBase", "CmdqProd", "CmdqCons", "EventqBase", "EventqProd", "EventqCons",
            "Gerror", "Gerrorn",
        })
        {
            Assert.Contains(name, names);
        }

        Assert.Equal(85, Smmu.Length);
    }

    [Fact]
    public void FieldsAndReservedRangesTileEveryFormat()
    {
        // Every bit of every format is claimed exactly once by a field or a reserved range.
        foreach (var format in Smmu)
        {
            var layout = format.Layout;
            var reserved = new ulong[layout.WordCount];
            foreach (var r in layout.Reserved)
            {
                for (var bit = r.Segment.Lsb; bit <= r.Segment.Msb; bit++)
                {
                    Assert.Equal(0UL, reserved[bit / 64] & (1UL << (bit % 64)));
                    reserved[bit / 64] |= 1UL << (bit % 64);
                }
            }

            for (var k = 0; k < layout.WordCount; k++)
            {
                var all = layout.Bits >= 64 * (k + 1) ? ulong.MaxValue : (1UL << (layout.Bits % 64)) - 1;
                Assert.Equal(0UL, layout.FieldMask(k) & reserved[k]);
                Assert.True(all == (layout.FieldMask(k) | reserved[k]), $"{layout.FullName} word {k}");
            }
        }
    }

    [Fact]
    public void EveryFormatNamesLinuxOrQemuAndEveryFieldASource()
    {
        foreach (var f in Smmu)
        {
            Assert.True(f.Layout.Source is { } s && (s.Contains("Linux", StringComparison.Ordinal) || s.Contains("QEMU", StringComparison.Ordinal)), f.FullName);
            Assert.All(f.Layout.Fields, field => Assert.False(string.IsNullOrWhiteSpace(field.Source), $"{f.FullName}.{field.Name}"));
        }
    }

    [Fact]
    public void RandomWordsRoundTripAndReportExactlyTheMustBeZeroBits()
    {
        foreach (var format in Smmu)
        {
            var layout = format.Layout;
            Gen.ULong.Array[layout.WordCount].Sample(words =>
            {
                if (layout.Bits < 64)
                {
                    words[0] &= (1UL << layout.Bits) - 1;
                }

                var back = new ulong[layout.WordCount];
                format.RoundTrip(words, back);
                Assert.Equal(words, back);

                var v = format.Validate(words);
                for (var k = 0; k < layout.WordCount; k++)
                {
                    Assert.Equal(words[k] & layout.MustBeZeroMask(k), v.ReservedBitsSet(k));
                }

                var bytes = new byte[layout.SizeBytes];
                format.Encode(words, bytes);
                var decoded = new ulong[layout.WordCount];
                var ok = format.TryDecode(bytes, decoded, out var error);
                Assert.Equal(ok, error == DecodeError.None);
                Assert.False(string.IsNullOrEmpty(format.Format(words)));
            }, iter: 100);
        }
    }
}
