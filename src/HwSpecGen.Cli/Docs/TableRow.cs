using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Docs;

/// <summary>One row of a datasheet field table: a field or a reserved range.</summary>
/// <param name="Msb">Most significant bit (for ordering).</param>
/// <param name="Bits">Bits as text.</param>
/// <param name="Name">Field name, or Reserved / Ignored.</param>
/// <param name="Kind">Kind of the field, or the reserved rule.</param>
/// <param name="Field">The field, or null for a reserved row.</param>
/// <param name="Reserved">The reserved range, or null for a field row.</param>
public sealed record TableRow(int Msb, string Bits, string Name, string Kind, FieldLayout? Field, ReservedLayout? Reserved);
