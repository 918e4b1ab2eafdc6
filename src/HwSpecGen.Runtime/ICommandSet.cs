using System;

namespace HwSpecGen.Runtime;

/// <summary>
/// What every generated command-set dispatcher (<c>XxxSet</c>) provides; lets generic code (tools, fuzzing, the core)
/// decode entries of any set by its discriminator without knowing the set's member types.
/// </summary>
/// <typeparam name="TSelf">The generated set struct.</typeparam>
public interface ICommandSet<TSelf>
    where TSelf : struct, ICommandSet<TSelf>
{
    /// <summary>The set's metadata: discriminator and members.</summary>
    static abstract CommandSetDescriptor Descriptor { get; }

    /// <summary>Decodes an entry in memory order by its discriminator. Never throws.</summary>
    /// <param name="bytes">The entry's bytes; fewer than the set's size gives <see cref="DecodeError.TooShort"/>.</param>
    /// <returns>The tagged entry.</returns>
    static abstract TSelf Decode(ReadOnlySpan<byte> bytes);

    /// <summary>The discriminator's value (0 when too short).</summary>
    ulong Opcode { get; }

    /// <summary><see cref="DecodeError.None"/>, <see cref="DecodeError.TooShort"/> or <see cref="DecodeError.UnknownOpcode"/>.</summary>
    DecodeError Error { get; }

    /// <summary>True when the discriminator names a member.</summary>
    bool IsKnown { get; }

    /// <summary>The member's layout, or null for an unknown entry.</summary>
    FormatLayout? MemberLayout { get; }

    /// <summary>Raw word <paramref name="index"/> of the entry.</summary>
    /// <param name="index">Word index.</param>
    /// <returns>The word.</returns>
    ulong GetWord(int index);

    /// <summary>The member's violations; none for an unknown entry.</summary>
    /// <returns>The violations.</returns>
    Violations Validate();

    /// <summary>True when the entry is a known member and <see cref="Validate"/> reports nothing; computed without building the report.</summary>
    bool IsValid { get; }
}
