using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Output;

/// <summary>One entry decoded through the generated code: raw words, every field's value and every violation.</summary>
public sealed class DecodedValue
{
    private DecodedValue(FormatDescriptor format, ulong[] words, DecodeError error, string? note)
    {
        Format = format;
        Words = words;
        Error = error;
        Note = note;
        Violations = format.Validate(words);
    }

    /// <summary>The format.</summary>
    public FormatDescriptor Format { get; }

    /// <summary>Raw words.</summary>
    public ulong[] Words { get; }

    /// <summary>Decode error (a constant mismatch still shows the fields).</summary>
    public DecodeError Error { get; }

    /// <summary>Extra text (e.g. which set member was chosen).</summary>
    public string? Note { get; }

    /// <summary>What Validate() found.</summary>
    public Violations Violations { get; }

    /// <summary>Decodes <paramref name="bytes"/> as <paramref name="format"/>.</summary>
    public static DecodedValue Decode(FormatDescriptor format, ReadOnlySpan<byte> bytes, string? note = null)
    {
        if (bytes.Length < format.Layout.SizeBytes)
        {
            throw new UsageException($"{format.FullName} is {format.Layout.SizeBytes} bytes; got {bytes.Length}");
        }

        var words = new ulong[format.Layout.WordCount];
        format.TryDecode(bytes, words, out var error);
        if (error == DecodeError.ConstantMismatch)
        {
            // TryDecode fills nothing on failure; read the words directly so the user sees what is there.
            for (var i = 0; i < words.Length; i++)
            {
                words[i] = format.Layout.Bits < 64 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[..4]) : System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i * 8, 8));
            }
        }

        return new DecodedValue(format, words, error, note);
    }

    /// <summary>Field values in spec order.</summary>
    public IEnumerable<(FieldLayout Field, ulong Raw, ulong Value)> Fields() =>
        Format.Layout.Fields.Select(f => (f, f.ExtractRaw(Words), f.ReadValue(Words)));

    /// <summary>A field's value as text: hex, enum name, flag.</summary>
    public static string Show(FieldLayout f, ulong raw, ulong value) => f.Kind switch
    {
        FieldKind.Flag => raw != 0 ? "1" : "0",
        FieldKind.Enum => f.FindMember(raw) is { } m ? $"{m.Name} (0x{raw:X})" : $"0x{raw:X} (unnamed)",
        FieldKind.Signed => ((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"0x{value:X}",
    };

    /// <summary>Human-readable text.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append(Format.FullName).Append(" (").Append(Format.Layout.Bits).Append(" bits)");
        if (Note is not null)
        {
            sb.Append(" — ").Append(Note);
        }

        sb.AppendLine();
        var rows = Fields().Select(x => (x.Field.BitsText, x.Field.Name, Show(x.Field, x.Raw, x.Value))).ToList();
        var w0 = rows.Count == 0 ? 0 : rows.Max(r => r.BitsText.Length);
        var w1 = rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length);
        foreach (var (bits, name, value) in rows)
        {
            sb.Append("  ").Append(bits.PadLeft(w0)).Append("  ").Append(name.PadRight(w1)).Append("  ").AppendLine(value);
        }

        if (Error == DecodeError.ConstantMismatch)
        {
            sb.AppendLine("  error: a constant field (opcode/type) does not hold this format's value");
        }

        var problems = Violations.Describe(Format.Layout).ToList();
        if (problems.Count == 0)
        {
            sb.AppendLine("  no violations");
        }
        else
        {
            foreach (var p in problems)
            {
                sb.Append("  violation: ").AppendLine(p);
            }
        }

        return sb.ToString();
    }

    /// <summary>As a JSON object.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("format", Format.FullName);
        if (Note is not null)
        {
            w.WriteString("note", Note);
        }

        w.WriteString("error", Error.ToString());
        w.WriteStartArray("words");
        foreach (var word in Words)
        {
            w.WriteStringValue($"0x{word:X16}");
        }

        w.WriteEndArray();
        w.WriteStartObject("fields");
        foreach (var (f, raw, value) in Fields())
        {
            w.WriteStartObject(f.Name);
            w.WriteString("value", $"0x{value:X}");
            if (f.Kind == FieldKind.Enum)
            {
                w.WriteString("name", f.FindMember(raw)?.Name);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartArray("violations");
        foreach (var p in Violations.Describe(Format.Layout))
        {
            w.WriteStringValue(p);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
