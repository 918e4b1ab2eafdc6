using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace HwSpecGen.Fuzz.Tests.HostileYaml;

/// <summary>Mutates spec text the way a hurried edit, a bad merge or a hostile file would; deterministic for a seed.</summary>
internal static partial class SpecMutator
{
    private static readonly string[] Tokens =
    [
        "[", "]", "{", "}", ":", ": ", "- ", "\n", "\t", " ", ",", "&a ", "*a", "*b", "!!binary ", "!!int ", "? ", "|", ">", "'", "\"", "#", "%YAML 1.1\n",
        "---\n", "...\n", "\0", "\uFEFF", "é", "\uD800", "\u202E", "\r", "\r\n", "<<: *a\n", "~", "null", "0x", "-", "_",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-1", "18446744073709551615", "18446744073709551616", "0xFFFFFFFFFFFFFFFFF", "0x", "0b" + new string('1', 70), "1e400", "2147483648",
        "4294967296", "NaN", ".inf", "+5", "0o17", "\u0663", "511", "512", "513", "-0", "9999999999999999999999999999999", "0x_", "1_000",
    ];

    private static readonly string[] Ranges =
    [
        "\"63:0\"", "\"0:63\"", "\"511:0\"", "\"600:0\"", "\"63:-1\"", "\":\"", "\"1:2:3\"", "\" 63 : 0 \"", "\"7:0\"", "\"64\"", "\"127:64\"", "[]", "[\"3:0\", \"3:0\"]",
        "[\"3:0\", \"600:599\"]", "-5", "\"2147483648:0\"", "\"63:60\"", "\"255:0\"", "[\"59:52\", \"119:88\", \"255:244\"]",
    ];

    private static readonly string[] Values =
    [
        "[]", "{}", "~", "null", "true", "false", "[1, [2]]", "{ a: b }", "''", "\"\"", new string('x', 5000), "\"a\\u0000b\"", "!!binary AAAA", "*a", "&a 1", "|\n  text",
        "Name With Spaces", "lower", "_Under", "Ünicode", "0x1", "64", "must-be-zero", "ignored", "flag", "address", "signed", "enum", "uint",
    ];

    public static string Mutate(string text, Random random, int mutations)
    {
        for (var i = 0; i < mutations; i++)
        {
            text = random.Next(13) switch
            {
                0 => text[..random.Next(text.Length + 1)],
                1 => ReplaceChar(text, random),
                2 => Insert(text, random, Tokens[random.Next(Tokens.Length)]),
                3 => EditLines(text, random, (lines, r) => lines.RemoveAt(r.Next(lines.Count))),
                4 => EditLines(text, random, (lines, r) => { var k = r.Next(lines.Count); lines.Insert(k, lines[k]); }),
                5 => EditLines(text, random, (lines, r) => { var a = r.Next(lines.Count); var b = r.Next(lines.Count); (lines[a], lines[b]) = (lines[b], lines[a]); }),
                6 => ReplaceMatch(text, random, NumberPattern(), Numbers),
                7 => ReplaceMatch(text, random, RangePattern(), Ranges),
                8 => ReplaceMatch(text, random, ValuePattern(), Values, keepGroup: 1),
                9 => EditLines(text, random, (lines, r) => { var k = r.Next(lines.Count); lines[k] = r.Next(2) == 0 ? "  " + lines[k] : lines[k].TrimStart(); }),
                10 => Rename(text, random),
                11 => AddExtends(text, random),
                _ => Insert(text, random, Chunk(text, random)),
            };

            if (text.Length == 0)
            {
                break;
            }
        }

        return text;
    }

    /// <summary>Every PascalCase name the text declares with <c>name:</c>.</summary>
    public static List<string> Names(string text) => NamePattern().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();

    private static string ReplaceChar(string text, Random random)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var sb = new StringBuilder(text);
        var alphabet = ":[]{}-#&*!|>'\"\n\t 0123456789abcXYZ,.\\\0";
        sb[random.Next(sb.Length)] = alphabet[random.Next(alphabet.Length)];
        return sb.ToString();
    }

    private static string Chunk(string text, Random random)
    {
        var start = random.Next(text.Length);
        return text.Substring(start, Math.Min(random.Next(1, 80), text.Length - start));
    }

    private static string Insert(string text, Random random, string token) => text.Insert(random.Next(text.Length + 1), token);

    private static string EditLines(string text, Random random, Action<List<string>, Random> edit)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count == 0)
        {
            return text;
        }

        edit(lines, random);
        return string.Join('\n', lines);
    }

    private static string ReplaceMatch(string text, Random random, Regex pattern, string[] choices, int keepGroup = 0)
    {
        var matches = pattern.Matches(text);
        if (matches.Count == 0)
        {
            return text;
        }

        var m = matches[random.Next(matches.Count)];
        var replacement = choices[random.Next(choices.Length)];
        if (keepGroup > 0)
        {
            var g = m.Groups[keepGroup];
            return text[..(g.Index + g.Length)] + replacement + text[(m.Index + m.Length)..];
        }

        return text[..m.Index] + replacement + text[(m.Index + m.Length)..];
    }

    private static string Rename(string text, Random random)
    {
        var names = Names(text);
        if (names.Count < 2)
        {
            return text;
        }

        var from = names[random.Next(names.Count)];
        var to = random.Next(4) == 0 ? "Layout" : names[random.Next(names.Count)];
        return Regex.Replace(text, $@"\b{Regex.Escape(from)}\b", to, RegexOptions.None, TimeSpan.FromSeconds(1));
    }

    private static string AddExtends(string text, Random random)
    {
        var matches = FormatStart().Matches(text);
        var names = Names(text);
        if (matches.Count == 0 || names.Count == 0)
        {
            return text;
        }

        var m = matches[random.Next(matches.Count)];
        var indent = m.Groups[1].Value;
        var target = random.Next(5) == 0 ? m.Groups[2].Value : names[random.Next(names.Count)];
        var at = m.Index + m.Length;
        return text.Insert(at, "\n" + indent + "  extends: " + target);
    }

    [GeneratedRegex(@"(?<![\w""])\d+(?![\w:""])")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"""\d+(:\d+)?""")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"(\b(?:bits|kind|rule|const|shift|enum|set|extends|name|value|strict|discriminator|entry|index|id|fields|reserved|values|require|when): )[^,}\n]*")]
    private static partial Regex ValuePattern();

    [GeneratedRegex(@"name: ([A-Z]\w*)")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^( *)- name: ([A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex FormatStart();
}
