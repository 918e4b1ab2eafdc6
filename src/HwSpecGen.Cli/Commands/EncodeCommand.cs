using System;
using System.CommandLine;
using HwSpecGen.Cli.Output;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Commands;

/// <summary><c>hwspec encode FORMAT Field=Value…</c>: the bytes, in memory order, as hex.</summary>
public static class EncodeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var format = new Argument<string>("format") { Description = "vendor/Name of a format" };
        var assignments = new Argument<string[]>("fields") { Description = "Field=Value pairs (decimal, 0x hex, 0b binary, enum member name, true/false)", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("encode", "Encode field values; print the bytes in memory order") { format, assignments };
        cmd.SetAction(r =>
        {
            var fmt = FormatLookup.FindFormat(r.GetValue(format)!);
            var bytes = Encode(fmt, r.GetValue(assignments) ?? []);
            r.InvocationConfiguration.Output.WriteLine(Hex.Format(bytes));
            return 0;
        });
        return cmd;
    }

    /// <summary>Encodes assignments; constant fields get their value; unknown fields, bad values and values too wide are usage errors.</summary>
    public static byte[] Encode(FormatDescriptor fmt, string[] assignments)
    {
        var layout = fmt.Layout;
        var words = new ulong[layout.WordCount];
        foreach (var f in layout.Fields)
        {
            if (f.ConstValue is { } c)
            {
                f.InsertRaw(words, c);
            }
        }

        foreach (var a in assignments)
        {
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new UsageException($"'{a}' is not Field=Value");
            }

            var name = a[..eq].Trim();
            var text = a[(eq + 1)..].Trim();
            var field = layout.FindField(name) ?? throw new UsageException($"{layout.FullName} has no field '{name}'; fields: {string.Join(", ", System.Linq.Enumerable.Select(layout.Fields, x => x.Name))}");
            var value = ParseValue(field, text);
            if (!field.TryValueToRaw(value, out var raw))
            {
                var what = field.Kind == FieldKind.Address
                    ? $"address bits {field.Width + field.Shift - 1}:{field.Shift} (low {field.Shift} bits zero)"
                    : $"{field.Width} bits";
                throw new UsageException($"{name}={text} does not fit: {name} holds {what}");
            }

            field.InsertRaw(words, raw);
        }

        var bytes = new byte[layout.SizeBytes];
        fmt.Encode(words, bytes);
        return bytes;
    }

    private static ulong ParseValue(FieldLayout field, string text)
    {
        if (field.Kind == FieldKind.Flag && (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase)))
        {
            return text.Equals("true", StringComparison.OrdinalIgnoreCase) ? 1UL : 0UL;
        }

        if (field.Kind == FieldKind.Enum)
        {
            foreach (var m in field.EnumMembers)
            {
                if (string.Equals(m.Name, text, StringComparison.OrdinalIgnoreCase))
                {
                    return m.Value;
                }
            }
        }

        if (!Hex.TryParseNumber(text, out var value) || (text.StartsWith('-') && field.Kind != FieldKind.Signed))
        {
            throw new UsageException($"'{text}' is not a value for {field.Name} (a number{(field.Kind == FieldKind.Enum ? " or one of " + string.Join(", ", System.Linq.Enumerable.Select(field.EnumMembers, m => m.Name)) : string.Empty)})");
        }

        return value;
    }
}
