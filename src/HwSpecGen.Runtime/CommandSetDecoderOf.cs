using System;

namespace HwSpecGen.Runtime;

/// <summary>The <see cref="CommandSetDecoder"/> of generated set <typeparamref name="TSet"/>.</summary>
/// <typeparam name="TSet">The generated set struct.</typeparam>
public sealed class CommandSetDecoderOf<TSet> : CommandSetDecoder
    where TSet : struct, ICommandSet<TSet>
{
    /// <inheritdoc/>
    public override DecodeError Decode(ReadOnlySpan<byte> bytes, Span<ulong> words, out ulong opcode, out FormatLayout? member)
    {
        var entry = TSet.Decode(bytes);
        var count = (TSet.Descriptor.Bits + 63) / 64;
        for (var i = 0; i < count && i < words.Length; i++)
        {
            words[i] = entry.GetWord(i);
        }

        opcode = entry.Opcode;
        member = entry.MemberLayout;
        return entry.Error;
    }

    /// <inheritdoc/>
    public override Violations Validate(ReadOnlySpan<byte> bytes) => TSet.Decode(bytes).Validate();

    /// <inheritdoc/>
    public override bool IsValid(ReadOnlySpan<byte> bytes) => TSet.Decode(bytes).IsValid;

    /// <inheritdoc/>
    public override string Format(ReadOnlySpan<byte> bytes) => TSet.Decode(bytes).ToString() ?? string.Empty;
}
