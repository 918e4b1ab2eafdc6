using System;
using System.Collections.Immutable;

namespace HwSpecGen.Runtime;

/// <summary>A command set: formats of one size told apart by a discriminator (opcode / type code).</summary>
public sealed class CommandSetDescriptor
{
    /// <summary>Creates a set descriptor.</summary>
    public CommandSetDescriptor(string vendor, string name, int bits, ImmutableArray<BitSegment> discriminator, string? unknownError, string? doc, ImmutableArray<CommandSetMember> members, CommandSetDecoder? decoder = null)
    {
        Decoder = decoder;
        Vendor = vendor;
        Name = name;
        Bits = bits;
        Discriminator = discriminator;
        UnknownError = unknownError;
        Doc = doc;
        Members = members;
    }

    /// <summary>Vendor key.</summary>
    public string Vendor { get; }

    /// <summary>Set name.</summary>
    public string Name { get; }

    /// <summary><c>vendor/Name</c>.</summary>
    public string FullName => Vendor + "/" + Name;

    /// <summary>Member size in bits.</summary>
    public int Bits { get; }

    /// <summary>Discriminator segments, least significant first.</summary>
    public ImmutableArray<BitSegment> Discriminator { get; }

    /// <summary>The architected error for an unknown discriminator.</summary>
    public string? UnknownError { get; }

    /// <summary>Documentation.</summary>
    public string? Doc { get; }

    /// <summary>Members with their discriminator values.</summary>
    public ImmutableArray<CommandSetMember> Members { get; }

    /// <summary>The generated dispatcher (<c>XxxSet.Decode</c>) without generics; null for a hand-made descriptor.</summary>
    public CommandSetDecoder? Decoder { get; }

    /// <summary>Entry size in bytes.</summary>
    public int SizeBytes => Bits / 8;

    /// <summary>Number of 64-bit words an entry occupies.</summary>
    public int WordCount => (Bits + 63) / 64;

    /// <summary>Reads the discriminator from raw words.</summary>
    public ulong ExtractOpcode(ReadOnlySpan<ulong> words)
    {
        ulong value = 0;
        var pos = 0;
        foreach (var s in Discriminator)
        {
            value |= s.Extract(words) << pos;
            pos += s.Width;
        }

        return value;
    }

    /// <summary>The member with discriminator <paramref name="opcode"/>, or null.</summary>
    public FormatDescriptor? Find(ulong opcode)
    {
        foreach (var m in Members)
        {
            if (m.Opcode == opcode)
            {
                return m.Format;
            }
        }

        return null;
    }
}
