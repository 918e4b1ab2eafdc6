using System;
using System.Buffers.Binary;
using System.Globalization;
using System.Linq;
using HwSpecGen.Hardware;
using HwSpecGen.Runtime;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>
/// Turns a command of a <c>commands</c> step into bytes: <c>format</c> + <c>fields</c> through the generated metadata
/// (<see cref="FormatRegistry"/>, <see cref="FieldLayout"/>), or <c>raw</c> hex bytes in memory order.
/// </summary>
public sealed class ScenarioCommandParser
{
    private readonly ScenarioNodeReader _reader;
    private readonly ScenarioVendor _vendor;
    private readonly CommandSetDescriptor? _set;

    /// <summary>Creates the parser for <paramref name="vendor"/>'s guest queue.</summary>
    public ScenarioCommandParser(ScenarioNodeReader reader, ScenarioVendor vendor)
    {
        _reader = reader;
        _vendor = vendor;
        _set = FormatRegistry.Sets.FirstOrDefault(s => s.Vendor == vendor.Key && s.Name == vendor.CommandSet);
    }

    /// <summary>Parses one command; null (with diagnostics) when it is wrong.</summary>
    public ScenarioCommand? Command(YamlNode node)
    {
        var k = _reader.Mapping(node, "a command", [], ["format", "fields", "raw"]);
        if (k is null)
        {
            return null;
        }

        if (k.ContainsKey("format") == k.ContainsKey("raw") || (k.ContainsKey("fields") && !k.ContainsKey("format")))
        {
            _reader.Error(node, k.ContainsKey("raw") ? ScenarioErrors.BadValue : ScenarioErrors.MissingKey, "a command is either 'format' (with optional 'fields') or 'raw'");
            return null;
        }

        return k.TryGetValue("raw", out var raw) ? Raw(raw) : Formatted(k["format"], k.TryGetValue("fields", out var f) ? f : null);
    }

    private ScenarioCommand? Raw(YamlNode node)
    {
        var text = _reader.Text(node, "raw");
        if (text is null)
        {
            return null;
        }

        var hex = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        if (hex.Length != _vendor.SlotBytes * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            _reader.Error(node, ScenarioErrors.BadRawCommand, $"'raw' must be {_vendor.SlotBytes} bytes in hex, memory order (as 'hwspec encode' prints them); got {(hex.All(char.IsAsciiHexDigit) ? $"{hex.Length / 2.0:0.#} bytes" : "non-hex characters")}");
            return null;
        }

        var bytes = Convert.FromHexString(hex);
        return new ScenarioCommand(bytes, Describe(bytes));
    }

    private string Describe(byte[] bytes)
    {
        var raw = "raw " + Convert.ToHexString(bytes);
        if (_set is null)
        {
            return raw;
        }

        var words = new ulong[_set.WordCount];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * 8, 8));
        }

