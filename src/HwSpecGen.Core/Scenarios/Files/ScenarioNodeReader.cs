using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>Reads typed values out of <see cref="YamlNode"/>s, turning every mismatch into a diagnostic with the node's position.</summary>
public sealed partial class ScenarioNodeReader
{
    /// <summary>Creates a reader for the file named <paramref name="path"/>.</summary>
    public ScenarioNodeReader(string path) => Path = path;

    /// <summary>The file as the user named it.</summary>
    public string Path { get; }

    /// <summary>Errors so far.</summary>
    public List<ScenarioDiagnostic> Diagnostics { get; } = new();

    /// <summary>Records an error at <paramref name="at"/>.</summary>
    public void Error(YamlNode at, string code, string message) => Diagnostics.Add(new ScenarioDiagnostic(Path, at.Line, at.Column, code, message));

    /// <summary>
    /// The keys of mapping <paramref name="node"/> (<paramref name="what"/> names it in messages): unknown keys and missing
    /// required ones are errors; null when it is not a mapping.
    /// </summary>
    public Dictionary<string, YamlNode>? Mapping(YamlNode node, string what, IReadOnlyCollection<string> required, IReadOnlyCollection<string> optional)
    {
        if (node.Kind != YamlNodeKind.Mapping)
        {
            Error(node, ScenarioErrors.WrongType, $"{what} must be a mapping, not {node.KindName}");
            return null;
        }

        var keys = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in node.Pairs)
        {
            if (!required.Contains(k.Value) && !optional.Contains(k.Value))
            {
                Error(k, ScenarioErrors.UnknownKey, $"unknown key '{k.Value}' in {what}; allowed: {string.Join(", ", required.Concat(optional))}");
                continue;
            }

            keys.TryAdd(k.Value, v);
        }

        foreach (var r in required.Where(r => !keys.ContainsKey(r)))
        {
            Error(node, ScenarioErrors.MissingKey, $"{what} needs '{r}'");
        }

        return keys;
    }

    /// <summary>The items of list <paramref name="node"/>; null (with an error) when it is not a list or has none.</summary>
    public IReadOnlyList<YamlNode>? List(YamlNode node, string key)
    {
        if (node.Kind != YamlNodeKind.Sequence)
        {
            Error(node, ScenarioErrors.WrongType, $"'{key}' must be a list, not {node.KindName}");
            return null;
        }

        if (node.Items.Count == 0)
        {
            Error(node, ScenarioErrors.BadValue, $"'{key}' needs at least one item");
            return null;
        }

        return node.Items;
    }

    /// <summary>A string (plain or quoted scalar).</summary>
    public string? Text(YamlNode node, string key)
    {
        if (node.Kind != YamlNodeKind.Scalar || (node.Plain && node.Value.Length == 0))
        {
            Error(node, ScenarioErrors.WrongType, $"'{key}' must be a string, not {(node.Kind == YamlNodeKind.Scalar ? "empty" : node.KindName)}");
            return null;
        }

        return node.Value;
    }

    /// <summary>A name: letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
    public string? Name(YamlNode node, string key)
    {
        var text = Text(node, key);
        if (text is not null && !NamePattern().IsMatch(text))
        {
            Error(node, ScenarioErrors.BadValue, $"'{text}' is not a valid {key}: letters, digits, '-', '_' and '.'");
            return null;
        }

        return text;
    }

    /// <summary>An unsigned number written plain: decimal, 0x hex or 0o octal.</summary>
    public ulong? Number(YamlNode node, string key)
    {
        if (node.Kind == YamlNodeKind.Scalar && node.Plain && TryParseNumber(node.Value, out var value))
        {
            return value;
        }

        Error(node, ScenarioErrors.WrongType, $"'{key}' must be a number (decimal or 0x hex), not {node.KindName}");
        return null;
    }

    /// <summary>A byte count: a number or <c>&lt;n&gt;K</c>, <c>&lt;n&gt;M</c>, <c>&lt;n&gt;G</c> (powers of 1024); never zero.</summary>
    public ulong? Size(YamlNode node, string key)
    {
        ulong? value = null;
        if (node.Kind == YamlNodeKind.Scalar && node.Plain && TryParseNumber(node.Value, out var n))
        {
            value = n;
        }
        else if (node.Kind == YamlNodeKind.Scalar && SizePattern().Match(node.Value) is { Success: true } m && ulong.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var units))
        {
            var shift = m.Groups[2].Value switch { "K" => 10, "M" => 20, _ => 30 };
            value = units <= (ulong.MaxValue >> shift) ? units << shift : null;
        }

        if (value is null)
        {
            Error(node, ScenarioErrors.WrongType, $"'{key}' must be a size: a number or <n>K, <n>M, <n>G; not {node.KindName}");
            return null;
        }

        if (value == 0)
        {
            Error(node, ScenarioErrors.BadValue, $"'{key}' must not be zero");
            return null;
        }

        return value;
    }

    /// <summary>true or false.</summary>
    public bool? Flag(YamlNode node, string key)
    {
        if (node.Kind == YamlNodeKind.Scalar && node.Plain && node.Value is "true" or "false")
        {
            return node.Value == "true";
        }

        Error(node, ScenarioErrors.WrongType, $"'{key}' must be true or false, not {node.KindName}");
        return null;
    }

    /// <summary>A device ID: a number, or a PCI address <c>bus:dev.fn</c> in hex (bus[15:8] dev[7:3] fn[2:0]).</summary>
    public uint? Id(YamlNode node, string key, uint max)
    {
        ulong? value = null;
        if (node.Kind == YamlNodeKind.Scalar && node.Plain && TryParseNumber(node.Value, out var n))
        {
            value = n;
        }
        else if (node.Kind == YamlNodeKind.Scalar && BdfPattern().Match(node.Value) is { Success: true } m)
        {
            var bus = ulong.Parse(m.Groups[1].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var dev = ulong.Parse(m.Groups[2].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var fn = ulong.Parse(m.Groups[3].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            value = dev > 0x1F ? ulong.MaxValue : (bus << 8) | (dev << 3) | fn;
        }
        else
        {
            Error(node, ScenarioErrors.WrongType, $"'{key}' must be a number or a PCI address bus:dev.fn, not {node.KindName}");
            return null;
        }

        if (value > max)
        {
            Error(node, ScenarioErrors.BadValue, $"'{key}' {node.Value} is out of range (at most 0x{max:X})");
            return null;
        }

        return (uint)value;
    }

    /// <summary>One of <paramref name="choices"/> (plain or quoted).</summary>
    public string? Choice(YamlNode node, string key, params string[] choices)
    {
        if (node.Kind == YamlNodeKind.Scalar && choices.Contains(node.Value))
        {
            return node.Value;
        }

        Error(node, node.Kind == YamlNodeKind.Scalar ? ScenarioErrors.BadValue : ScenarioErrors.WrongType, $"'{key}' must be one of {string.Join(", ", choices)}, not {node.KindName}");
        return null;
    }

    /// <summary>Parses a YAML 1.2 core-schema integer: decimal, 0x hex or 0o octal.</summary>
    public static bool TryParseNumber(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.Ordinal))
        {
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            value = 0;
            foreach (var c in text.AsSpan(2))
            {
                if (c is < '0' or > '7' || value > (ulong.MaxValue >> 3))
                {
                    return false;
                }

                value = (value << 3) + (uint)(c - '0');
            }

            return text.Length > 2;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^([0-9]+)([KMG])$")]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"^([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$")]
    private static partial Regex BdfPattern();
}
