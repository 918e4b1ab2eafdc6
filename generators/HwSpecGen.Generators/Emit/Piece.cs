namespace HwSpecGen.Generators.Emit;

/// <summary>Part of a field inside one 64-bit word: <see cref="Width"/> bits at <see cref="Shift"/> of word <see cref="Word"/>, holding value bits from <see cref="ValueShift"/> up.</summary>
internal sealed record Piece(int Word, int Shift, int Width, int ValueShift)
{
    public ulong Mask => Width >= 64 ? ulong.MaxValue : (1UL << Width) - 1;

    public ulong WordMask => Mask << Shift;
}
