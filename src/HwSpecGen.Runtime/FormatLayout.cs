using System;
using System.Collections.Immutable;

namespace HwSpecGen.Runtime;

/// <summary>Layout metadata of one format: everything a tool needs to read it without reflection.</summary>
public sealed class FormatLayout
{
    private readonly ulong[] _mustBeZero;
    private readonly ulong[] _defined;

    /// <summary>Creates a format layout.</summary>
    public FormatLayout(
        string vendor,
        string name,
        int bits,
        string? set,
        string? doc,
        string? source,
        ImmutableArray<FieldLayout> fields,
        ImmutableArray<ReservedLayout> reserved,
        ImmutableArray<RuleLayout> rules)
    {
        Vendor = vendor;
        Name = name;
        Bits = bits;
        Set = set;
        Doc = doc;
        Source = source;
        Fields = fields;
        Reserved = reserved;
        Rules = rules;
        _mustBeZero = new ulong[WordCount];
        _defined = new ulong[WordCount];
        foreach (var r in reserved)
        {
            if (r.Rule == ReservedRule.MustBeZero)
            {
                Mark(_mustBeZero, r.Segment);
            }
        }

        foreach (var f in fields)
        {
            foreach (var s in f.Segments)
            {
                Mark(_defined, s);
            }
        }
    }

    /// <summary>Vendor key (e.g. <c>amd-vi</c>).</summary>
    public string Vendor { get; }

    /// <summary>Format name.</summary>
    public string Name { get; }

    /// <summary><c>vendor/Name</c>.</summary>
    public string FullName => Vendor + "/" + Name;

    /// <summary>Size in bits.</summary>
    public int Bits { get; }

    /// <summary>Size in bytes.</summary>
    public int SizeBytes => Bits / 8;

    /// <summary>Number of 64-bit words that hold it.</summary>
    public int WordCount => (Bits + 63) / 64;

    /// <summary>Command set it belongs to, if any.</summary>
    public string? Set { get; }

    /// <summary>Documentation.</summary>
    public string? Doc { get; }

    /// <summary>Where it was confirmed.</summary>
    public string? Source { get; }

    /// <summary>Fields in spec order.</summary>
    public ImmutableArray<FieldLayout> Fields { get; }

    /// <summary>Reserved ranges.</summary>
    public ImmutableArray<ReservedLayout> Reserved { get; }

    /// <summary>Cross-field rules.</summary>
    public ImmutableArray<RuleLayout> Rules { get; }

    /// <summary>Bits of word <paramref name="word"/> that must be zero.</summary>
    public ulong MustBeZeroMask(int word) => _mustBeZero[word];

    /// <summary>Bits of word <paramref name="word"/> that belong to a field.</summary>
    public ulong FieldMask(int word) => _defined[word];

    /// <summary>Finds a field by name (ordinal, case-insensitive).</summary>
    public FieldLayout? FindField(string name)
    {
        foreach (var f in Fields)
        {
            if (string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return f;
            }
        }

        return null;
    }

    private static void Mark(ulong[] masks, BitSegment s)
    {
        for (var b = s.Lsb; b <= s.Msb; b++)
        {
            masks[b >> 6] |= 1UL << (b & 63);
        }
    }
}
