using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace HwSpecGen.Fuzz.Tests.HostileYaml;

/// <summary>
/// Writes random spec files: mostly well-formed YAML whose content is sometimes right (every bit claimed once) and
/// sometimes not (gaps, overlaps, bad kinds, unknown names, cycles), with names chosen to collide with what the
/// generator emits. Deterministic for a seed.
/// </summary>
internal static class RandomSpecWriter
{
    private static readonly int[] Widths = [32, 64, 64, 128, 128, 256, 512, 0, 96, 1024];

    // Names a careless author might pick: some are members or types the generator emits itself.
    private static readonly string[] FieldNames =
    [
        "A", "B", "C", "Opcode", "Addr", "Valid", "Mode", "Kind", "Error", "Descriptor", "LayoutValue", "HasConstantMismatch", "CheckLength", "WithA",
        "IsNamedMode", "ToBytes", "OpcodeValue", "Item", "Width", "Value", "Raw", "Words", "Create", "Equals", "Msb", "DescriptorValue", "IsKnown",
        "MemberLayout", "TryGet", "KindOf", "Decode", "UnknownError", "Index", "Offset", "Entries",
    ];

    private static readonly string[] FormatNames = ["Cmd", "Entry", "Wait", "Inv", "CmdSet", "CmdKind", "Mode", "TblTable", "FormatRegistry", "Cmd2", "Entry2", "Layout", "Unknown", "Level"];

    private static readonly string[] Kinds = ["uint", "flag", "enum", "address", "signed", "bool", "int"];

    public static string Write(Random random)
    {
        // A careful author makes no deliberate mistake, so that half of the specs get through to the emitter; the
        // names still come from the colliding pools.
        var careful = random.Next(2) == 0;
        var sb = new StringBuilder();
        sb.Append("vendor: ").Append(careful ? "demo" : Pick(random, ["demo", "demo", "demo-x", "Demo", "1bad", "a--b", "format-registry"])).Append('\n');
        if (!careful && random.Next(6) == 0)
        {
            sb.Append("extends: ").Append(Pick(random, ["demo", "base", "demo-x"])).Append('\n');
        }

        var enums = new List<string>();
        if (random.Next(2) == 0)
        {
            sb.Append("enums:\n");
            for (var i = random.Next(1, 3); i > 0; i--)
            {
                var name = Pick(random, ["Mode", "Level", "Cmd", "Mode"]);
                enums.Add(name);
                sb.Append("  - name: ").Append(name).Append('\n');
                if (random.Next(3) == 0)
                {
                    sb.Append("    strict: ").Append(careful ? "false" : Pick(random, ["false", "true", "maybe"])).Append('\n');
                }

                sb.Append("    values:\n");
                for (var v = random.Next(0, 4); v > 0; v--)
                {
                    sb.Append("      - { name: ").Append(Pick(random, ["Off", "On", "Two", "Big", "Off"])).Append(", value: ").Append(careful ? random.Next(4).ToString(CultureInfo.InvariantCulture) : Number(random, 8)).Append(" }\n");
                }
            }
        }

        var sets = new List<(string Name, int Bits, string Disc)>();
        if (random.Next(2) == 0)
        {
            var bits = careful ? Pick(random, [64, 128, 256]) : Pick(random, Widths);
            var disc = careful ? Pick(random, ["\"63:60\"", "\"3:0\""]) : Pick(random, ["\"63:60\"", "\"3:0\"", "[\"3:0\", \"11:9\"]", "\"600:0\"", "\"63:0\"", "\"127:0\""]);
            sets.Add(("Cmd", bits, disc));
            sb.Append("sets:\n  - { name: Cmd, bits: ").Append(bits).Append(", discriminator: ").Append(disc).Append(", unknown: BAD }\n");
        }

        var formats = new List<string>();
        sb.Append("formats:\n");
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            var name = Pick(random, FormatNames);
            var bits = careful ? Pick(random, [32, 64, 128, 256, 512]) : Pick(random, Widths);
            sb.Append("  - name: ").Append(name).Append('\n');
            if (!careful && formats.Count > 0 && random.Next(4) == 0)
            {
                sb.Append("    extends: ").Append(Pick(random, formats.Append(name).ToArray())).Append('\n');
                if (random.Next(2) == 0)
                {
                    sb.Append("    remove: [").Append(Pick(random, FieldNames)).Append("]\n");
                }
            }
            else
            {
                sb.Append("    bits: ").Append(bits).Append('\n');
            }

            formats.Add(name);
            var inSet = sets.Count > 0 && random.Next(2) == 0 && (!careful || bits == sets[0].Bits);
            if (inSet)
            {
                sb.Append("    set: ").Append(careful ? "Cmd" : Pick(random, ["Cmd", "Cmd", "Nope"])).Append('\n');
            }

            WriteFields(sb, random, bits <= 0 || bits > 512 ? 64 : bits, inSet ? sets[0].Disc : null, enums, careful);
        }

