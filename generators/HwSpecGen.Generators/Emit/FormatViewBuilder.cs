using System.Collections.Generic;
using System.Linq;
using System.Text;
using HwSpecGen.Generators.Model;
using static HwSpecGen.Generators.Emit.CodeText;

namespace HwSpecGen.Generators.Emit;

/// <summary>Computes the C# fragments of one format for the template.</summary>
internal static class FormatViewBuilder
{
    private const string Rt = "global::HwSpecGen.Runtime";

    public static FormatView Build(ResolvedFormat f, string vendor)
    {
        var words = (f.Bits + 63) / 64;
        var narrow = f.Bits < 64;
        var v = new FormatView
        {
            Name = f.Name,
            Summary = Xml(f.Doc ?? f.Name),
            SourceLine = Xml(f.Source),
            Bits = Int(f.Bits),
            Bytes = Int(f.Bits / 8),
            Words = Int(words),
        };
        for (var i = 0; i < words; i++)
        {
            v.WordNames.Add("_w" + Int(i));
            v.CtorAssign.Add($"_w{Int(i)} = w{Int(i)};");
            v.GetWordArms.Add($"{Int(i)} => _w{Int(i)},");
            v.HashArgs.Add("_w" + Int(i));
        }

        v.CtorParams = string.Join(", ", Enumerable.Range(0, words).Select(i => "ulong w" + Int(i)));
        v.FromSpanArgs = narrow ? "CheckLength(words)[0] & 0xFFFFFFFFUL" : "CheckLength(words)[0]" + string.Concat(Enumerable.Range(1, words - 1).Select(i => $", words[{Int(i)}]"));
        v.ReadArgs = narrow
            ? "global::System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes)"
            : string.Join(", ", Enumerable.Range(0, words).Select(i => $"global::System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice({Int(i * 8)}, 8))"));
        if (narrow)
        {
            v.WriteStatements.Add("global::System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)_w0);");
        }
        else
        {
            for (var i = 0; i < words; i++)
            {
                v.WriteStatements.Add($"global::System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice({Int(i * 8)}, 8), _w{Int(i)});");
            }
        }

        v.EqualsExpr = string.Join(" && ", Enumerable.Range(0, words).Select(i => $"_w{Int(i)} == other._w{Int(i)}"));

        // Create(): constants set, everything else zero.
        var createWords = new ulong[words];
        var constChecks = new List<string>();
        var validConds = new List<string>();
        var constMask = new ulong[words];
        var constValue = new ulong[words];
        var enumMask = new ulong[words];
        var enumValue = new ulong[words];
        var toString = new StringBuilder();
        toString.Append(f.Name).Append(" {{ ");
        var first = true;
        var fieldLayouts = new List<string>();
        for (var index = 0; index < f.Fields.Count; index++)
        {
            var field = f.Fields[index];
            var pieces = Pieces(field.Segments);
            var raw = RawRead(pieces);
            var width = field.Width;
            var maxRaw = width >= 64 ? ulong.MaxValue : (1UL << width) - 1;
            var docText = Xml(field.Doc ?? field.Name).TrimEnd();
            var doc = $"/// <summary>{docText}{(docText.EndsWith(".", System.StringComparison.Ordinal) ? string.Empty : ".")} Bits {BitsText(field.Segments)}.</summary>";
            var remarks = field.Source is null ? string.Empty : $"\n    /// <remarks>Source: {Xml(field.Source)}</remarks>";
            var header = doc + remarks;
            string type;
            string getter;
            string valueForString;
            switch (field.Kind)
            {
                case FieldKind.Flag:
                    type = "bool";
                    getter = $"(_w{Int(pieces[0].Word)} & {Hex(pieces[0].WordMask)}) != 0";
                    valueForString = $"{{{field.Name}}}";
                    break;
                case FieldKind.Enum:
                    type = field.Enum!;
                    getter = $"({type}){raw}";
                    valueForString = $"{{{field.Name}}}";
                    break;
                case FieldKind.Signed:
                    type = "long";
                    getter = width >= 64 ? $"unchecked((long){raw})" : $"unchecked((long)({raw} << {Int(64 - width)}) >> {Int(64 - width)})";
                    valueForString = $"{{{field.Name}}}";
                    break;
                case FieldKind.Address:
                    type = "ulong";
                    // An address in one piece whose low bit sits at the address bit it holds is the word, masked.
                    getter = field.Shift == 0 ? raw
                        : pieces.Count == 1 && pieces[0].Shift == field.Shift ? MaskedWord(pieces[0].Word, pieces[0].WordMask)
                        : $"{raw} << {Int(field.Shift)}";
                    valueForString = $"0x{{{field.Name}:X}}";
                    break;
                default:
                    type = "ulong";
                    getter = raw;
                    valueForString = $"0x{{{field.Name}:X}}";
                    break;
            }

            v.Members.Add($"{header}\n    public {type} {field.Name} => {getter};");
            toString.Append(first ? string.Empty : ", ").Append(field.Name).Append(" = ").Append(valueForString);
            first = false;

            if (field.Const is { } c)
            {
                v.Members.Add($"/// <summary>The value {field.Name} must hold in a {f.Name}.</summary>\n    public const ulong {field.Name}Value = {Hex(c)};");
                foreach (var p in pieces)
                {
                    createWords[p.Word] |= ((c >> p.ValueShift) & p.Mask) << p.Shift;
                }

                if (width >= 64 || c <= maxRaw)
                {
                    // One masked compare per word the field touches, instead of gathering the pieces into the value.
                    var fieldMask = new ulong[words];
                    var fieldValue = new ulong[words];
                    foreach (var p in pieces)
                    {
                        var bits = ((c >> p.ValueShift) & p.Mask) << p.Shift;
                        fieldMask[p.Word] |= p.WordMask;
                        fieldValue[p.Word] |= bits;
                        constMask[p.Word] |= p.WordMask;
                        constValue[p.Word] |= bits;
                    }

                    var mismatch = string.Join(" || ", Enumerable.Range(0, words).Where(w => fieldMask[w] != 0).Select(w => WordMismatch(w, fieldMask[w], fieldValue[w])));
                    v.ValidateStatements.Add($"if ({mismatch}) c |= (global::System.UInt128)1 << {Int(index)};");
                }
                else
                {
                    // The constant does not fit the field: it can never match.
                    constChecks.Add($"({raw}) != {Hex(c)}");
                    validConds.Add($"({raw}) == {Hex(c)}");
                    v.ValidateStatements.Add($"if (({raw}) != {Hex(c)}) c |= (global::System.UInt128)1 << {Int(index)};");
                }
            }
            else
            {
                v.Members.Add(WithMethod(f.Name, field, type, pieces, maxRaw, words));
                v.BuilderMembers.Add(BuilderProperty(field, type, getter, doc, pieces, maxRaw, words));
            }

            if (field.Kind == FieldKind.Enum)
            {
                var en = f.Enums.First(e => e.Name == field.Enum);
                if (en.Strict)
                {
                    var named = en.Values.Select(x => x.Value).Where(x => x <= maxRaw).Distinct().OrderBy(x => x).ToList();
                    var free = named.Aggregate(0UL, (acc, x) => acc | (x ^ named[0])); // bits that differ among the named values
                    var fixedBits = ~free & maxRaw;
                    if (named.Count > 0 && fixedBits != 0 && width - PopCount(fixedBits) < 63 && (ulong)named.Count == 1UL << (width - PopCount(fixedBits)))
                    {
                        // The named values are exactly those with some bits fixed (e.g. 2 and 3 of a 2-bit field: the top bit
                        // set): a masked compare per word, merged into IsValid's branch-free test like a constant field.
                        var fieldMask = new ulong[words];
                        var fieldValue = new ulong[words];
                        foreach (var p in pieces)
                        {
                            var m = ((fixedBits >> p.ValueShift) & p.Mask) << p.Shift;
                            var k = ((named[0] >> p.ValueShift) & p.Mask) << p.Shift & m;
                            fieldMask[p.Word] |= m;
                            fieldValue[p.Word] |= k;
                            enumMask[p.Word] |= m;
                            enumValue[p.Word] |= k;
                        }

                        var mismatch = string.Join(" || ", Enumerable.Range(0, words).Where(w => fieldMask[w] != 0).Select(w => WordMismatch(w, fieldMask[w], fieldValue[w])));
                        v.ValidateStatements.Add($"if ({mismatch}) e |= (global::System.UInt128)1 << {Int(index)};");
                    }
                    else if (named.Count > 0 && named[named.Count - 1] - named[0] == (ulong)(named.Count - 1))
                    {
                        // Contiguous named values: at most one (unsigned) range compare. Kept as its own condition of
                        // IsValid (not merged into the branch-free part) so the JIT knows the range when it compiles the rules.
                        var lo = named[0];
                        var hi = named[named.Count - 1];
                        var inRange = lo == 0 && hi == maxRaw ? null
                            : lo == 0 ? $"{raw} <= {Hex(hi)}"
                            : hi == maxRaw ? $"{raw} >= {Hex(lo)}"
                            : $"({raw} - {Hex(lo)}) <= {Hex(hi - lo)}";
                        if (inRange is not null)
                        {
                            v.ValidateStatements.Add($"if (!({inRange})) e |= (global::System.UInt128)1 << {Int(index)};");
                            validConds.Add(inRange);
                        }
                    }
                    else if (width <= 6)
                    {
                        // Every raw value is below 64: test the value's bit in a bitmap of the named values.
                        var bitmap = named.Aggregate(0UL, (acc, x) => acc | (1UL << (int)x));
                        var isNamed = $"(({Hex(bitmap)} >> (int){raw}) & 1UL) != 0";
                        v.ValidateStatements.Add($"if (!({isNamed})) e |= (global::System.UInt128)1 << {Int(index)};");
                        validConds.Add(isNamed);
                    }
                    else
                    {
                        var helper = "IsNamed" + en.Name;
                        // Every named value (reachable or not): the helper is shared by the fields of this enum.
                        var all = en.Values.Select(x => x.Value).Distinct().OrderBy(x => x).ToList();
                        var values = all.Count == 0 ? "false" : "value is " + string.Join(" or ", all.Select(Hex));
                        var helperCode = $"private static bool {helper}(ulong value) => {values};";
                        if (!v.Helpers.Contains(helperCode))
                        {
                            v.Helpers.Add(helperCode);
                        }

                        v.ValidateStatements.Add($"if (!{helper}({raw})) e |= (global::System.UInt128)1 << {Int(index)};");
                        validConds.Add($"{helper}({raw})");
                    }
                }
            }

            fieldLayouts.Add(FieldLayoutInit(field, f));
        }

        for (var r = 0; r < f.Rules.Count; r++)
        {
            v.ValidateStatements.Add($"if ({f.Rules[r].ViolatedCSharp}) r |= 1UL << {Int(r)};");
            validConds.Add($"!({f.Rules[r].ViolatedCSharp})");
        }

        toString.Append(" }}");
        v.ToStringBody = toString.ToString();
        constChecks.InsertRange(0, Enumerable.Range(0, words).Where(w => constMask[w] != 0).Select(w => WordMismatch(w, constMask[w], constValue[w])));
        v.ConstMismatch = constChecks.Count == 0 ? "false" : string.Join(" || ", constChecks);
        v.CreateExpr = $"new {f.Name}({string.Join(", ", createWords.Select(Hex))})";
        for (var i = 0; i < words; i++)
        {
            v.BuilderInit.Add($"_w{Int(i)} = {Hex(createWords[i])};");
        }


        var mbz = new ulong[8];
        foreach (var r in f.Reserved.Where(r => r.Rule == ReservedRule.MustBeZero))
        {
            for (var b = r.Range.Lo; b <= r.Range.Hi; b++)
            {
                mbz[b / 64] |= 1UL << (b % 64);
            }
        }

        // Must-be-zero bits, constant fields and enums whose named values fix some bits, in one branch-free test: per
        // word, the checked bits XOR their required value (zero for reserved bits).
        var orTerms = Enumerable.Range(0, words).Where(i => (mbz[i] | constMask[i] | enumMask[i]) != 0).Select(i =>
        {
            var masked = MaskedWord(i, mbz[i] | constMask[i] | enumMask[i]);
            var required = constValue[i] | enumValue[i];
            return required == 0 ? masked : $"({masked} ^ {Hex(required)})";
        }).ToList();
        if (orTerms.Count > 0)
        {
            validConds.Insert(0, orTerms.Count == 1 ? $"{orTerms[0]} == 0" : $"({string.Join(" | ", orTerms)}) == 0");
        }

        v.IsValidExpr = validConds.Count == 0 ? "true" : string.Join("\n            && ", validConds);
        v.ReservedArgs = string.Join(", ", Enumerable.Range(0, 8).Select(i => i < words && mbz[i] != 0 ? (mbz[i] == ulong.MaxValue ? $"_w{Int(i)}" : $"_w{Int(i)} & {Hex(mbz[i])}") : "0UL"));
        var reservedTerms = Enumerable.Range(0, words).Where(i => mbz[i] != 0).Select(i => MaskedWord(i, mbz[i])).ToList();
        v.HasReservedBitsSetExpr = reservedTerms.Count == 0 ? "false" : $"({string.Join(" | ", reservedTerms)}) != 0";

        var reservedInit = f.Reserved.Select(r =>
            $"new {Rt}.ReservedLayout(new {Rt}.BitSegment({Int(r.Range.Lo)}, {Int(r.Range.Width)}), {Rt}.ReservedRule.{r.Rule}, {Str(r.Doc)})");
        var rulesInit = f.Rules.Select(r => $"new {Rt}.RuleLayout({Str(r.Name)}, {Str(r.When)}, {Str(r.Require)}, {Str(r.Error)}, {Str(r.Doc)})");
        for (var i = 0; i < v.Members.Count; i++)
        {
            v.Members[i] = v.Members[i].Replace("\n    ", "\n"); // the template indents every line of a member
        }

        for (var i = 0; i < v.BuilderMembers.Count; i++)
        {
            v.BuilderMembers[i] = v.BuilderMembers[i].Replace("\n    ", "\n"); // as for members: the template indents each line
        }

        v.LayoutInit =
            $"new {Rt}.FormatLayout({Str(vendor)}, {Str(f.Name)}, {Int(f.Bits)}, {Str(f.Set)}, {Str(f.Doc)}, {Str(f.Source)},\n" +
            $"            global::System.Collections.Immutable.ImmutableArray.Create<{Rt}.FieldLayout>({Join(fieldLayouts)}),\n" +
            $"            global::System.Collections.Immutable.ImmutableArray.Create<{Rt}.ReservedLayout>({Join(reservedInit)}),\n" +
            $"            global::System.Collections.Immutable.ImmutableArray.Create<{Rt}.RuleLayout>({Join(rulesInit)}))";
        return v;
    }

