using System;

namespace HwSpecGen.Runtime;

/// <summary>What every generated format provides; lets generic code (tests, tools, the core) work on any format.</summary>
/// <typeparam name="TSelf">The generated struct.</typeparam>
public interface IHardwareFormat<TSelf>
    where TSelf : struct, IHardwareFormat<TSelf>
{
    /// <summary>Layout metadata.</summary>
    static abstract FormatLayout Layout { get; }

    /// <summary>Size in bytes.</summary>
    static abstract int ByteSize { get; }

    /// <summary>Builds a value from raw little-endian words (no checks).</summary>
    static abstract TSelf FromWords(ReadOnlySpan<ulong> words);

    /// <summary>Decodes bytes in memory order; fails on short input or a wrong constant. Never throws.</summary>
    static abstract bool TryDecode(ReadOnlySpan<byte> bytes, out TSelf value, out DecodeError error);

    /// <summary>Raw word <paramref name="index"/>.</summary>
    ulong GetWord(int index);

    /// <summary>Writes the bytes in memory order.</summary>
    void WriteTo(Span<byte> destination);

    /// <summary>Reserved-bit, enum, constant and rule violations.</summary>
    Violations Validate();

    /// <summary>True when <see cref="Validate"/> would report nothing; computed without building the report.</summary>
    bool IsValid { get; }

    /// <summary>True when a must-be-zero bit is set (<see cref="Violations.HasReservedBitsSet"/> of <see cref="Validate"/>); computed without building the report.</summary>
    bool HasReservedBitsSet { get; }
}
