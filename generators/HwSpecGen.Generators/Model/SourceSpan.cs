namespace HwSpecGen.Generators.Model;

/// <summary>A place in a spec file (0-based lines and columns, character offsets), equatable and free of Roslyn types.</summary>
/// <param name="Path">The file's path.</param>
/// <param name="Start">Offset of the first character.</param>
/// <param name="End">Offset past the last character.</param>
/// <param name="Line">0-based start line.</param>
/// <param name="Column">0-based start column.</param>
/// <param name="EndLine">0-based end line.</param>
/// <param name="EndColumn">0-based end column.</param>
public sealed record SourceSpan(string Path, int Start, int End, int Line, int Column, int EndLine, int EndColumn)
{
    /// <summary>The span as the compiler prints it: <c>path(line,col)</c>, 1-based.</summary>
    public override string ToString() => $"{Path}({Line + 1},{Column + 1})";
}
