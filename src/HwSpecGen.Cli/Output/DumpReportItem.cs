using HwSpecGen.Cli.Input;

namespace HwSpecGen.Cli.Output;

/// <summary>One entry of a <see cref="DumpReport"/>: decoded, not decodable, raw, or an empty slot folded into a run.</summary>
/// <param name="Entry">The dump entry.</param>
/// <param name="Value">The decoded value, or null.</param>
/// <param name="Error">Why it could not be decoded, or null.</param>
/// <param name="Collapsed">An all-zero slot shown only as part of a run.</param>
internal sealed record DumpReportItem(DumpEntry Entry, DecodedValue? Value, string? Error, bool Collapsed);
