using System;

namespace HwSpecGen.Runtime;

/// <summary>
/// A command set's generated dispatcher seen without generics (<see cref="CommandSetDescriptor.Decoder"/>): what tools
/// and fuzzers use to run the generated <c>XxxSet.Decode</c> of any set found in the registry.
/// </summary>
public abstract class CommandSetDecoder
{
    /// <summary>Decodes <paramref name="bytes"/> with the generated dispatcher. Never throws.</summary>
    /// <param name="bytes">The entry's bytes in memory order.</param>
    /// <param name="words">Receives the entry's words (zeros when too short); must hold the set's word count.</param>
    /// <param name="opcode">The discriminator value the dispatcher read.</param>
    /// <param name="member">The member's layout the dispatcher chose, or null.</param>
    /// <returns>The dispatcher's error: none, too short or unknown opcode.</returns>
    public abstract DecodeError Decode(ReadOnlySpan<byte> bytes, Span<ulong> words, out ulong opcode, out FormatLayout? member);

    /// <summary>Decodes and validates as the member the discriminator names.</summary>
    /// <param name="bytes">The entry's bytes in memory order.</param>
    /// <returns>The member's violations; none for an unknown or short entry.</returns>
    public abstract Violations Validate(ReadOnlySpan<byte> bytes);

    /// <summary>The generated set's <c>IsValid</c>: a known member whose <see cref="Validate"/> reports nothing.</summary>
    /// <param name="bytes">The entry's bytes.</param>
    /// <returns>True when valid.</returns>
    public abstract bool IsValid(ReadOnlySpan<byte> bytes);

    /// <summary>Decodes and returns the generated <c>ToString()</c> of the tagged entry.</summary>
    /// <param name="bytes">The entry's bytes in memory order.</param>
    /// <returns>Text for people.</returns>
    public abstract string Format(ReadOnlySpan<byte> bytes);
}
