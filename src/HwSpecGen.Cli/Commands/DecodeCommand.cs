using System;
using System.Collections.Immutable;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using HwSpecGen.Cli.Input;
using HwSpecGen.Cli.Output;

namespace HwSpecGen.Cli.Commands;

/// <summary>
/// <c>hwspec decode FORMAT HEX…</c>: every field and every violation of bytes given in memory order;
/// <c>hwspec decode FORMAT --file PATH</c>: every entry of a queue or table read from a binary file or a hexdump;
/// <c>hwspec decode --debugfs KIND PATH</c>: every entry of a Linux IOMMU debugfs dump.
/// </summary>
public static class DecodeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var format = new Argument<string?>("format") { Description = "vendor/Name of a format, or of a command set (decoded by opcode); with --debugfs: the dump file ('-' for stdin)", Arity = ArgumentArity.ZeroOrOne };
        var hex = new Argument<string[]>("hex") { Description = "Bytes in memory order, as a hexdump shows them", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var file = new Option<string?>("--file") { Description = "Read entries from a file: raw binary, or xxd / hexdump -C / hexdump / od output, or plain hex ('-' for stdin)" };
        var binary = new Option<bool>("--binary") { Description = "With --file: the file is raw bytes even if it looks like text" };
        var debugfs = new Option<string?>("--debugfs") { Description = "Read a Linux debugfs dump: " + string.Join(", ", DebugfsDumps.Kinds.Select(k => $"{k.Kind} ({k.File})")) };
        debugfs.AcceptOnlyFromAmong(DebugfsDumps.Kinds.Select(k => k.Kind).ToArray());
        var all = new Option<bool>("--all") { Description = "With --file or --debugfs: decode empty (all-zero) entries too instead of folding them" };
        var cmd = new Command("decode", "Decode bytes, a file of queue or table entries, or a Linux debugfs dump") { format, hex, json, file, binary, debugfs, all };
        cmd.SetAction(r =>
        {
            var output = r.InvocationConfiguration.Output;
            var name = r.GetValue(format);
            var hexArgs = r.GetValue(hex) ?? [];
            var path = r.GetValue(file);
            var kind = r.GetValue(debugfs);
            if (kind is not null)
            {
                if (hexArgs.Length > 0 || (path is not null && name is not null))
                {
                    throw new UsageException("--debugfs takes one file: hwspec decode --debugfs " + kind + " FILE");
                }

                var dumpPath = path ?? name ?? throw new UsageException("give the dump file: hwspec decode --debugfs " + kind + " FILE");
                var blocks = DebugfsDumps.Parse(kind, Encoding.UTF8.GetString(ReadInput(dumpPath)));
                return Report(r.GetValue(json), output, DumpReport.Decode(blocks, r.GetValue(all)));
            }

            if (name is null)
            {
                throw new UsageException("give a format (vendor/Name) and hex bytes, or --file PATH, or --debugfs KIND FILE");
            }

            if (path is not null)
            {
                if (hexArgs.Length > 0)
                {
                    throw new UsageException("give hex bytes or --file, not both");
                }

                var bytes = HexDumpReader.Read(ReadInput(path), r.GetValue(binary), out var how);
                var block = FileBlock(name, path, bytes, how);
                return Report(r.GetValue(json), output, DumpReport.Decode([block], r.GetValue(all)));
            }

            if (hexArgs.Length == 0)
            {
                throw new UsageException($"give the bytes of {name} as hex (memory order), or --file PATH");
            }

            var decoded = Decode(name, Hex.Parse(string.Join(" ", hexArgs)));
            output.Write(r.GetValue(json) ? JsonOut.Write(decoded.WriteJson) + Environment.NewLine : decoded.ToText());
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

    /// <summary>Splits <paramref name="bytes"/> into entries of format or set <paramref name="name"/>.</summary>
    public static DumpBlock FileBlock(string name, string path, byte[] bytes, string how)
    {
        var (fmt, set) = FormatLookup.Find(name);
        var size = set is null ? fmt!.Layout.SizeBytes : set.Bits / 8;
        var full = set?.FullName ?? fmt!.FullName;
        if (bytes.Length < size)
        {
            throw new UsageException($"{path} holds {bytes.Length} byte(s) ({how}); one {full} entry is {size} bytes");
        }

        var entries = ImmutableArray.CreateBuilder<DumpEntry>();
        for (var i = 0; i + size <= bytes.Length; i += size)
        {
            entries.Add(new DumpEntry($"[{i / size}] @0x{i:x4}", full, bytes[i..(i + size)], null));
        }

        var notes = ImmutableArray.CreateBuilder<string>();
        notes.Add($"{bytes.Length} bytes ({how}), {entries.Count} entries of {size} bytes");
        if (bytes.Length % size != 0)
        {
            notes.Add($"the last {bytes.Length % size} byte(s) do not make a whole entry and are not decoded");
        }

        return new DumpBlock($"{full} entries in {path}", notes.ToImmutable(), entries.ToImmutable());
    }

    private static byte[] ReadInput(string path)
    {
        if (path == "-")
        {
            using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            stdin.CopyTo(buffer);
            return buffer.ToArray();
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"no such file: {path}");
        }

        return File.ReadAllBytes(path);
    }

    private static int Report(bool json, TextWriter output, DumpReport report)
    {
        output.Write(json ? JsonOut.Write(report.WriteJson) + Environment.NewLine : report.ToText());
        return report.Failures == 0 ? 0 : 1;
    }
}
