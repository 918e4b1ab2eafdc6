using System;
using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Generators.Helpers;
using HwSpecGen.Generators.Model;
using HwSpecGen.Generators.Parsing;

namespace HwSpecGen.Generators.Resolution;

/// <summary>Applies <c>extends</c> chains and checks one vendor's formats.</summary>
internal sealed class FormatResolver
{
    private const int MaxFields = 128;
    private const int MaxRules = 64;

    // Merge recurses once per 'extends' link: a chain of a few thousand formats would overflow a compiler thread's stack.
    private const int MaxExtendsDepth = 64;
    private readonly VendorScope _scope;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly Dictionary<(VendorScope, string), MergedFormat?> _merged = new();
    private readonly HashSet<(VendorScope, string)> _visiting = new();

    public FormatResolver(VendorScope scope, List<DiagnosticInfo> diagnostics)
    {
        _scope = scope;
        _diagnostics = diagnostics;
    }

    public static ResolvedEnum ToResolved(EnumSpec e) =>
        new(e.Name, e.Doc, e.Source, e.Strict, e.Values.Select(v => new ResolvedEnumValue(v.Name, v.Value, v.Doc, v.Source)).ToEquatableArray());

    /// <summary>The checked format, or null when it has errors (already reported).</summary>
    public ResolvedFormat? Resolve(string name)
    {
        if (_scope.ResolvedFormats.TryGetValue(name, out var done))
        {
            return done;
        }

        var merged = Merge(_scope, name, null);
        var result = merged is null ? null : Check(merged);
        _scope.ResolvedFormats[name] = result;
        return result;
    }

    private MergedFormat? Merge(VendorScope scope, string name, SourceSpan? referencedAt)
    {
        var key = (scope, name);
        if (_merged.TryGetValue(key, out var cached))
        {
            return cached is null ? null : Clone(cached);
        }

        if (!scope.Formats.TryGetValue(name, out var entry))
        {
            if (scope.Base is not null)
            {
                return Merge(scope.Base, name, referencedAt);
            }

            return null;
        }

        if (_visiting.Count >= MaxExtendsDepth)
        {
            _diagnostics.Add(new DiagnosticInfo(DiagnosticIds.Cycle, $"format {name}: the 'extends' chain is longer than {MaxExtendsDepth} formats; shorten it", referencedAt ?? entry.Spec.Span));
            return null;
        }

        if (!_visiting.Add(key))
        {
            _diagnostics.Add(new DiagnosticInfo(DiagnosticIds.Cycle, $"format {name} extends itself (through its 'extends' chain); break the cycle", referencedAt ?? entry.Spec.Span));
            return null;
        }

        try
        {
            var spec = entry.Spec;
            var baseName = spec.Extends;
            VendorScope? baseScope = scope;
            if (baseName is null && scope.Base is not null && scope.Base.HasFormat(name))
            {
                baseName = name; // a vendor variant's entry with a base name modifies the base entry
            }

            if (baseName == name)
            {
                baseScope = scope.Base;
            }

            MergedFormat? result;
            if (baseName is null)
            {
                // In a vendor variant file the parser lets 'bits' be left out, since an entry may modify a base format;
                // a new format must still say it.
                if (spec.Bits is null && spec.BitsSpan is null && entry.File.Extends is not null)
                {
                    _diagnostics.Add(new DiagnosticInfo(DiagnosticIds.MissingKey, $"format {name} is not a format of the base vendor, so it needs 'bits' (32, 64, 128, 256 or 512) unless it 'extends' another", spec.Span));
                }

                result = new MergedFormat(spec);
            }
            else
            {
                var found = baseScope is not null && baseScope.HasFormat(baseName);
                var baseFormat = found ? Merge(baseScope!, baseName, spec.ExtendsSpan ?? spec.Span) : null;
                if (!found)
                {
                    _diagnostics.Add(new DiagnosticInfo(DiagnosticIds.UnknownReference, $"format {name} extends '{baseName}', which is not a format of vendor {scope.Vendor}{(scope.Base is null ? string.Empty : " or " + scope.Base.Vendor)}", spec.ExtendsSpan ?? spec.Span));
                }

                result = baseFormat is null ? null : Apply(baseFormat, spec);
                if (result is not null && ++result.Depth > MaxExtendsDepth)
                {
                    _diagnostics.Add(new DiagnosticInfo(DiagnosticIds.Cycle, $"format {name}: the 'extends' chain is longer than {MaxExtendsDepth} formats; shorten it", spec.ExtendsSpan ?? spec.Span));
                    result = null;
                }
            }

            _merged[key] = result;
            return result is null ? null : Clone(result);
        }
        finally
        {
            _visiting.Remove(key);
        }
    }

