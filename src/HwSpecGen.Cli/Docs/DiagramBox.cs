namespace HwSpecGen.Cli.Docs;

/// <summary>One box of a bitfield diagram: a run of bits inside one row (or a whole run of collapsed reserved rows).</summary>
/// <param name="Kind">Field, reserved or unclaimed.</param>
/// <param name="Msb">Absolute index of the box's most significant bit.</param>
/// <param name="Lsb">Absolute index of the box's least significant bit.</param>
/// <param name="Label">Text drawn in the box: the field name, with the field's own bit numbers when the field is drawn in several pieces.</param>
/// <param name="FieldName">The field's name, or null for reserved and unclaimed bits.</param>
/// <param name="Detail">Second line for the box (a constant's value), or null.</param>
/// <param name="Tooltip">Longer description (kind, bits, doc).</param>
public sealed record DiagramBox(DiagramBoxKind Kind, int Msb, int Lsb, string Label, string? FieldName, string? Detail, string Tooltip)
{
    /// <summary>Number of bits in the box.</summary>
    public int Width => Msb - Lsb + 1;

    /// <summary>The bits as <c>hi:lo</c> or <c>n</c>.</summary>
    public string BitsText => Msb == Lsb ? Invariant.Str(Msb) : Invariant.Str(Msb) + ":" + Invariant.Str(Lsb);
}
