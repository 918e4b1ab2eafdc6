using System;

namespace HwSpecGen.Runtime;

/// <summary>The <see cref="FormatDescriptor"/> of generated format <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The generated struct.</typeparam>
public sealed class FormatDescriptorOf<T> : FormatDescriptor
    where T : struct, IHardwareFormat<T>
{
    /// <inheritdoc/>
    public override FormatLayout Layout => T.Layout;

    /// <inheritdoc/>
    public override bool TryDecode(ReadOnlySpan<byte> bytes, Span<ulong> words, out DecodeError error)
    {
        var ok = T.TryDecode(bytes, out var value, out error);
        for (var i = 0; i < T.Layout.WordCount; i++)
        {
            words[i] = ok ? value.GetWord(i) : 0;
        }

        return ok;
    }

    /// <inheritdoc/>
    public override Violations Validate(ReadOnlySpan<ulong> words) => T.FromWords(words).Validate();

    /// <inheritdoc/>
    public override bool IsValid(ReadOnlySpan<ulong> words) => T.FromWords(words).IsValid;

    /// <inheritdoc/>
    public override bool HasReservedBitsSet(ReadOnlySpan<ulong> words) => T.FromWords(words).HasReservedBitsSet;

    /// <inheritdoc/>
    public override void Encode(ReadOnlySpan<ulong> words, Span<byte> destination) => T.FromWords(words).WriteTo(destination);

    /// <inheritdoc/>
    public override string Format(ReadOnlySpan<ulong> words) => T.FromWords(words).ToString() ?? string.Empty;

    /// <inheritdoc/>
    public override void RoundTrip(ReadOnlySpan<ulong> words, Span<ulong> result)
    {
        var value = T.FromWords(words);
        for (var i = 0; i < T.Layout.WordCount; i++)
        {
            result[i] = value.GetWord(i);
        }
    }
}
