using System;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Output;

/// <summary>JSON output written with <see cref="Utf8JsonWriter"/> (no reflection).</summary>
public static class JsonOut
{
    /// <summary>Writes with an indented writer and returns the text.</summary>
    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body(w);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A format's layout as a JSON object.</summary>
    public static void Layout(Utf8JsonWriter w, FormatLayout layout)
    {
        w.WriteStartObject();
        w.WriteString("name", layout.FullName);
        w.WriteString("vendor", layout.Vendor);
        w.WriteNumber("bits", layout.Bits);
        w.WriteString("set", layout.Set);
        w.WriteString("doc", layout.Doc);
        w.WriteString("source", layout.Source);
        w.WriteStartArray("fields");
        foreach (var f in layout.Fields)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteString("kind", f.Kind.ToString().ToLowerInvariant());
            w.WriteStartArray("segments");
            foreach (var s in f.Segments)
            {
                w.WriteStartObject();
                w.WriteNumber("lsb", s.Lsb);
                w.WriteNumber("width", s.Width);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (f.Shift != 0)
            {
                w.WriteNumber("shift", f.Shift);
            }

            if (f.ConstValue is { } c)
            {
                w.WriteString("const", $"0x{c:X}");
            }

            if (f.EnumName is not null)
            {
                w.WriteString("enum", f.EnumName);
                w.WriteStartArray("values");
                foreach (var m in f.EnumMembers)
                {
                    w.WriteStartObject();
                    w.WriteString("name", m.Name);
                    w.WriteString("value", $"0x{m.Value:X}");
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteString("doc", f.Doc);
            w.WriteString("source", f.Source);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("reserved");
        foreach (var r in layout.Reserved)
        {
            w.WriteStartObject();
            w.WriteNumber("lsb", r.Segment.Lsb);
            w.WriteNumber("width", r.Segment.Width);
            w.WriteString("rule", r.Rule == ReservedRule.MustBeZero ? "must-be-zero" : "ignored");
            w.WriteString("doc", r.Doc);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("rules");
        foreach (var r in layout.Rules)
        {
            w.WriteStartObject();
            w.WriteString("name", r.Name);
            w.WriteString("when", r.When);
            w.WriteString("require", r.Require);
            w.WriteString("error", r.Error);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
