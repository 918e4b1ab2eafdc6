using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>A field after resolution: kind inferred, references checked; no source positions.</summary>
/// <param name="Name">Name.</param>
/// <param name="Segments">Bit ranges, least significant first.</param>
/// <param name="Kind">Interpretation.</param>
/// <param name="Enum">Enum name for enum fields.</param>
/// <param name="Shift">Implied low zero bits.</param>
/// <param name="Const">Required value of a constant field.</param>
/// <param name="Doc">Documentation.</param>
/// <param name="Source">Where confirmed.</param>
public sealed record ResolvedField(string Name, EquatableArray<BitRange> Segments, FieldKind Kind, string? Enum, int Shift, ulong? Const, string? Doc, string? Source)
{
    /// <summary>Total stored bits.</summary>
    public int Width
    {
        get
        {
            var w = 0;
            foreach (var s in Segments)
            {
                w += s.Width;
            }

            return w;
        }
    }
}
