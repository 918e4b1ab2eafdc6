using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace HwSpecGen.Cli.Input;

/// <summary>
/// Turns the contents of a file into bytes in memory order: raw binary, or the text of a hexdump —
/// <c>xxd</c> (also <c>-g</c>, <c>-c</c>, <c>-a</c>, <c>-p</c>), <c>hexdump -C</c>, <c>hexdump</c> / <c>od -x</c>
/// (16-bit little-endian words), <c>od</c> (octal words), <c>od -t x1|x2|x4|x8|o1|o2|o4|o8</c>, with <c>*</c>
/// repeat lines expanded — or plain hex digits.
/// </summary>
public static partial class HexDumpReader
{
    /// <summary>Reads <paramref name="content"/>; <paramref name="kind"/> says how it was read.</summary>
    /// <param name="content">File contents.</param>
    /// <param name="forceBinary">Treat the file as raw bytes even if it looks like text.</param>
    /// <param name="kind">What the input was recognised as.</param>
    /// <returns>The bytes in memory order.</returns>
    public static byte[] Read(byte[] content, bool forceBinary, out string kind)
    {
        if (forceBinary || LooksBinary(content))
        {
            kind = "binary";
            return content;
        }

        return ParseText(Encoding.UTF8.GetString(content), out kind);
    }