    private static MergedFormat Clone(MergedFormat m)
    {
        var spec = new FormatSpec(m.Name, m.Bits, m.Set, null, m.Doc, m.Source, EquatableArray<FieldSpec>.Empty, EquatableArray<ReservedSpec>.Empty, EquatableArray<RuleSpec>.Empty, EquatableArray<string>.Empty, m.Span, m.BitsSpan, m.SetSpan, null);
        var c = new MergedFormat(spec) { Depth = m.Depth };
        c.Fields.AddRange(m.Fields);
        c.Reserved.AddRange(m.Reserved);
        c.Rules.AddRange(m.Rules);
        return c;
    }

    private MergedFormat Apply(MergedFormat b, FormatSpec d)
    {
        b.Name = d.Name;
        b.Span = d.Span;
        if (d.Bits is not null)
        {
            b.Bits = d.Bits;
            b.BitsSpan = d.BitsSpan;
        }

        if (d.Set is not null)
        {
            b.Set = d.Set;
            b.SetSpan = d.SetSpan;
        }

        b.Doc = d.Doc ?? b.Doc;
        b.Source = d.Source ?? b.Source;

        foreach (var r in d.Remove)
        {
            var removed = b.Fields.RemoveAll(f => f.Name == r) + b.Rules.RemoveAll(x => x.Name == r);
            if (removed == 0)
            {
                _diagnostics.Add(new DiagnosticInfo(DiagnosticIds.UnknownReference, $"format {d.Name}: 'remove' names '{r}', which is not a field or rule of its base", d.Span));
            }
        }

        // Bits the variant claims itself are carved out of inherited reserved ranges.
        var claimed = new HashSet<int>();
        foreach (var f in d.Fields)
        {
            foreach (var s in f.Segments)
            {
                for (var i = s.Lo; i <= s.Hi; i++)
                {
                    claimed.Add(i);
                }
            }
        }

        foreach (var r in d.Reserved)
        {
            foreach (var s in r.Ranges)
            {
                for (var i = s.Lo; i <= s.Hi; i++)
                {
                    claimed.Add(i);
                }
            }
        }

        var carved = new List<MergedReserved>();
        foreach (var r in b.Reserved)
        {
            var lo = -1;
            for (var i = r.Range.Lo; i <= r.Range.Hi + 1; i++)
            {
                var keep = i <= r.Range.Hi && !claimed.Contains(i);
                if (keep && lo < 0)
                {
                    lo = i;
                }
                else if (!keep && lo >= 0)
                {
                    carved.Add(r with { Range = new BitRange(i - 1, lo) });
                    lo = -1;
                }
            }
        }

        b.Reserved.Clear();
        b.Reserved.AddRange(carved);

        foreach (var f in d.Fields)
        {
            var i = b.Fields.FindIndex(x => x.Name == f.Name);
            if (i >= 0)
            {
                b.Fields[i] = f;
            }
            else
            {
                b.Fields.Add(f);
            }
        }

        foreach (var r in d.Reserved)
        {
            foreach (var range in r.Ranges)
            {
                b.Reserved.Add(new MergedReserved(range, r.Rule, r.Doc, r.Span));
            }
        }

        foreach (var r in d.Rules)
        {
            var i = b.Rules.FindIndex(x => x.Name == r.Name);
            if (i >= 0)
            {
                b.Rules[i] = r;
            }
            else
            {
                b.Rules.Add(r);
            }
        }

        return b;
    }