    /// <summary>
    /// C# true when the bits <paramref name="mask"/> of word <paramref name="word"/> differ from <paramref name="value"/>:
    /// a shift when the mask is the word's top bits (no 64-bit immediates), a masked compare otherwise.
    /// </summary>
    private static string WordMismatch(int word, ulong mask, ulong value)
    {
        var low = 0;
        while (low < 64 && ((mask >> low) & 1) == 0)
        {
            low++;
        }

        return low > 0 && low < 64 && mask == ulong.MaxValue << low
            ? $"(_w{Int(word)} >> {Int(low)}) != {Hex(value >> low)}"
            : $"{MaskedWord(word, mask)} != {Hex(value)}";
    }

    private static int PopCount(ulong v)
    {
        var n = 0;
        for (; v != 0; v &= v - 1)
        {
            n++;
        }

        return n;
    }

    /// <summary><c>(_wN &amp; mask)</c>, or just <c>_wN</c> when the mask is the whole word.</summary>
    private static string MaskedWord(int word, ulong mask) => mask == ulong.MaxValue ? $"_w{Int(word)}" : $"(_w{Int(word)} & {Hex(mask)})";

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? string.Empty : "\n                " + string.Join(",\n                ", list);
    }

    private static string FieldLayoutInit(ResolvedField field, ResolvedFormat f)
    {
        var segs = string.Join(", ", field.Segments.Select(s => $"new {Rt}.BitSegment({Int(s.Lo)}, {Int(s.Width)})"));
        var members = "default";
        var strict = "false";
        if (field.Kind == FieldKind.Enum)
        {
            var en = f.Enums.First(e => e.Name == field.Enum);
            members = $"global::System.Collections.Immutable.ImmutableArray.Create<{Rt}.EnumMember>({string.Join(", ", en.Values.Select(x => $"new {Rt}.EnumMember({Str(x.Name)}, {Hex(x.Value)}, {Str(x.Doc)}, {Str(x.Source)})"))})";
            strict = en.Strict ? "true" : "false";
        }

        var constant = field.Const is { } c ? Hex(c) : "null";
        return $"new {Rt}.FieldLayout({Str(field.Name)}, {Rt}.FieldKind.{KindName(field.Kind)}, global::System.Collections.Immutable.ImmutableArray.Create<{Rt}.BitSegment>({segs}), {Int(field.Shift)}, {constant}, {Str(field.Enum)}, {members}, {strict}, {Str(field.Doc)}, {Str(field.Source)})";
    }

    private static string KindName(FieldKind kind) => kind switch
    {
        FieldKind.Unsigned => "Unsigned",
        FieldKind.Flag => "Flag",
        FieldKind.Enum => "Enum",
        FieldKind.Address => "Address",
        _ => "Signed",
    };

    private static string WithMethod(string typeName, ResolvedField field, string type, IReadOnlyList<Piece> pieces, ulong maxRaw, int words)
    {
        var setter = Setter(field, type, pieces, maxRaw, words);
        var sb = new StringBuilder();
        sb.Append($"/// <summary>A copy with {field.Name} set to <paramref name=\"value\"/>.</summary>\n");
        sb.Append($"    /// <param name=\"value\">The new value.</param>\n");
        sb.Append($"    /// <returns>The new value of the whole {typeName}.</returns>\n");
        sb.Append(setter.ExceptionDoc);
        sb.Append($"    public {typeName} With{field.Name}({setter.ParameterType} value)\n    {{\n");
        sb.Append(setter.Check);
        sb.Append($"        var raw = {setter.RawExpr};\n");
        var args = Enumerable.Range(0, words).Select(w => setter.WordExprs[w] ?? $"_w{Int(w)}");
        sb.Append($"        return new {typeName}({string.Join(", ", args)});\n    }}");
        return sb.ToString();
    }

    private static string BuilderProperty(ResolvedField field, string type, string getter, string doc, IReadOnlyList<Piece> pieces, ulong maxRaw, int words)
    {
        var setter = Setter(field, type, pieces, maxRaw, words);
        var sb = new StringBuilder();
        sb.Append(doc).Append('\n');
        sb.Append(setter.ExceptionDoc);
        sb.Append($"    public {setter.ParameterType} {field.Name}\n    {{\n");
        sb.Append($"        readonly get => {(setter.ParameterType == type ? getter : $"({setter.ParameterType})({getter})")};\n");
        sb.Append("        [global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]\n");
        sb.Append("        set\n        {\n");
        sb.Append(setter.Check.Replace("        if (", "            if ("));
        sb.Append($"            var raw = {setter.RawExpr};\n");
        for (var w = 0; w < words; w++)
        {
            if (setter.WordExprs[w] is { } e)
            {
                sb.Append($"            _w{Int(w)} = {e};\n");
            }
        }

        sb.Append("        }\n    }");
        return sb.ToString();
    }

    private static SetterParts Setter(ResolvedField field, string type, IReadOnlyList<Piece> pieces, ulong maxRaw, int words)
    {
        string rawExpr;
        string parameterType;
        var check = string.Empty;
        var exceptionDoc = string.Empty;
        switch (field.Kind)
        {
            case FieldKind.Flag:
                parameterType = "bool";
                rawExpr = "(value ? 1UL : 0UL)";
                break;
            case FieldKind.Enum:
                parameterType = type;
                exceptionDoc = $"    /// <exception cref=\"global::System.ArgumentOutOfRangeException\">The value does not fit the field's {Int(field.Width)} bits.</exception>\n";
                rawExpr = "(ulong)value";
                if (field.Width < 64)
                {
                    check = $"        if ((ulong)value > {Hex(maxRaw)}) {Rt}.FieldValueGuard.ThrowTooWide(\"{field.Name}\", (ulong)value, {Int(field.Width)});\n";
                }

                break;
            case FieldKind.Signed:
                parameterType = "long";
                exceptionDoc = $"    /// <exception cref=\"global::System.ArgumentOutOfRangeException\">The value does not fit the field's {Int(field.Width)} bits.</exception>\n";
                rawExpr = field.Width >= 64 ? "unchecked((ulong)value)" : $"(unchecked((ulong)value) & {Hex(maxRaw)})";
                if (field.Width < 64)
                {
                    var min = -(1L << (field.Width - 1));
                    var max = (1L << (field.Width - 1)) - 1;
                    check = $"        if (value < {min.ToString(System.Globalization.CultureInfo.InvariantCulture)}L || value > {max.ToString(System.Globalization.CultureInfo.InvariantCulture)}L) {Rt}.FieldValueGuard.ThrowSignedTooWide(\"{field.Name}\", value, {Int(field.Width)});\n";
                }

                break;
            case FieldKind.Address:
                parameterType = "ulong";
                exceptionDoc = $"    /// <exception cref=\"global::System.ArgumentOutOfRangeException\">The address is not {Int(1 << System.Math.Min(field.Shift, 30))}-byte aligned or is wider than the field holds.</exception>\n";
                var conds = new List<string>();
                if (field.Shift > 0)
                {
                    conds.Add($"(value & {Hex((1UL << field.Shift) - 1)}) != 0");
                }

                if (field.Width + field.Shift < 64)
                {
                    // (value >> Shift) > maxRaw, as one compare against the largest address the field holds.
                    conds.Add($"value > {Hex((maxRaw << field.Shift) | ((1UL << field.Shift) - 1))}");
                }

                if (conds.Count > 0)
                {
                    check = $"        if ({string.Join(" || ", conds)}) {Rt}.FieldValueGuard.ThrowBadAddress(\"{field.Name}\", value, {Int(field.Width + field.Shift - 1)}, {Int(field.Shift)});\n";
                }

                rawExpr = field.Shift == 0 ? "value" : $"(value >> {Int(field.Shift)})";
                break;
            default:
                parameterType = "ulong";
                exceptionDoc = $"    /// <exception cref=\"global::System.ArgumentOutOfRangeException\">The value does not fit the field's {Int(field.Width)} bits.</exception>\n";
                if (field.Width < 64)
                {
                    check = $"        if (value > {Hex(maxRaw)}) {Rt}.FieldValueGuard.ThrowTooWide(\"{field.Name}\", value, {Int(field.Width)});\n";
                }

                rawExpr = "value";
                break;
        }

        var wordExprs = new string?[words];
        for (var w = 0; w < words; w++)
        {
            var mine = pieces.Where(p => p.Word == w).ToList();
            if (mine.Count == 0)
            {
                continue;
            }

            var clear = mine.Aggregate(0UL, (acc, p) => acc | p.WordMask);

            // A field in one piece whose value was range-checked (or is a flag's 0/1) needs no mask; an address in one
            // piece whose low bit sits at the address bit it holds is the (checked, aligned) address itself.
            var whole = pieces.Count == 1 && (check.Length > 0 || field.Kind == FieldKind.Flag);
            var inserts = mine.Select(p =>
            {
                if (whole && field.Kind == FieldKind.Address && field.Shift > 0 && p.Shift == field.Shift)
                {
                    return "value";
                }

                // A piece taken from inside the value: ((raw >> a) & Mask) << Shift in two operations, where an address's
                // raw value is itself value >> Shift (the field's), so a counts from the address's bit 0.
                var fromValue = field.Kind == FieldKind.Address && field.Shift > 0 && p.ValueShift + field.Shift + p.Width <= 64;
                var a = p.ValueShift + (fromValue ? field.Shift : 0);
                if (!whole && p.Width < 64 && a > 0 && a + p.Width <= 64)
                {
                    var src = fromValue ? "value" : "raw";
                    return p.Shift >= a
                        ? (p.Shift == a ? $"({src} & {Hex(p.Mask << a)})" : $"(({src} & {Hex(p.Mask << a)}) << {Int(p.Shift - a)})")
                        : $"(({src} >> {Int(a - p.Shift)}) & {Hex(p.WordMask)})";
                }

                var shifted = p.ValueShift == 0 ? "raw" : $"(raw >> {Int(p.ValueShift)})";
                var masked = p.Width >= 64 || whole ? shifted : $"({shifted} & {Hex(p.Mask)})";
                return p.Shift == 0 ? masked : $"({masked} << {Int(p.Shift)})";
            });
            wordExprs[w] = clear == ulong.MaxValue ? string.Join(" | ", inserts) : $"(_w{Int(w)} & {Hex(~clear)}) | {string.Join(" | ", inserts)}";
        }

        return new SetterParts(parameterType, check, rawExpr, exceptionDoc, wordExprs);
    }

    /// <summary>What a With… method and a Builder setter share: parameter type, range check, raw value, new words.</summary>
    private sealed record SetterParts(string ParameterType, string Check, string RawExpr, string ExceptionDoc, string?[] WordExprs);
}
