using System;
using System.Collections.Immutable;
using System.Linq;

namespace HwSpecGen.Runtime;

/// <summary>Layout metadata of one field: where its bits are and how to read them. Built once per format.</summary>
public sealed class FieldLayout
{
    /// <summary>Creates a field layout.</summary>
    public FieldLayout(
        string name,
        FieldKind kind,
        ImmutableArray<BitSegment> segments,
        int shift,
        ulong? constValue,
        string? enumName,
        ImmutableArray<EnumMember> enumMembers,
        bool enumStrict,
        string? doc,
        string? source)
    {
        Name = name;
        Kind = kind;
        Segments = segments;
        Shift = shift;
        ConstValue = constValue;
        EnumName = enumName;
        EnumMembers = enumMembers.IsDefault ? ImmutableArray<EnumMember>.Empty : enumMembers;
        EnumStrict = enumStrict;
        Doc = doc;
        Source = source;
        Width = segments.Sum(s => s.Width);
    }

    /// <summary>Field name as in the spec.</summary>
    public string Name { get; }

    /// <summary>Interpretation.</summary>
    public FieldKind Kind { get; }

    /// <summary>Segments, least significant first.</summary>
    public ImmutableArray<BitSegment> Segments { get; }

    /// <summary>Implied low zero bits (addresses).</summary>
    public int Shift { get; }

    /// <summary>Total number of stored bits.</summary>
    public int Width { get; }

    /// <summary>The required value of a constant field, or null.</summary>
    public ulong? ConstValue { get; }

    /// <summary>Enum name for enum fields.</summary>
    public string? EnumName { get; }

    /// <summary>Named values for enum fields.</summary>
    public ImmutableArray<EnumMember> EnumMembers { get; }

    /// <summary>Whether unnamed enum values are violations.</summary>
    public bool EnumStrict { get; }

    /// <summary>Documentation.</summary>
    public string? Doc { get; }

    /// <summary>Where the bits were confirmed.</summary>
    public string? Source { get; }

    /// <summary>The largest raw value the field's bits can hold.</summary>
    public ulong MaxRaw => Width >= 64 ? ulong.MaxValue : (1UL << Width) - 1;

    /// <summary>Reads the raw bits (segments concatenated, least significant first).</summary>
    public ulong ExtractRaw(ReadOnlySpan<ulong> words)
    {
        ulong value = 0;
        var pos = 0;
        foreach (var s in Segments)
        {
            value |= s.Extract(words) << pos;
            pos += s.Width;
        }

        return value;
    }

    /// <summary>Writes raw bits (must fit <see cref="Width"/>).</summary>
    public void InsertRaw(Span<ulong> words, ulong raw)
    {
        var pos = 0;
        foreach (var s in Segments)
        {
            s.Insert(words, pos >= 64 ? 0 : raw >> pos);
            pos += s.Width;
        }
    }

    /// <summary>
    /// Sets the field to <paramref name="value"/> (as its getter returns it: addresses unshifted, signed values as two's
    /// complement) across all its segments; false, leaving <paramref name="words"/> unchanged, when the value does not fit.
    /// </summary>
    public bool TryWriteValue(Span<ulong> words, ulong value)
    {
        if (!TryValueToRaw(value, out var raw))
        {
            return false;
        }

        InsertRaw(words, raw);
        return true;
    }

    /// <summary>Turns raw bits into the field's value: addresses shifted, signed values sign-extended (as two's-complement bits).</summary>
    public ulong RawToValue(ulong raw) => Kind switch
    {
        FieldKind.Address => raw << Shift,
        FieldKind.Signed when Width < 64 => (ulong)((long)(raw << (64 - Width)) >> (64 - Width)),
        _ => raw,
    };

    /// <summary>Turns a value into raw bits; false when it does not fit (too wide, or implied-zero bits set).</summary>
    public bool TryValueToRaw(ulong value, out ulong raw)
    {
        raw = 0;
        switch (Kind)
        {
            case FieldKind.Address:
                if (Shift > 0 && (value & ((1UL << Shift) - 1)) != 0)
                {
                    return false;
                }

                raw = value >> Shift;
                return raw <= MaxRaw;
            case FieldKind.Signed:
                if (Width >= 64)
                {
                    raw = value;
                    return true;
                }

                var signed = (long)value;
                var min = -(1L << (Width - 1));
                var max = (1L << (Width - 1)) - 1;
                raw = value & MaxRaw;
                return signed >= min && signed <= max;
            default:
                raw = value;
                return raw <= MaxRaw;
        }
    }

    /// <summary>The field's value read from words.</summary>
    public ulong ReadValue(ReadOnlySpan<ulong> words) => RawToValue(ExtractRaw(words));

    /// <summary>The enum member named for <paramref name="raw"/>, if any.</summary>
    public EnumMember? FindMember(ulong raw)
    {
        foreach (var m in EnumMembers)
        {
            if (m.Value == raw)
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>The bits as written in a spec, most significant segment first: <c>127:107,95:80,60:58</c>.</summary>
    public string BitsText => string.Join(",", Segments.Reverse().Select(s => s.ToString()));
}
