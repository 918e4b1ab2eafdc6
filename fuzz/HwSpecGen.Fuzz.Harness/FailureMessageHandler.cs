using System;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>
/// The message of a <see cref="FuzzInvariantException.Check(bool, ref FailureMessageHandler)"/>: an interpolated string
/// that is formatted only when the invariant is broken, so the checks a target runs on every input cost no string
/// formatting while they hold.
/// </summary>
[InterpolatedStringHandler]
public ref struct FailureMessageHandler
{
    private readonly bool _failed;
    private DefaultInterpolatedStringHandler _text;

    /// <summary>Starts a message; <paramref name="shouldAppend"/> is false (nothing is formatted) when <paramref name="condition"/> holds.</summary>
    /// <param name="literalLength">Length of the literal parts.</param>
    /// <param name="formattedCount">Number of holes.</param>
    /// <param name="condition">The invariant being checked.</param>
    /// <param name="shouldAppend">Whether the parts are appended.</param>
    public FailureMessageHandler(int literalLength, int formattedCount, bool condition, out bool shouldAppend)
    {
        _failed = !condition;
        _text = _failed ? new DefaultInterpolatedStringHandler(literalLength, formattedCount, CultureInfo.InvariantCulture) : default;
        shouldAppend = _failed;
    }

    /// <summary>Appends a literal part.</summary>
    /// <param name="value">The text.</param>
    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    /// <summary>Appends a hole.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    /// <summary>Appends a hole with a format (<c>{x:X}</c>).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="format">The format.</param>
    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    /// <summary>Appends a span of text.</summary>
    /// <param name="value">The text.</param>
    public void AppendFormatted(ReadOnlySpan<char> value) => _text.AppendFormatted(value);

    /// <summary>The message (empty when the invariant held).</summary>
    /// <returns>The text.</returns>
    public string ToStringAndClear() => _failed ? _text.ToStringAndClear() : string.Empty;
}
