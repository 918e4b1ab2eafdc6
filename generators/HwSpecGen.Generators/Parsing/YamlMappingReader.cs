using System;
using System.Collections.Generic;
using System.Globalization;
using HwSpecGen.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace HwSpecGen.Generators.Parsing;

/// <summary>Reads keys from one YAML mapping, reporting missing, unknown and mistyped keys with their positions.</summary>
internal sealed class YamlMappingReader
{
    private readonly YamlMappingNode _node;
    private readonly string _path;
    private readonly string _what;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    public YamlMappingReader(YamlMappingNode node, string path, string what, List<DiagnosticInfo> diagnostics)
    {
        _node = node;
        _path = path;
        _what = what;
        _diagnostics = diagnostics;
        foreach (var pair in node.Children)
        {
            if (pair.Key is YamlScalarNode key && key.Value is not null)
            {
                if (_entries.ContainsKey(key.Value))
                {
                    Report(DiagnosticIds.Duplicate, $"key '{key.Value}' appears twice in this {what}; keep one", key);
                    continue;
                }

                _entries[key.Value] = (key, pair.Value);
            }
            else
            {
                Report(DiagnosticIds.BadValue, $"a {what} key must be a plain name", pair.Key);
            }
        }
    }

    public SourceSpan Span => SpanOf(_node);

    public void Report(string id, string message, YamlNode node) => _diagnostics.Add(new DiagnosticInfo(id, message, SpanOf(node)));

    public SourceSpan SpanOf(YamlNode node) => YamlSpans.Of(_path, node);

    /// <summary>Reports every key not in <paramref name="known"/>.</summary>
    public void CheckKnown(params string[] known)
    {
        foreach (var entry in _entries)
        {
            if (Array.IndexOf(known, entry.Key) < 0)
            {
                Report(DiagnosticIds.UnknownKey, $"unknown key '{entry.Key}' in {_what}; expected one of: {string.Join(", ", known)}", entry.Value.Key);
            }
        }
    }

    public bool Has(string key) => _entries.ContainsKey(key);

    public YamlNode? Node(string key) => _entries.TryGetValue(key, out var e) ? e.Value : null;

    public YamlNode? KeyNode(string key) => _entries.TryGetValue(key, out var e) ? e.Key : null;

    public string? String(string key, bool required = false)
    {
        var node = Node(key);
        if (node is null)
        {
            if (required)
            {
                _diagnostics.Add(new DiagnosticInfo(DiagnosticIds.MissingKey, $"{_what} needs '{key}'", Span));
            }

            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value ?? string.Empty;
        }

        Report(DiagnosticIds.BadValue, $"'{key}' must be a text value, not a {Describe(node)}", node);
        return null;
    }

    public string? Identifier(string key, bool required = false)
    {
        var value = String(key, required);
        if (value is null)
        {
            return null;
        }

        if (!IsIdentifier(value))
        {
            Report(DiagnosticIds.BadValue, $"'{key}' must be a PascalCase identifier (letters, digits, '_', starting with a capital letter), not '{value}'", Node(key)!);
            return null;
        }

        return value;
    }

    public ulong? ULong(string key, bool required = false)
    {
        var text = String(key, required);
        if (text is null)
        {
            return null;
        }

        if (TryParseNumber(text, out var value))
        {
            return value;
        }

        Report(DiagnosticIds.BadValue, $"'{key}' must be a whole number (decimal or 0x hex) that fits in 64 bits, not '{text}'", Node(key)!);
        return null;
    }

    public bool? Bool(string key)
    {
        var text = String(key);
        if (text is null)
        {
            return null;
        }

        switch (text)
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                Report(DiagnosticIds.BadValue, $"'{key}' must be true or false, not '{text}'", Node(key)!);
                return null;
        }
    }

    public YamlSequenceNode? Sequence(string key)
    {
        var node = Node(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlSequenceNode seq)
        {
            return seq;
        }

        Report(DiagnosticIds.BadValue, $"'{key}' must be a list, not a {Describe(node)}", node);
        return null;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode => "scalar",
        YamlSequenceNode => "list",
        YamlMappingNode => "mapping",
        _ => "node",
    };

    public static bool IsIdentifier(string value)
    {
        if (value.Length == 0 || !char.IsUpper(value[0]) || value[0] > 'Z')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryParseNumber(string text, out ulong value)
    {
        var t = text.Trim().Replace("_", string.Empty);
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return ulong.TryParse(t.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && t.Length > 2;
        }

        if (t.StartsWith("0b", StringComparison.OrdinalIgnoreCase) && t.Length > 2 && t.Length <= 66)
        {
            value = 0;
            foreach (var c in t.Substring(2))
            {
                if (c != '0' && c != '1')
                {
                    return false;
                }

                value = (value << 1) | (c == '1' ? 1UL : 0UL);
            }

            return true;
        }

        return ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