    /// <summary>Whether the bytes are not printable text (a NUL, a control character other than tab/CR/LF, or a byte ≥ 0x7F).</summary>
    public static bool LooksBinary(ReadOnlySpan<byte> content)
    {
        foreach (var b in content)
        {
            if (b >= 0x7F || (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r')))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses hexdump text (see the class summary).</summary>
    public static byte[] ParseText(string text, out string kind)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r', ' ', '\t')).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0)
        {
            throw new UsageException("the file is empty");
        }

        if (lines.Any(l => HexdumpCLine().IsMatch(l)))
        {
            kind = "hexdump -C";
            return Offsets(lines, HexdumpC, 16);
        }

        if (lines.All(l => XxdLine().IsMatch(l) || l.Trim() == "*"))
        {
            kind = "xxd";
            return Offsets(lines, Xxd, 16);
        }

        var allPlain = lines.All(l => PlainLine().IsMatch(l));
        if (OffsetWordsLine().IsMatch(lines[0]) && LoneOffset().IsMatch(lines[^1]))
        {
            try
            {
                kind = "od/hexdump";
                return OffsetWords(lines);
            }
            catch (UsageException) when (allPlain)
            {
                // offsets that do not add up: it was plain hex after all
            }
        }

        if (allPlain)
        {
            kind = "hex";
            return Hex.Parse(string.Join(" ", lines));
        }

        var bad = lines.First(l => !PlainLine().IsMatch(l));
        throw new UsageException($"not a hexdump this reads (xxd, hexdump -C, hexdump, od, plain hex): '{Shorten(bad)}'; give --binary if the file is raw bytes");
    }

    private static List<byte> HexdumpC(string line, int number)
    {
        var body = line;
        var bar = body.IndexOf('|', StringComparison.Ordinal);
        if (bar >= 0)
        {
            body = body[..bar];
        }

        return HexTokens(body.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1), number);
    }

    private static List<byte> Xxd(string line, int number)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var rest = line[(colon + 1)..];
        if (rest.StartsWith(' '))
        {
            rest = rest[1..];
        }

        var end = rest.IndexOf("  ", StringComparison.Ordinal);
        var hex = end >= 0 ? rest[..end] : rest;
        return HexTokens(hex.Split(' ', StringSplitOptions.RemoveEmptyEntries), number);
    }

    private static List<byte> HexTokens(IEnumerable<string> tokens, int number)
    {
        var bytes = new List<byte>();
        foreach (var t in tokens)
        {
            if (t.Length % 2 != 0 || !t.All(Uri.IsHexDigit))
            {
                throw new UsageException($"line {number}: '{t}' is not hex bytes");
            }

            for (var i = 0; i < t.Length; i += 2)
            {
                bytes.Add(byte.Parse(t.AsSpan(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            }
        }

        return bytes;
    }

    /// <summary>Formats whose lines start with a hex offset (xxd, hexdump -C): data lines, <c>*</c> repeats, a final lone offset.</summary>
    private static byte[] Offsets(List<string> lines, Func<string, int, List<byte>> parse, int width)
    {
        var result = new List<byte>();
        List<byte>? previous = null;
        var repeat = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line == "*")
            {
                repeat = true;
                continue;
            }

            var offsetText = line.Split(' ', ':')[0];
            if (!ulong.TryParse(offsetText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var offset))
            {
                throw new UsageException($"line {i + 1}: '{Shorten(line)}' does not start with a hex offset");
            }

            Fill(result, previous, repeat, offset, i + 1);
            repeat = false;
            if (LoneOffset().IsMatch(line))
            {
                continue;
            }

            previous = parse(lines[i], i + 1);
            result.AddRange(previous);
        }

        if (repeat)
        {
            throw new UsageException($"the dump ends with '*' and no final offset: the repeated lines' length is unknown (expected a line of {width} bytes' offset)");
        }

        return result.ToArray();
    }

    private static void Fill(List<byte> result, List<byte>? previous, bool repeat, ulong offset, int number)
    {
        if (repeat && previous is { Count: > 0 })
        {
            while ((ulong)result.Count < offset)
            {
                result.AddRange(previous);
            }
        }

        if ((ulong)result.Count != offset)
        {
            throw new UsageException($"line {number}: offset 0x{offset:x} does not follow the {result.Count} (0x{result.Count:x}) bytes before it; is a part of the dump missing?");
        }
    }

    /// <summary>od and plain hexdump: an offset (octal, hex or decimal), then words of 1, 2, 4 or 8 little-endian bytes in hex or octal.</summary>
    private static byte[] OffsetWords(List<string> lines)
    {
        var rows = new List<(string Offset, List<byte>? Bytes, int Number)>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            var ascii = line.IndexOf('>', StringComparison.Ordinal);
            if (ascii > 0 && line.EndsWith('<'))
            {
                line = line[..ascii].TrimEnd();
            }

            if (line == "*")
            {
                rows.Add(("*", null, i + 1));
                continue;
            }

            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            rows.Add((tokens[0], tokens.Length == 1 ? null : Words(tokens.Skip(1).ToList(), i + 1), i + 1));
        }

        var radix = new[] { 8, 16, 10 }.FirstOrDefault(r => OffsetsAgree(rows, r));
        if (radix == 0)
        {
            throw new UsageException("the offsets of this od/hexdump output do not add up in octal, hex or decimal; is a part of it missing?");
        }

        var result = new List<byte>();
        List<byte>? previous = null;
        var repeat = false;
        foreach (var (offsetText, bytes, number) in rows)
        {
            if (offsetText == "*")
            {
                repeat = true;
                continue;
            }

            Fill(result, previous, repeat, ParseOffset(offsetText, radix), number);
            repeat = false;
            if (bytes is not null)
            {
                previous = bytes;
                result.AddRange(bytes);
            }
        }

        return result.ToArray();
    }

    private static bool OffsetsAgree(List<(string Offset, List<byte>? Bytes, int Number)> rows, int radix)
    {
        ulong expected = 0;
        var repeat = false;
        foreach (var (offsetText, bytes, _) in rows)
        {
            if (offsetText == "*")
            {
                repeat = true;
                continue;
            }

            if (!TryParseOffset(offsetText, radix, out var offset) || (repeat ? offset < expected : offset != expected))
            {
                return false;
            }

            repeat = false;
            expected = offset + (ulong)(bytes?.Count ?? 0);
        }

        return true;
    }

    private static List<byte> Words(List<string> tokens, int number)
    {
        var length = tokens[0].Length;
        if (tokens.Any(t => t.Length != length))
        {
            throw new UsageException($"line {number}: words of different widths; give od one -t type");
        }

        var (size, radix) = length switch
        {
            2 => (1, 16),
            4 => (2, 16),
            8 => (4, 16),
            16 => (8, 16),
            3 => (1, 8),
            6 => (2, 8),
            11 => (4, 8),
            22 => (8, 8),
            _ => throw new UsageException($"line {number}: '{tokens[0]}' is not an od/hexdump word (hex of 2, 4, 8 or 16 digits, octal of 3, 6, 11 or 22)"),
        };
        var bytes = new List<byte>();
        foreach (var t in tokens)
        {
            ulong value;
            try
            {
                value = Convert.ToUInt64(t, radix);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                throw new UsageException($"line {number}: '{t}' is not a {(radix == 8 ? "octal" : "hex")} word");
            }

            for (var b = 0; b < size; b++)
            {
                bytes.Add((byte)(value >> (8 * b)));
            }
        }

        return bytes;
    }

    private static ulong ParseOffset(string text, int radix) =>
        TryParseOffset(text, radix, out var v) ? v : throw new UsageException($"'{text}' is not an offset");

    private static bool TryParseOffset(string text, int radix, out ulong value)
    {
        value = 0;
        try
        {
            value = Convert.ToUInt64(text, radix);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }

    private static string Shorten(string line) => line.Length > 60 ? line[..60] + "…" : line;

    [GeneratedRegex(@"^[0-9a-fA-F]{6,16}  ([0-9a-fA-F]{2} {1,2})+ *\|.*\|?$")]
    private static partial Regex HexdumpCLine();

    [GeneratedRegex(@"^[0-9a-fA-F]{4,16}: ?([0-9a-fA-F]{2,}( |$))*")]
    private static partial Regex XxdLine();

    [GeneratedRegex(@"^[0-9a-fA-F]{6,8}( +[0-9a-fA-F]{2,22})+( +>.*<)?$")]
    private static partial Regex OffsetWordsLine();

    [GeneratedRegex(@"^ *[0-9a-fA-F]{6,16}:? *$")]
    private static partial Regex LoneOffset();

    [GeneratedRegex(@"^[\s0-9a-fA-FxX:_,]*$")]
    private static partial Regex PlainLine();
}
