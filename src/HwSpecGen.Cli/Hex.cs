using System;
using System.Globalization;
using System.Text;

namespace HwSpecGen.Cli;

/// <summary>Hex text ↔ bytes in memory order.</summary>
public static class Hex
{
    /// <summary>Parses hex digits (spaces, ':' , '_' and a leading 0x ignored) as bytes in memory order.</summary>
    public static byte[] Parse(string text)
    {
        var sb = new StringBuilder();
        foreach (var part in text.Split([' ', '\t', '\n', '\r', ',', ':', '_'], StringSplitOptions.RemoveEmptyEntries))
        {
            var p = part.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? part[2..] : part;
            sb.Append(p);
        }

        var digits = sb.ToString();
        if (digits.Length % 2 != 0)
        {
            throw new UsageException($"hex input has an odd number of digits ({digits.Length}); give whole bytes, e.g. 01ab");
        }

        var bytes = new byte[digits.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(digits.AsSpan(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new UsageException($"'{digits.Substring(2 * i, 2)}' is not a hex byte");
            }
        }

        return bytes;
    }

    /// <summary>Bytes as lower-case hex, space between 8-byte words.</summary>
    public static string Format(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i > 0 && i % 8 == 0)
            {
                sb.Append(' ');
            }

            sb.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>Parses a number: decimal, 0x hex, 0b binary; '_' allowed.</summary>
    public static bool TryParseNumber(string text, out ulong value)
    {
        var t = text.Trim().Replace("_", string.Empty, StringComparison.Ordinal);
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (t.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
        {
            value = 0;
            if (t.Length <= 2 || t.Length > 66)
            {
                return false;
            }

            foreach (var c in t.AsSpan(2))
            {
                if (c is not ('0' or '1'))
                {
                    return false;
                }

                value = (value << 1) | (c == '1' ? 1UL : 0UL);
            }

            return true;
        }

        if (t.StartsWith('-') && long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var signed))
        {
            value = unchecked((ulong)signed);
            return true;
        }

        return ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
