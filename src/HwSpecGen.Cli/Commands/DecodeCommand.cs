using System;
using System.CommandLine;
using System.Linq;
using HwSpecGen.Cli.Output;

namespace HwSpecGen.Cli.Commands;

/// <summary><c>hwspec decode FORMAT HEX…</c>: every field and every violation of bytes given in memory order.</summary>
public static class DecodeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var format = new Argument<string>("format") { Description = "vendor/Name of a format, or of a command set (decoded by opcode)" };
        var hex = new Argument<string[]>("hex") { Description = "Bytes in memory order, as a hexdump shows them", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var cmd = new Command("decode", "Decode bytes as a format, or as a command set by opcode") { format, hex, json };
        cmd.SetAction(r =>
        {
            var bytes = Hex.Parse(string.Join(" ", r.GetValue(hex) ?? []));
            var decoded = Decode(r.GetValue(format)!, bytes);
            r.InvocationConfiguration.Output.Write(r.GetValue(json) ? JsonOut.Write(decoded.WriteJson) + Environment.NewLine : decoded.ToText());
            return decoded.Error == Runtime.DecodeError.None ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>Decodes bytes as a format or a set member.</summary>
    public static DecodedValue Decode(string name, byte[] bytes)
    {
        var (fmt, set) = FormatLookup.Find(name);
        if (set is null)
        {
            return DecodedValue.Decode(fmt!, bytes);
        }

        if (bytes.Length < set.Bits / 8)
        {
            throw new UsageException($"{set.FullName} entries are {set.Bits / 8} bytes; got {bytes.Length}");
        }

        var words = new ulong[(set.Bits + 63) / 64];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = set.Bits < 64 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes) : System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * 8, 8));
        }

        var opcode = set.ExtractOpcode(words);
        var member = set.Find(opcode);
        if (member is null)
        {
            var known = string.Join(", ", set.Members.Select(m => $"0x{m.Opcode:X} {m.Format.Layout.Name}"));
            throw new DecodeFailure($"{set.FullName}: unknown opcode 0x{opcode:X}{(set.UnknownError is null ? string.Empty : $" → hardware raises {set.UnknownError}")} (known: {known})");
        }

        return DecodedValue.Decode(member, bytes, $"{set.FullName} opcode 0x{opcode:X}");
    }
}
