namespace HwSpecGen.Generators.Model;

/// <summary>A diagnostic as plain data, turned into a Roslyn diagnostic only when reported.</summary>
/// <param name="Id">The HSGnnnn id.</param>
/// <param name="Message">The full message.</param>
/// <param name="Span">Where it applies, if anywhere.</param>
public sealed record DiagnosticInfo(string Id, string Message, SourceSpan? Span)
{
    /// <summary>The line a terminal shows: <c>file(line,col): error HSGnnnn: message</c>.</summary>
    public override string ToString() =>
        Span is null ? $"error {Id}: {Message}" : $"{Span}: error {Id}: {Message}";
}
