using System;
using System.Collections.Generic;
using System.Numerics;

namespace HwSpecGen.Runtime;

/// <summary>
/// What <c>Validate()</c> found wrong with a decoded value: must-be-zero bits that are set (per word),
/// fields holding an unnamed value of a strict enum, constant fields holding another value, and violated rules.
/// A value type with no allocation; <see cref="Describe"/> turns it into text for people.
/// </summary>
public readonly struct Violations : IEquatable<Violations>
{
    private readonly ReservedBits _reserved;

    /// <summary>Creates a set of violations from per-word reserved bits and masks indexed like the layout's fields and rules.</summary>
    public Violations(ulong r0, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, ulong r6, ulong r7, UInt128 enumFields, UInt128 constantFields, ulong rules)
    {
        _reserved[0] = r0;
        _reserved[1] = r1;
        _reserved[2] = r2;
        _reserved[3] = r3;
        _reserved[4] = r4;
        _reserved[5] = r5;
        _reserved[6] = r6;
        _reserved[7] = r7;
        EnumFields = enumFields;
        ConstantFields = constantFields;
        Rules = rules;
    }

    /// <summary>Bit i set: field i of the layout holds an unnamed value of a strict enum.</summary>
    public UInt128 EnumFields { get; }

    /// <summary>Bit i set: constant field i of the layout holds another value.</summary>
    public UInt128 ConstantFields { get; }

    /// <summary>Bit i set: rule i of the layout is violated.</summary>
    public ulong Rules { get; }

    /// <summary>The must-be-zero bits of word <paramref name="word"/> that are set.</summary>
    public ulong ReservedBitsSet(int word) => word is >= 0 and < 8 ? _reserved[word] : 0;

    /// <summary>True when any must-be-zero bit is set.</summary>
    public bool HasReservedBitsSet
    {
        get
        {
            for (var i = 0; i < 8; i++)
            {
                if (_reserved[i] != 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>True when nothing is wrong.</summary>
    public bool IsValid => !HasReservedBitsSet && EnumFields == UInt128.Zero && ConstantFields == UInt128.Zero && Rules == 0;

    /// <summary>Number of individual problems (each reserved bit counts once).</summary>
    public int Count
    {
        get
        {
            var n = 0;
            for (var i = 0; i < 8; i++)
            {
                n += BitOperations.PopCount(_reserved[i]);
            }

            return n + (int)UInt128.PopCount(EnumFields) + (int)UInt128.PopCount(ConstantFields) + BitOperations.PopCount(Rules);
        }
    }

    /// <summary>True when rule <paramref name="index"/> is violated.</summary>
    public bool IsRuleViolated(int index) => index is >= 0 and < 64 && ((Rules >> index) & 1) != 0;

    /// <summary>The architected errors of the violated rules (in layout order).</summary>
    public IEnumerable<string> RuleErrors(FormatLayout layout)
    {
        for (var i = 0; i < layout.Rules.Length; i++)
        {
            if (IsRuleViolated(i) && layout.Rules[i].Error is { } e)
            {
                yield return e;
            }
        }
    }

    /// <summary>One line per problem, for people.</summary>
    public IEnumerable<string> Describe(FormatLayout layout)
    {
        foreach (var range in ReservedRanges())
        {
            yield return range.Width == 1
                ? FormattableString.Invariant($"reserved bit {range.Lsb} is set (must be zero)")
                : FormattableString.Invariant($"reserved bits {range.Msb}:{range.Lsb} are set (must be zero)");
        }

        for (var i = 0; i < layout.Fields.Length; i++)
        {
            var f = layout.Fields[i];
            if (((ConstantFields >> i) & UInt128.One) != UInt128.Zero)
            {
                yield return FormattableString.Invariant($"{f.Name} must be 0x{f.ConstValue:X}");
            }

            if (((EnumFields >> i) & UInt128.One) != UInt128.Zero)
            {
                yield return FormattableString.Invariant($"{f.Name} holds a value {f.EnumName} does not name");
            }
        }

        for (var i = 0; i < layout.Rules.Length; i++)
        {
            if (IsRuleViolated(i))
            {
                var r = layout.Rules[i];
                var cond = r.When is null ? r.Require : $"{r.When} ⇒ {r.Require}";
                yield return r.Error is null ? $"rule {r.Name} violated: {cond}" : $"rule {r.Name} violated: {cond} ({r.Error})";
            }
        }
    }

    /// <summary>The set must-be-zero bits as maximal contiguous runs, least significant first.</summary>
    public IEnumerable<BitSegment> ReservedRanges()
    {
        var start = -1;
        for (var bit = 0; bit <= 512; bit++)
        {
            var set = bit < 512 && ((_reserved[bit >> 6] >> (bit & 63)) & 1) != 0;
            if (set && start < 0)
            {
                start = bit;
            }
            else if (!set && start >= 0)
            {
                yield return new BitSegment(start, bit - start);
                start = -1;
            }
        }
    }

    /// <inheritdoc/>
    public bool Equals(Violations other)
    {
        for (var i = 0; i < 8; i++)
        {
            if (_reserved[i] != other._reserved[i])
            {
                return false;
            }
        }

        return EnumFields == other.EnumFields && ConstantFields == other.ConstantFields && Rules == other.Rules;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Violations v && Equals(v);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        for (var i = 0; i < 8; i++)
        {
            h.Add(_reserved[i]);
        }

        h.Add(EnumFields);
        h.Add(ConstantFields);
        h.Add(Rules);
        return h.ToHashCode();
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(Violations left, Violations right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Violations left, Violations right) => !left.Equals(right);
}
