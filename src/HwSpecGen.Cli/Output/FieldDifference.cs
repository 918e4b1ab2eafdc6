namespace HwSpecGen.Cli.Output;

/// <summary>A field, or a reserved range, whose bits differ between two encodings.</summary>
/// <param name="Bits">The bits as the spec writes them.</param>
/// <param name="Name">Field name, or <c>(reserved, must be zero)</c> / <c>(reserved, ignored)</c>.</param>
/// <param name="A">The first encoding's value as text.</param>
/// <param name="B">The second encoding's value as text.</param>
/// <param name="IsReserved">Whether this is a reserved range rather than a field.</param>
public sealed record FieldDifference(string Bits, string Name, string A, string B, bool IsReserved);
