using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HwSpecGen.Generators.Helpers;
using HwSpecGen.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HwSpecGen.Generators.Parsing;

/// <summary>Parses one spec file's text into a <see cref="SpecFile"/> plus diagnostics. Never throws.</summary>
public static class SpecParser
{
    private static readonly int[] AllowedWidths = [32, 64, 128, 256, 512];

    /// <summary>Parses <paramref name="text"/>, the contents of the file at <paramref name="path"/>.</summary>
    public static ParseResult Parse(string path, string? text)
    {
        var diagnostics = new List<DiagnosticInfo>();
        SpecFile? file = null;
        try
        {
            file = ParseCore(path, text ?? string.Empty, diagnostics);
        }
        catch (YamlException ex)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.YamlSyntax, $"YAML syntax error: {Clean(ex.Message)}", YamlSpans.Of(path, ex.Start, ex.End)));
        }
        catch (Exception ex)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.Internal, $"internal error while parsing ({ex.GetType().Name}: {ex.Message}); please report it with this YAML", new SourceSpan(path, 0, 0, 0, 0, 0, 0)));
        }

        return new ParseResult(path, file, diagnostics.ToEquatableArray());
    }

    private static string Clean(string message)
    {
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && message.StartsWith("(", StringComparison.Ordinal) ? message.Substring(i + 3) : message;
    }

    private static SpecFile? ParseCore(string path, string text, List<DiagnosticInfo> diagnostics)
    {
        var whole = new SourceSpan(path, 0, 0, 0, 0, 0, 0);
        var stream = new YamlStream();
        try
        {
            if (YamlDepthGuard.FindTooDeep(path, text) is { } deep)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.YamlSyntax, $"YAML nested more than {YamlDepthGuard.MaxDepth} levels deep; a spec file needs far fewer", deep));
                return null;
            }

            stream.Load(new StringReader(text));
        }
        catch (Exception ex) when (ex is not YamlException)
        {
            // YamlDotNet's scanner throws InvalidOperationException instead of a YamlException on some malformed
            // text (an unclosed flow mapping with a plain scalar running to the end: "- {a\nb"): still a syntax error.
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.YamlSyntax, $"YAML syntax error the YAML reader could not place ({ex.GetType().Name}); look for an unclosed '{{', '[' or quote", whole));
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.YamlSyntax, $"a spec file holds exactly one YAML document; this one has {stream.Documents.Count}", whole));
            return null;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.BadValue, "a spec file is a mapping with 'vendor:' and 'formats:'", YamlSpans.Of(path, stream.Documents[0].RootNode)));
            return null;
        }

        var r = new YamlMappingReader(root, path, "spec file", diagnostics);
        r.CheckKnown("vendor", "namespace", "title", "revision", "doc", "source", "extends", "enums", "sets", "formats", "tables");
        var vendor = r.String("vendor", required: true);
        if (vendor is not null && !IsVendorKey(vendor))
        {
            r.Report(DiagnosticIds.BadValue, $"vendor '{vendor}' must be lower-case letters, digits and '-' (e.g. amd-vi)", r.Node("vendor")!);
            vendor = null;
        }

        var ns = r.Identifier("namespace");
        var fileSource = r.String("source");
        var enums = ParseList(r, "enums", n => ParseEnum(n, path, diagnostics));
        var sets = ParseList(r, "sets", n => ParseSet(n, path, diagnostics, fileSource));
        var variantFile = r.Has("extends");
        var formats = ParseList(r, "formats", n => ParseFormat(n, path, diagnostics, fileSource, variantFile));
        var tables = ParseList(r, "tables", n => ParseTable(n, path, diagnostics, fileSource));
        if (vendor is null)
        {
            return null;
        }

        var extendsNode = r.Node("extends");
        return new SpecFile(
            path,
            vendor,
            ns,
            r.String("title"),
            r.String("revision"),
            fileSource,
            r.String("extends"),
            enums,
            sets,
            formats,
            tables,
            r.SpanOf(r.Node("vendor")!),
            extendsNode is null ? null : r.SpanOf(extendsNode));
    }

    private static bool IsVendorKey(string v) =>
        v.Length > 0 && char.IsLetter(v[0]) && v.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');

    private static EquatableArray<T> ParseList<T>(YamlMappingReader r, string key, Func<YamlMappingNode, T?> parse)
        where T : class, IEquatable<T>
    {
        var seq = r.Sequence(key);
        var list = new List<T>();
        if (seq is null)
        {
            return list.ToEquatableArray();
        }

        foreach (var item in seq.Children)
        {
            if (item is YamlMappingNode map)
            {
                var parsed = parse(map);
                if (parsed is not null)
                {
                    list.Add(parsed);
                }
            }
            else
            {
                r.Report(DiagnosticIds.BadValue, $"each entry of '{key}' must be a mapping (name: …), not a {YamlMappingReader.Describe(item)}", item);
            }
        }

        return list.ToEquatableArray();
    }

    private static EnumSpec? ParseEnum(YamlMappingNode node, string path, List<DiagnosticInfo> diagnostics)
    {
        var r = new YamlMappingReader(node, path, "enum", diagnostics);
        r.CheckKnown("name", "doc", "source", "strict", "values");
        var name = r.Identifier("name", required: true);
        var values = new List<EnumValueSpec>();
        var seq = r.Sequence("values");
        if (seq is null)
        {
            if (!r.Has("values"))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.MissingKey, "enum needs 'values'", r.Span));
            }
        }
        else
        {
            foreach (var item in seq.Children)
            {
                if (item is not YamlMappingNode map)
                {
                    r.Report(DiagnosticIds.BadValue, "each enum value is a mapping { name: …, value: … }", item);
                    continue;
                }

                var vr = new YamlMappingReader(map, path, "enum value", diagnostics);
                vr.CheckKnown("name", "value", "doc", "source");
                var vname = vr.Identifier("name", required: true);
                var value = vr.ULong("value", required: true);
                if (vname is not null && value is not null)
                {
                    values.Add(new EnumValueSpec(vname, value.Value, vr.String("doc"), vr.String("source"), vr.Span));
                }
            }
        }

        return name is null ? null : new EnumSpec(name, r.String("doc"), r.String("source"), r.Bool("strict") ?? true, values.ToEquatableArray(), r.Span);
    }

    private static SetSpec? ParseSet(YamlMappingNode node, string path, List<DiagnosticInfo> diagnostics, string? fileSource)
    {
        var r = new YamlMappingReader(node, path, "set", diagnostics);
        r.CheckKnown("name", "bits", "discriminator", "unknown", "doc", "source");
        var name = r.Identifier("name", required: true);
        var bits = ParseWidth(r, required: true);
        var disc = r.Node("discriminator");
        if (disc is null)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.MissingKey, "set needs 'discriminator' (the opcode bits, e.g. \"63:60\")", r.Span));
        }

        var segments = disc is null ? null : BitRangeParser.ParseList(disc, path, diagnostics);
        if (name is null || bits is null || segments is null)
        {
            return null;
        }

        return new SetSpec(name, bits.Value, segments.Value, r.String("unknown"), r.String("doc"), r.String("source") ?? fileSource, r.Span);
    }

    private static int? ParseWidth(YamlMappingReader r, bool required)
    {
        var bits = r.ULong("bits", required);
        if (bits is null)
        {
            return null;
        }

        if (Array.IndexOf(AllowedWidths, (int)Math.Min(bits.Value, 4096)) < 0)
        {
            r.Report(DiagnosticIds.BadWidth, $"'bits' must be one of 32, 64, 128, 256, 512, not {bits.Value}", r.Node("bits")!);
            return null;
        }

        return (int)bits.Value;
    }

    private static FormatSpec? ParseFormat(YamlMappingNode node, string path, List<DiagnosticInfo> diagnostics, string? fileSource, bool variantFile)
    {
        var r = new YamlMappingReader(node, path, "format", diagnostics);
        r.CheckKnown("name", "bits", "set", "extends", "doc", "source", "fields", "reserved", "rules", "remove");
        var name = r.Identifier("name", required: true);
        var bits = ParseWidth(r, required: false);
        var extends = r.Identifier("extends");
        // In a vendor variant file an entry may modify the base vendor's format of the same name without 'bits';
        // whether it does is known only when the files are compiled together (FormatResolver reports it otherwise).
        if (!r.Has("bits") && extends is null && !variantFile)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.MissingKey, "format needs 'bits' (32, 64, 128, 256 or 512) unless it 'extends' another", r.Span));
        }

        var fields = new List<FieldSpec>();
        var fseq = r.Sequence("fields");
        if (fseq is not null)
        {
            foreach (var item in fseq.Children)
            {
                if (item is YamlMappingNode map)
                {
                    var f = ParseField(map, path, diagnostics);
                    if (f is not null)
                    {
                        fields.Add(f);
                    }
                }
                else
                {
                    r.Report(DiagnosticIds.BadValue, "each field is a mapping { name: …, bits: … }", item);
                }
            }
        }

        var reserved = new List<ReservedSpec>();
        var rseq = r.Sequence("reserved");
        if (rseq is not null)
        {
            foreach (var item in rseq.Children)
            {
                if (item is YamlMappingNode map)
                {
                    var res = ParseReserved(map, path, diagnostics);
                    if (res is not null)
                    {
                        reserved.Add(res);
                    }
                }
                else
                {
                    r.Report(DiagnosticIds.BadValue, "each reserved entry is a mapping { bits: …, rule: must-be-zero | ignored }", item);
                }
            }
        }

        var rules = new List<RuleSpec>();
        var ruleSeq = r.Sequence("rules");
        if (ruleSeq is not null)
        {
            foreach (var item in ruleSeq.Children)
            {
                if (item is YamlMappingNode map)
                {
                    var rule = ParseRule(map, path, diagnostics);
                    if (rule is not null)
                    {
                        rules.Add(rule);
                    }
                }
                else
                {
                    r.Report(DiagnosticIds.BadValue, "each rule is a mapping { name: …, require: … }", item);
                }
            }
        }

        var remove = new List<string>();
        var removeSeq = r.Sequence("remove");
        if (removeSeq is not null)
        {
            foreach (var item in removeSeq.Children)
            {
                if (item is YamlScalarNode s && s.Value is not null && YamlMappingReader.IsIdentifier(s.Value))
                {
                    remove.Add(s.Value);
                }
                else
                {
                    r.Report(DiagnosticIds.BadValue, "'remove' lists field or rule names", item);
                }
            }
        }

        if (name is null)
        {
            return null;
        }

        var nameNode = r.Node("name")!;
        return new FormatSpec(
            name,
            bits,
            r.Identifier("set"),
            extends,
            r.String("doc"),
            r.String("source") ?? fileSource,
            fields.ToEquatableArray(),
            reserved.ToEquatableArray(),
            rules.ToEquatableArray(),
            remove.ToEquatableArray(),
            r.SpanOf(nameNode),
            r.Node("bits") is { } b ? r.SpanOf(b) : null,
            r.Node("set") is { } s2 ? r.SpanOf(s2) : null,
            r.Node("extends") is { } e ? r.SpanOf(e) : null);
    }

    private static FieldSpec? ParseField(YamlMappingNode node, string path, List<DiagnosticInfo> diagnostics)
    {
        var r = new YamlMappingReader(node, path, "field", diagnostics);
        r.CheckKnown("name", "bits", "segments", "kind", "enum", "shift", "const", "doc", "source");
        var name = r.Identifier("name", required: true);
        EquatableArray<BitRange>? segments = null;
        YamlNode? bitsNode = null;
        if (r.Has("bits") && r.Has("segments"))
        {
            r.Report(DiagnosticIds.BadValue, "a field has 'bits' (one range) or 'segments' (a list), not both", r.KeyNode("segments")!);
        }
        else if (r.Node("bits") is { } b)
        {
            bitsNode = b;
            if (b is YamlSequenceNode)
            {
                r.Report(DiagnosticIds.BadRange, "'bits' is one range \"hi:lo\"; use 'segments' for a field made of several pieces", b);
            }
            else
            {
                var one = BitRangeParser.Parse(b, path, diagnostics);
                segments = one is null ? null : new EquatableArray<BitRange>(new[] { one });
            }
        }
        else if (r.Node("segments") is { } s)
        {
            bitsNode = s;
            segments = BitRangeParser.ParseList(s, path, diagnostics);
        }
        else
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.MissingKey, "field needs 'bits' (\"hi:lo\") or 'segments'", r.Span));
        }

        FieldKind? kind = null;
        var kindText = r.String("kind");
        if (kindText is not null)
        {
            kind = kindText switch
            {
                "uint" => FieldKind.Unsigned,
                "flag" => FieldKind.Flag,
                "enum" => FieldKind.Enum,
                "address" => FieldKind.Address,
                "signed" => FieldKind.Signed,
                _ => null,
            };
            if (kind is null)
            {
                r.Report(DiagnosticIds.BadValue, $"kind '{kindText}' is not one of uint, flag, enum, address, signed", r.Node("kind")!);
                return null;
            }
        }

        var shift = r.ULong("shift");
        if (shift is > 63)
        {
            r.Report(DiagnosticIds.BadValue, "'shift' must be between 0 and 63", r.Node("shift")!);
            shift = null;
        }

        if (name is null || segments is null || bitsNode is null)
        {
            return null;
        }

        return new FieldSpec(name, segments.Value, kind, r.Identifier("enum"), (int)(shift ?? 0), r.ULong("const"), r.String("doc"), r.String("source"), r.Span, r.SpanOf(bitsNode));
    }

    private static ReservedSpec? ParseReserved(YamlMappingNode node, string path, List<DiagnosticInfo> diagnostics)
    {
        var r = new YamlMappingReader(node, path, "reserved entry", diagnostics);
        r.CheckKnown("bits", "rule", "doc", "source");
        var bits = r.Node("bits");
        if (bits is null)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.MissingKey, "reserved entry needs 'bits' (a range or a list of ranges)", r.Span));
            return null;
        }

        var ranges = BitRangeParser.ParseList(bits, path, diagnostics);
        var ruleText = r.String("rule") ?? "must-be-zero";
        ReservedRule rule;
        switch (ruleText)
        {
            case "must-be-zero":
                rule = ReservedRule.MustBeZero;
                break;
            case "ignored":
                rule = ReservedRule.Ignored;
                break;
            default:
                r.Report(DiagnosticIds.BadValue, $"reserved rule '{ruleText}' is not must-be-zero or ignored", r.Node("rule")!);
                return null;
        }

        return ranges is null ? null : new ReservedSpec(ranges.Value, rule, r.String("doc"), r.String("source"), r.SpanOf(bits));
    }

    private static RuleSpec? ParseRule(YamlMappingNode node, string path, List<DiagnosticInfo> diagnostics)
    {
        var r = new YamlMappingReader(node, path, "rule", diagnostics);
        r.CheckKnown("name", "when", "require", "error", "doc", "source");
        var name = r.Identifier("name", required: true);
        var require = r.String("require", required: true);
        if (name is null || require is null)
        {
            return null;
        }

        return new RuleSpec(
            name,
            r.String("when"),
            require,
            r.String("error"),
            r.String("doc"),
            r.String("source"),
            r.Span,
            r.Node("when") is { } w ? r.SpanOf(w) : null,
            r.SpanOf(r.Node("require")!));
    }

    private static TableSpec? ParseTable(YamlMappingNode node, string path, List<DiagnosticInfo> diagnostics, string? fileSource)
    {
        var r = new YamlMappingReader(node, path, "table", diagnostics);
        r.CheckKnown("name", "entry", "id", "index", "doc", "source");
        var name = r.Identifier("name", required: true);
        var entry = r.Identifier("entry", required: true);
        var id = r.Identifier("id", required: true);
        var indexNode = r.Node("index");
        if (indexNode is null)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.MissingKey, "table needs 'index' (the bits of the id, e.g. \"19:6\")", r.Span));
        }

        var index = indexNode is null ? null : BitRangeParser.Parse(indexNode, path, diagnostics);
        if (name is null || entry is null || id is null || index is null)
        {
            return null;
        }

        return new TableSpec(name, entry, id, index, r.String("doc"), r.String("source") ?? fileSource, r.Span, r.SpanOf(r.Node("entry")!));
    }
}