    private ResolvedFormat? Check(MergedFormat m)
    {
        var before = _diagnostics.Count;
        void Error(string id, string message, SourceSpan? at) => _diagnostics.Add(new DiagnosticInfo(id, message, at ?? m.Span));

        if (m.Bits is null)
        {
            return null; // reported by the parser, or by Merge for a vendor variant's new format
        }

        var bits = m.Bits.Value;
        if (SpecCompiler.IsReservedMemberName(m.Name))
        {
            Error(DiagnosticIds.Duplicate, $"'{m.Name}' is a name the generated API uses; pick another format name", m.Span);
        }

        if (m.Fields.Count > MaxFields)
        {
            Error(DiagnosticIds.BadValue, $"format {m.Name} has {m.Fields.Count} fields; {MaxFields} at most", m.Span);
        }

        if (m.Rules.Count > MaxRules)
        {
            Error(DiagnosticIds.BadValue, $"format {m.Name} has {m.Rules.Count} rules; {MaxRules} at most", m.Span);
        }

        var owners = new string?[bits];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var fields = new List<ResolvedField>();
        var enums = new Dictionary<string, ResolvedEnum>(StringComparer.Ordinal);
        foreach (var f in m.Fields)
        {
            if (!names.Add(f.Name))
            {
                Error(DiagnosticIds.Duplicate, $"format {m.Name} has two fields named {f.Name}; rename one", f.Span);
                continue;
            }

            if (SpecCompiler.IsReservedMemberName(f.Name) || f.Name == m.Name || f.Name.EndsWith("Value", StringComparison.Ordinal) && names.Contains(f.Name.Substring(0, f.Name.Length - 5)))
            {
                Error(DiagnosticIds.Duplicate, $"field name '{f.Name}' clashes with a generated member of {m.Name}; pick another name", f.Span);
                continue;
            }

            var width = f.Segments.Sum(s => s.Width);
            var kind = f.Kind ?? (f.Enum is not null ? FieldKind.Enum : width == 1 ? FieldKind.Flag : FieldKind.Unsigned);
            var ok = true;
            foreach (var s in f.Segments)
            {
                if (s.Hi >= bits)
                {
                    Error(DiagnosticIds.PastEnd, $"field {f.Name}: bits {s} lie past the end of {m.Name}, which has {bits} bits (0..{bits - 1})", f.BitsSpan);
                    ok = false;
                    continue;
                }

                for (var i = s.Lo; i <= s.Hi; i++)
                {
                    if (owners[i] is { } prev)
                    {
                        Error(DiagnosticIds.Overlap, $"field {f.Name} claims bit {i}, which {prev} already claims; a bit belongs to one field or reserved range", f.BitsSpan);
                        ok = false;
                        break;
                    }

                    owners[i] = "field " + f.Name;
                }
            }

            if (kind == FieldKind.Flag && width != 1)
            {
                Error(DiagnosticIds.BadValue, $"field {f.Name} is a flag but has {width} bits; use kind: uint", f.Span);
                ok = false;
            }

            if (width > 64 || (kind == FieldKind.Address && width + f.Shift > 64))
            {
                Error(DiagnosticIds.TooWide, $"field {f.Name}: {width} bits{(f.Shift > 0 ? $" shifted by {f.Shift}" : string.Empty)} do not fit a 64-bit value; split it into two fields", f.BitsSpan);
                ok = false;
            }

            if (f.Shift != 0 && kind != FieldKind.Address)
            {
                Error(DiagnosticIds.BadValue, $"field {f.Name}: 'shift' applies to kind: address only", f.Span);
                ok = false;
            }

            if (kind == FieldKind.Enum)
            {
                if (f.Enum is null)
                {
                    Error(DiagnosticIds.MissingKey, $"field {f.Name} is an enum field but names no 'enum'", f.Span);
                    ok = false;
                }
                else if (_scope.FindEnum(f.Enum) is not { } en)
                {
                    Error(DiagnosticIds.UnknownReference, $"field {f.Name}: enum '{f.Enum}' is not declared under 'enums:' for vendor {_scope.Vendor}", f.Span);
                    ok = false;
                }
                else
                {
                    foreach (var v in en.Values)
                    {
                        if (width < 64 && v.Value >> width != 0)
                        {
                            Error(DiagnosticIds.DoesNotFit, $"enum {en.Name} value {v.Name} = 0x{v.Value:X} does not fit field {f.Name} ({width} bits)", v.Span);
                            ok = false;
                        }
                    }

                    enums[en.Name] = ToResolved(en);
                }
            }
            else if (f.Enum is not null)
            {
                Error(DiagnosticIds.BadValue, $"field {f.Name} names an enum but is kind {kind.ToString().ToLowerInvariant()}; use kind: enum", f.Span);
                ok = false;
            }

            if (f.Const is { } c && width < 64 && c >> width != 0)
            {
                Error(DiagnosticIds.DoesNotFit, $"field {f.Name}: const 0x{c:X} does not fit in {width} bits", f.Span);
                ok = false;
            }

            if (ok)
            {
                fields.Add(new ResolvedField(f.Name, f.Segments, kind, f.Enum, f.Shift, f.Const, f.Doc, f.Source));
            }
        }

        // Members generated for one field must not share a name with another field's property, whatever their order.
        var fieldNames = new HashSet<string>(fields.Select(x => x.Name), StringComparer.Ordinal);
        foreach (var f in fields)
        {
            var generated = f.Const is null ? "With" + f.Name : f.Name + "Value";
            var helper = f.Kind == FieldKind.Enum ? "IsNamed" + f.Enum : null;
            foreach (var clash in new[] { generated, helper })
            {
                if (clash is not null && fieldNames.Contains(clash))
                {
                    var at = m.Fields.FirstOrDefault(x => x.Name == clash)?.Span;
                    Error(DiagnosticIds.Duplicate, $"field name '{clash}' clashes with the member {m.Name}.{clash} generated for field {f.Name}; rename one", at);
                }
            }
        }

        var reserved = new List<ResolvedReserved>();
        foreach (var r in m.Reserved)
        {
            if (r.Range.Hi >= bits)
            {
                Error(DiagnosticIds.PastEnd, $"reserved bits {r.Range} lie past the end of {m.Name}, which has {bits} bits", r.Span);
                continue;
            }

            for (var i = r.Range.Lo; i <= r.Range.Hi; i++)
            {
                if (owners[i] is { } prev)
                {
                    Error(DiagnosticIds.Overlap, $"reserved bits {r.Range} include bit {i}, which {prev} already claims", r.Span);
                    break;
                }

                owners[i] = "a reserved range";
            }

            reserved.Add(new ResolvedReserved(r.Range, r.Rule, r.Doc));
        }

        var gaps = new List<string>();
        for (var i = 0; i < bits; i++)
        {
            if (owners[i] is null)
            {
                var lo = i;
                while (i + 1 < bits && owners[i + 1] is null)
                {
                    i++;
                }

                gaps.Add(new BitRange(i, lo).ToString());
            }
        }

        if (gaps.Count > 0)
        {
            Error(DiagnosticIds.Gap, $"format {m.Name}: bits {string.Join(", ", gaps)} are claimed by no field and no reserved range; add them to 'reserved:' (must-be-zero or ignored)", m.Span);
        }

        var fieldMap = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var allEnums = new Dictionary<string, ResolvedEnum>(StringComparer.Ordinal);
        foreach (var name in _scope.EffectiveNames(s => s.Enums))
        {
            allEnums[name] = ToResolved(_scope.FindEnum(name)!);
        }

        var rules = new List<ResolvedRule>();
        var ruleNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in m.Rules)
        {
            if (!ruleNames.Add(r.Name))
            {
                Error(DiagnosticIds.Duplicate, $"format {m.Name} has two rules named {r.Name}", r.Span);
                continue;
            }

            string? whenCs = null;
            if (r.When is not null && !RuleExpressionCompiler.TryCompile(r.When, fieldMap, allEnums, out whenCs, out var whenError))
            {
                Error(DiagnosticIds.BadExpression, $"rule {r.Name}: {whenError}", r.WhenSpan);
                continue;
            }

            if (!RuleExpressionCompiler.TryCompile(r.Require, fieldMap, allEnums, out var reqCs, out var reqError))
            {
                Error(DiagnosticIds.BadExpression, $"rule {r.Name}: {reqError}", r.RequireSpan);
                continue;
            }

            var violated = whenCs is null ? $"!{reqCs}" : $"{whenCs} && !{reqCs}";
            rules.Add(new ResolvedRule(r.Name, r.When, r.Require, r.Error, r.Doc, violated));
        }

        if (_diagnostics.Count != before)
        {
            return null;
        }

        return new ResolvedFormat(
            m.Name,
            bits,
            m.Set,
            m.Doc,
            m.Source,
            fields.ToEquatableArray(),
            reserved.OrderBy(r => r.Range.Lo).ToEquatableArray(),
            rules.ToEquatableArray(),
            enums.Values.OrderBy(e => e.Name, StringComparer.Ordinal).ToEquatableArray());
    }
}
