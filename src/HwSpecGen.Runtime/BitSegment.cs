using System;

namespace HwSpecGen.Runtime;

/// <summary>A contiguous run of bits at absolute position <see cref="Lsb"/> (bit N is bit N%64 of word N/64).</summary>
/// <param name="Lsb">Absolute index of the least significant bit.</param>
/// <param name="Width">Number of bits.</param>
public readonly record struct BitSegment(int Lsb, int Width)
{
    /// <summary>Absolute index of the most significant bit.</summary>
    public int Msb => Lsb + Width - 1;

    /// <summary>Reads this segment's bits from little-endian words, right-aligned.</summary>
    public ulong Extract(ReadOnlySpan<ulong> words)
    {
        ulong value = 0;
        for (var i = 0; i < Width; i++)
        {
            var bit = Lsb + i;
            if (((words[bit >> 6] >> (bit & 63)) & 1) != 0)
            {
                value |= 1UL << i;
            }
        }

        return value;
    }

    /// <summary>Writes the low <see cref="Width"/> bits of <paramref name="value"/> into this segment.</summary>
    public void Insert(Span<ulong> words, ulong value)
    {
        for (var i = 0; i < Width; i++)
        {
            var bit = Lsb + i;
            var mask = 1UL << (bit & 63);
            if (((value >> i) & 1) != 0)
            {
                words[bit >> 6] |= mask;
            }
            else
            {
                words[bit >> 6] &= ~mask;
            }
        }
    }

    /// <summary>Formats as <c>hi:lo</c> or <c>n</c>.</summary>
    public override string ToString() => Width == 1 ? FormattableString.Invariant($"{Lsb}") : FormattableString.Invariant($"{Msb}:{Lsb}");
}