        if (formats.Count > 0 && random.Next(3) == 0)
        {
            sb.Append("tables:\n  - { name: ").Append(Pick(random, ["Tbl", "Cmd"])).Append(", entry: ").Append(Pick(random, careful ? formats.ToArray() : formats.Append("Missing").ToArray()))
                .Append(", id: DeviceId, index: ").Append(careful ? "\"15:0\"" : Pick(random, ["\"15:0\"", "\"40:0\"", "\"19:6\"", "\"0\""])).Append(" }\n");
        }

        return sb.ToString();
    }

    private static void WriteFields(StringBuilder sb, Random random, int bits, string? discriminator, List<string> enums, bool careful)
    {
        sb.Append("    fields:\n");
        var spans = new List<(int Lo, int Hi)> { (0, bits - 1) };
        var fieldNames = new List<(string Name, int Width)>();
        if (discriminator is not null)
        {
            // the opcode: a constant on the set's discriminator (a careful author puts it where the set says)
            var (opLo, opHi) = discriminator == "\"63:60\"" && bits >= 64 ? (60, 63) : (0, 3);
            sb.Append("      - { name: Op, bits: \"").Append(opHi).Append(':').Append(opLo).Append("\", const: ").Append(random.Next(16)).Append(" }\n");
            fieldNames.Add(("Op", 4));
            spans = [(0, opLo - 1), (opHi + 1, bits - 1)];
        }

        // Tile the rest with fields and reserved ranges, then maybe break the tiling.
        var pieces = new List<(int Lo, int Hi)>();
        foreach (var (spanLo, spanHi) in spans.Where(x => x.Hi >= x.Lo))
        {
            var lo = spanLo;
            while (lo <= spanHi)
            {
                var width = Math.Min(spanHi - lo + 1, random.Next(4) == 0 ? 1 : random.Next(1, 70));
                pieces.Add((lo, lo + width - 1));
                lo += width;
            }
        }

        if (!careful && random.Next(4) == 0 && pieces.Count > 1)
        {
            pieces.RemoveAt(random.Next(pieces.Count)); // a gap
        }

        if (!careful && random.Next(4) == 0 && pieces.Count > 0)
        {
            var p = pieces[random.Next(pieces.Count)];
            pieces.Add((p.Lo, Math.Min(bits + random.Next(3), p.Hi + random.Next(3)))); // an overlap, maybe past the end
        }

        var reserved = new List<string>();
        var used = new HashSet<string>(fieldNames.Select(f => f.Name));
        foreach (var (pLo, pHi) in pieces)
        {
            var range = pLo == pHi ? pLo.ToString(CultureInfo.InvariantCulture) : $"{pHi}:{pLo}";
            var width = pHi - pLo + 1;
            if (random.Next(4) == 0 || (careful && width > 64))
            {
                reserved.Add($"\"{range}\"");
                continue;
            }

            var name = Pick(random, FieldNames);
            if (!used.Add(name) && (careful || random.Next(4) != 0))
            {
                name += used.Count.ToString(CultureInfo.InvariantCulture);
                used.Add(name);
            }

            fieldNames.Add((name, width));
            sb.Append("      - { name: ").Append(name).Append(", bits: \"").Append(range).Append('"');
            var kindRoll = random.Next(10);
            if (kindRoll == 0 && !careful)
            {
                sb.Append(", kind: ").Append(Pick(random, Kinds));
            }
            else if (kindRoll == 1 && width >= 12)
            {
                sb.Append(", kind: address, shift: ").Append(careful ? Pick(random, [0, 3, 64 - width]) : Pick(random, [12, 3, 0, 64 - width, 65 - width, 70]));
            }
            else if (kindRoll == 2 && width > 1)
            {
                sb.Append(", kind: signed");
            }
            else if (kindRoll == 3 && enums.Count > 0 && (!careful || width >= 2))
            {
                sb.Append(", enum: ").Append(careful ? Pick(random, enums) : Pick(random, enums.Append("Nope").ToArray()));
            }
            else if (random.Next(12) == 0)
            {
                sb.Append(", const: ").Append(careful ? (random.Next(2) == 0 ? "0" : "1") : Number(random, width));
            }

            sb.Append(" }\n");
        }

        if (reserved.Count > 0)
        {
            sb.Append("    reserved:\n      - { bits: [").Append(string.Join(", ", reserved)).Append("], rule: ")
                .Append(careful ? Pick(random, ["must-be-zero", "ignored"]) : Pick(random, ["must-be-zero", "ignored", "must-be-zero", "zero"])).Append(" }\n");
        }

        if (!careful && fieldNames.Count > 0 && random.Next(3) == 0)
        {
            sb.Append("    rules:\n");
            for (var i = random.Next(1, 3); i > 0; i--)
            {
                sb.Append("      - { name: R").Append(i).Append(", require: \"").Append(Expression(random, fieldNames, enums, 0)).Append("\", error: BAD");
                if (random.Next(2) == 0)
                {
                    sb.Append(", when: \"").Append(Expression(random, fieldNames, enums, 0)).Append('"');
                }

                sb.Append(" }\n");
            }
        }
    }

    private static string Expression(Random random, List<(string Name, int Width)> fields, List<string> enums, int depth)
    {
        var roll = depth > 3 ? random.Next(3) : random.Next(9);
        return roll switch
        {
            0 => Pick(random, fields).Name,
            1 => Number(random, 64),
            2 => enums.Count > 0 ? Pick(random, enums) + "." + Pick(random, ["Off", "On", "Nope"]) : "0",
            3 => $"{Expression(random, fields, enums, depth + 1)} {Pick(random, ["==", "!=", "<", "<=", ">", ">="])} {Expression(random, fields, enums, depth + 1)}",
            4 => $"{Expression(random, fields, enums, depth + 1)} && {Expression(random, fields, enums, depth + 1)}",
            5 => $"{Expression(random, fields, enums, depth + 1)} || {Expression(random, fields, enums, depth + 1)}",
            6 => $"!{Expression(random, fields, enums, depth + 1)}",
            7 => $"({Expression(random, fields, enums, depth + 1)})",
            _ => Pick(random, ["", "(", ")", "A +", "1.5", "x.y.z", "Mode.", "!!", "== 1", "\\\\"]),
        };
    }

    private static string Number(Random random, int width) => random.Next(6) switch
    {
        0 => "0x" + ((ulong)random.NextInt64() & (width >= 64 ? ulong.MaxValue : (1UL << width) - 1)).ToString("X", CultureInfo.InvariantCulture),
        1 => Pick(random, ["18446744073709551616", "-1", "0x", "99999999999999999999"]),
        2 => ((ulong)random.NextInt64() >> random.Next(64)).ToString(CultureInfo.InvariantCulture),
        _ => random.Next(0, 1 << Math.Min(width, 8)).ToString(CultureInfo.InvariantCulture),
    };

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
