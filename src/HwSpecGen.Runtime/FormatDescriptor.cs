using System;

namespace HwSpecGen.Runtime;

/// <summary>A format seen without generics: what tools (CLI, fuzzing, docs) use to handle any format by name.</summary>
public abstract class FormatDescriptor
{
    /// <summary>Layout metadata.</summary>
    public abstract FormatLayout Layout { get; }

    /// <summary><c>vendor/Name</c>.</summary>
    public string FullName => Layout.FullName;

    /// <summary>Decodes bytes into words (<paramref name="words"/> must hold <see cref="FormatLayout.WordCount"/>); never throws.</summary>
    public abstract bool TryDecode(ReadOnlySpan<byte> bytes, Span<ulong> words, out DecodeError error);

    /// <summary>Validates raw words.</summary>
    public abstract Violations Validate(ReadOnlySpan<ulong> words);

    /// <summary>The generated <c>IsValid</c> of raw words: true exactly when <see cref="Validate"/> reports nothing.</summary>
    public abstract bool IsValid(ReadOnlySpan<ulong> words);

    /// <summary>The generated <c>HasReservedBitsSet</c> of raw words: true exactly when <see cref="Validate"/> reports a must-be-zero bit.</summary>
    public abstract bool HasReservedBitsSet(ReadOnlySpan<ulong> words);

    /// <summary>Writes raw words as bytes in memory order, through the generated encoder.</summary>
    public abstract void Encode(ReadOnlySpan<ulong> words, Span<byte> destination);

    /// <summary>The generated <c>ToString()</c> of the value.</summary>
    public abstract string Format(ReadOnlySpan<ulong> words);

    /// <summary>Builds the generated struct from <paramref name="words"/> and reads its words back into <paramref name="result"/>.</summary>
    public abstract void RoundTrip(ReadOnlySpan<ulong> words, Span<ulong> result);
}
