using System.Globalization;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>An error in a scenario file, printed as <c>file(line,col): error HSCxxxx: message</c>.</summary>
/// <param name="File">The file as the user named it.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Code">The <c>HSC</c> code (<see cref="ScenarioErrors"/>).</param>
/// <param name="Message">What is wrong.</param>
public sealed record ScenarioDiagnostic(string File, int Line, int Column, string Code, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{File}({Line},{Column}): error {Code}: {Message}");
}
