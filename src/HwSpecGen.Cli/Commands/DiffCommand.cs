using System;
using System.CommandLine;
using HwSpecGen.Cli.Output;

namespace HwSpecGen.Cli.Commands;

/// <summary><c>hwspec diff FORMAT HEX HEX</c>: the fields (and reserved bits) that differ between two encodings of one format.</summary>
public static class DiffCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var format = new Argument<string>("format") { Description = "vendor/Name of a format, or of a command set (each side decoded by opcode)" };
        var hex = new Argument<string[]>("hex") { Description = "Two encodings in memory order (quote each if it has spaces), or all the bytes of both, A first", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var cmd = new Command("diff", "Show the fields that differ between two encodings of a format; exit 0 identical, 1 different") { format, hex, json };
        cmd.SetAction(r =>
        {
            var name = r.GetValue(format)!;
            var (a, b) = Split(name, r.GetValue(hex) ?? []);
            var diff = FormatDiff.Compare(DecodeCommand.Decode(name, a), DecodeCommand.Decode(name, b));
            r.InvocationConfiguration.Output.Write(r.GetValue(json) ? JsonOut.Write(diff.WriteJson) + Environment.NewLine : diff.ToText());
            return diff.Identical ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>The two encodings: two arguments, or all arguments split into two halves of one entry each.</summary>
    public static (byte[] A, byte[] B) Split(string name, string[] args)
    {
        var (fmt, set) = FormatLookup.Find(name);
        var size = set is null ? fmt!.Layout.SizeBytes : set.Bits / 8;
        if (args.Length == 2)
        {
            var a = Hex.Parse(args[0]);
            var b = Hex.Parse(args[1]);
            if (a.Length == size && b.Length == size)
            {
                return (a, b);
            }

            if (a.Length + b.Length != 2 * size)
            {
                throw new UsageException($"{name} entries are {size} bytes; got {a.Length} and {b.Length}");
            }
        }

        var all = Hex.Parse(string.Join(" ", args));
        if (all.Length != 2 * size)
        {
            throw new UsageException($"give two {size}-byte encodings of {name} (A then B); got {all.Length} bytes in all");
        }

        return (all[..size], all[size..]);
    }
}
