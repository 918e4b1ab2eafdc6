using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HwSpecGen.Runtime;

/// <summary>
/// The exceptions generated code throws (a value that does not fit its field, a buffer too short). Kept out of line
/// so that generated setters and writers stay small enough to inline; the JIT sees that these methods only throw,
/// treats calls to them as not returning and moves them off the hot path.
/// </summary>
public static class FieldValueGuard
{
    /// <summary>Throws for an unsigned or enum value wider than its field.</summary>
    /// <param name="field">The field's name.</param>
    /// <param name="value">The value given.</param>
    /// <param name="bits">The field's width.</param>
    [DoesNotReturn]
    public static void ThrowTooWide(string field, ulong value, int bits) =>
        throw new ArgumentOutOfRangeException("value", value, string.Create(CultureInfo.InvariantCulture, $"{field} holds {bits} bits"));

    /// <summary>Throws for a signed value outside its field's range.</summary>
    /// <param name="field">The field's name.</param>
    /// <param name="value">The value given.</param>
    /// <param name="bits">The field's width.</param>
    [DoesNotReturn]
    public static void ThrowSignedTooWide(string field, long value, int bits) =>
        throw new ArgumentOutOfRangeException("value", value, string.Create(CultureInfo.InvariantCulture, $"{field} holds {bits} signed bits"));

    /// <summary>Throws for an address that is misaligned or wider than its field holds.</summary>
    /// <param name="field">The field's name.</param>
    /// <param name="value">The address given.</param>
    /// <param name="high">The highest address bit the field holds.</param>
    /// <param name="low">The lowest address bit the field holds (the implied alignment).</param>
    [DoesNotReturn]
    public static void ThrowBadAddress(string field, ulong value, int high, int low) =>
        throw new ArgumentOutOfRangeException("value", value, string.Create(CultureInfo.InvariantCulture, $"{field} holds address bits {high}:{low}"));

    /// <summary>Throws for a source or destination buffer shorter than the format.</summary>
    /// <param name="format">The format's name.</param>
    /// <param name="bytes">The bytes it needs.</param>
    /// <param name="parameter">The buffer parameter's name.</param>
    [DoesNotReturn]
    public static void ThrowBufferTooShort(string format, int bytes, string parameter) =>
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{format} needs {bytes} bytes"), parameter);
}
