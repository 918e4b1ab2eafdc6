using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using HwSpecGen.Generators.Model;

namespace HwSpecGen.Fuzz.Tests.Support;

/// <summary>
/// A slow, obviously correct reading of a YAML model, bit by bit: absolute bit N of an entry is bit N % 8 of byte
/// N / 8 (little-endian words in memory order). It shares nothing with the generator's emitter or the runtime's
/// layouts; the differential tests compare the generated code with it.
/// </summary>
internal static class BitInterpreter
{
    public static InterpretedEntry Read(ResolvedFormat format, IReadOnlyList<ResolvedEnum> vendorEnums, byte[] bytes)
    {
        var sizeBytes = format.Bits / 8;
        if (bytes.Length < sizeBytes)
        {
            return new InterpretedEntry(true, [], [], [], [], [], 0);
        }

        int Bit(int n) => (bytes[n / 8] >> (n % 8)) & 1;

        var raws = new ulong[format.Fields.Count];
        var values = new ulong[format.Fields.Count];
        var constantWrong = new List<int>();
        var enumUnnamed = new List<int>();
        for (var i = 0; i < format.Fields.Count; i++)
        {
            var f = format.Fields[i];
            ulong raw = 0;
            var position = 0;
            foreach (var segment in f.Segments)
            {
                for (var n = segment.Lo; n <= segment.Hi; n++)
                {
                    if (Bit(n) == 1)
                    {
                        raw |= 1UL << position;
                    }

                    position++;
                }
            }

            raws[i] = raw;
            values[i] = f.Kind switch
            {
                FieldKind.Address => raw << f.Shift,
                FieldKind.Signed => SignExtend(raw, position),
                _ => raw,
            };

            if (f.Const is { } c && raw != c)
            {
                constantWrong.Add(i);
            }

            if (f.Kind == FieldKind.Enum)
            {
                var e = format.Enums.Single(x => x.Name == f.Enum);
                if (e.Strict && e.Values.All(v => v.Value != raw))
                {
                    enumUnnamed.Add(i);
                }
            }
        }

        var mustBeZero = new List<int>();
        foreach (var r in format.Reserved.Where(r => r.Rule == ReservedRule.MustBeZero))
        {
            for (var n = r.Range.Lo; n <= r.Range.Hi; n++)
            {
                if (Bit(n) == 1)
                {
                    mustBeZero.Add(n);
                }
            }
        }

        var byName = new Dictionary<string, (ResolvedField Field, ulong Value)>(StringComparer.Ordinal);
        for (var i = 0; i < format.Fields.Count; i++)
        {
            byName[format.Fields[i].Name] = (format.Fields[i], values[i]);
        }

        ulong rules = 0;
        for (var i = 0; i < format.Rules.Count; i++)
        {
            var r = format.Rules[i];
            var guard = r.When is null || RuleEvaluator.Holds(r.When, byName, vendorEnums);
            if (guard && !RuleEvaluator.Holds(r.Require, byName, vendorEnums))
            {
                rules |= 1UL << i;
            }
        }

        mustBeZero.Sort();
        return new InterpretedEntry(false, raws, values, mustBeZero, constantWrong, enumUnnamed, rules);
    }

    /// <summary>Two's complement by arithmetic: a width-bit value with its top bit set stands for value − 2^width.</summary>
    private static ulong SignExtend(ulong raw, int width)
    {
        var value = new BigInteger(raw);
        if (((raw >> (width - 1)) & 1) == 1)
        {
            value -= BigInteger.One << width;
        }

        return unchecked((ulong)(long)value);
    }
}
