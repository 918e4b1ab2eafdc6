using System.CommandLine;
using HwSpecGen.Cli.Output;
using HwSpecGen.Hardware;

namespace HwSpecGen.Cli.Commands;

/// <summary><c>hwspec layout FORMAT [--json]</c> and <c>hwspec layout --all --json</c>.</summary>
public static class LayoutCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var format = new Argument<string?>("format") { Description = "vendor/Name of a format", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var all = new Option<bool>("--all") { Description = "Every format" };
        var cmd = new Command("layout", "Show a format's fields, segments, kinds, reserved ranges and rules") { format, json, all };
        cmd.SetAction(r =>
        {
            var output = r.InvocationConfiguration.Output;
            if (r.GetValue(all))
            {
                if (r.GetValue(json))
                {
                    output.WriteLine(JsonOut.Write(w =>
                    {
                        w.WriteStartArray();
                        foreach (var f in FormatRegistry.Formats)
                        {
                            JsonOut.Layout(w, f.Layout);
                        }

                        w.WriteEndArray();
                    }));
                }
                else
                {
                    foreach (var f in FormatRegistry.Formats)
                    {
                        output.WriteLine(LayoutText.Render(f.Layout));
                    }
                }

                return 0;
            }

            var name = r.GetValue(format) ?? throw new UsageException("give a format (vendor/Name) or --all");
            var (fmt, set) = FormatLookup.Find(name);
            if (set is not null)
            {
                output.WriteLine($"{set.FullName}: {set.Bits}-bit command set, discriminator bits {string.Join(",", set.Discriminator)}{(set.UnknownError is null ? string.Empty : $", unknown → {set.UnknownError}")}");
                foreach (var m in set.Members)
                {
                    output.WriteLine($"  0x{m.Opcode:X}  {m.Format.FullName}");
                }

                return 0;
            }

            output.WriteLine(r.GetValue(json) ? JsonOut.Write(w => JsonOut.Layout(w, fmt!.Layout)) : LayoutText.Render(fmt!.Layout));
            return 0;
        });
        return cmd;
    }
}