        return _set.Find(_set.ExtractOpcode(words)) is { } f ? $"{f.Format(words)} ({raw})" : $"unknown opcode 0x{_set.ExtractOpcode(words):X} ({raw})";
    }

    private ScenarioCommand? Formatted(YamlNode formatNode, YamlNode? fieldsNode)
    {
        var name = _reader.Text(formatNode, "format");
        if (name is null)
        {
            return null;
        }

        var format = FormatRegistry.Formats.FirstOrDefault(f => f.Layout.Vendor == _vendor.Key && string.Equals(f.Layout.Name, name, StringComparison.Ordinal));
        if (format is null || format.Layout.Set != _vendor.CommandSet)
        {
            var commands = FormatRegistry.Formats.Where(f => f.Layout.Vendor == _vendor.Key && f.Layout.Set == _vendor.CommandSet).Select(f => f.Layout.Name).ToList();
            var close = commands.Where(c => c.Contains(name, StringComparison.OrdinalIgnoreCase) || name.Contains(c, StringComparison.OrdinalIgnoreCase)).Take(5).ToList();
            var what = format is null ? $"unknown format '{name}' for {_vendor.Key}" : $"'{name}' is not a command of the {_vendor.Key} guest queue ({_vendor.Key}/{_vendor.CommandSet})";
            _reader.Error(formatNode, ScenarioErrors.UnknownFormat, what + (close.Count > 0 ? $"; did you mean {string.Join(", ", close)}?" : $"; commands: {string.Join(", ", commands)}"));
            return null;
        }

        var layout = format.Layout;
        var words = new ulong[layout.WordCount];
        foreach (var f in layout.Fields)
        {
            if (f.ConstValue is { } c)
            {
                f.InsertRaw(words, c);
            }
        }

        if (fieldsNode is not null && !Fields(layout, fieldsNode, words))
        {
            return null;
        }

        var bytes = new byte[_vendor.SlotBytes];
        format.Encode(words, bytes.AsSpan(0, layout.SizeBytes));
        return new ScenarioCommand(bytes, format.Format(words));
    }

    private bool Fields(FormatLayout layout, YamlNode node, ulong[] words)
    {
        if (node.Kind != YamlNodeKind.Mapping)
        {
            _reader.Error(node, ScenarioErrors.WrongType, $"'fields' must be a mapping of field names to values, not {node.KindName}");
            return false;
        }

        var ok = true;
        foreach (var (key, value) in node.Pairs.Select(p => (p.Key, p.Value)))
        {
            var field = layout.Fields.FirstOrDefault(f => string.Equals(f.Name, key.Value, StringComparison.Ordinal));
            if (field is null)
            {
                _reader.Error(key, ScenarioErrors.UnknownField, $"{layout.Name} has no field '{key.Value}'; fields: {string.Join(", ", layout.Fields.Select(f => f.Name))}");
                ok = false;
                continue;
            }

            ok &= Field(field, value, words);
        }

        return ok;
    }

    private bool Field(FieldLayout field, YamlNode node, ulong[] words)
    {
        ulong value;
        if (node.Kind != YamlNodeKind.Scalar)
        {
            _reader.Error(node, ScenarioErrors.WrongType, $"{field.Name} takes a number{(field.Kind == FieldKind.Flag ? " or true/false" : field.Kind == FieldKind.Enum ? " or an enum member name" : string.Empty)}, not {node.KindName}");
            return false;
        }

        if (node.Plain && node.Value is "true" or "false")
        {
            if (field.Kind != FieldKind.Flag)
            {
                _reader.Error(node, ScenarioErrors.FieldValue, $"{field.Name} is not a flag; give it a number");
                return false;
            }

            value = node.Value == "true" ? 1UL : 0UL;
        }
        else if (node.Plain && ScenarioNodeReader.TryParseNumber(node.Value, out var n))
        {
            value = n;
        }
        else if (field.Kind == FieldKind.Enum && field.EnumMembers.FirstOrDefault(m => m.Name == node.Value) is { } member)
        {
            value = member.Value;
        }
        else
        {
            _reader.Error(node, ScenarioErrors.FieldValue, field.Kind == FieldKind.Enum
                ? $"'{node.Value}' is not a {field.EnumName} member; {field.Name} takes {string.Join(", ", field.EnumMembers.Select(m => m.Name))} or a number"
                : $"'{node.Value}' is not a value for {field.Name} (a number{(field.Kind == FieldKind.Flag ? " or true/false" : string.Empty)})");
            return false;
        }

        if (field.ConstValue is { } c && value != c)
        {
            _reader.Error(node, ScenarioErrors.FieldValue, $"{field.Name} is constant 0x{c:X} in this format; use 'raw' for other values");
            return false;
        }

        if (!field.TryWriteValue(words, value))
        {
            var holds = field.Kind == FieldKind.Address
                ? $"address bits {field.Width + field.Shift - 1}:{field.Shift}{(field.Shift > 0 ? $" (the low {field.Shift} bits must be zero)" : string.Empty)}"
                : $"{field.Width} bit{(field.Width == 1 ? string.Empty : "s")} (at most 0x{field.MaxRaw:X})";
            _reader.Error(node, ScenarioErrors.FieldValue, string.Create(CultureInfo.InvariantCulture, $"0x{value:X} does not fit {field.Name}: it holds {holds}"));
            return false;
        }

        return true;
    }
}
