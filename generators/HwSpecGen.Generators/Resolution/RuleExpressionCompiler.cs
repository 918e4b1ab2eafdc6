using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using HwSpecGen.Generators.Model;
using HwSpecGen.Generators.Parsing;

namespace HwSpecGen.Generators.Resolution;

/// <summary>
/// Compiles rule expressions (<c>Gv &amp;&amp; Glx &lt;= 1</c>) into C# over a generated struct's properties.
/// Grammar: or := and ('||' and)*; and := not ('&amp;&amp;' not)*; not := '!' not | cmp;
/// cmp := bitor (('=='|'!='|'&lt;'|'&lt;='|'&gt;'|'&gt;=') bitor)?; bitor := bitand ('|' bitand)*;
/// bitand := operand ('&amp;' operand)*; operand := number | Name | Enum.Member | '(' or ')'.
/// A value used where a condition is expected means "not zero" (<c>Flags &amp; 0x4</c>).
/// </summary>
internal sealed class RuleExpressionCompiler
{
    private readonly string _text;
    private readonly IReadOnlyDictionary<string, ResolvedField> _fields;
    private readonly IReadOnlyDictionary<string, ResolvedEnum> _enums;
    private readonly List<string> _tokens = new();
    private int _pos;

    private RuleExpressionCompiler(string text, IReadOnlyDictionary<string, ResolvedField> fields, IReadOnlyDictionary<string, ResolvedEnum> enums)
    {
        _text = text;
        _fields = fields;
        _enums = enums;
    }

    /// <summary>Compiles <paramref name="text"/> to a C# boolean expression, or returns an error message.</summary>
    public static bool TryCompile(string text, IReadOnlyDictionary<string, ResolvedField> fields, IReadOnlyDictionary<string, ResolvedEnum> enums, out string csharp, out string error)
    {
        var c = new RuleExpressionCompiler(text, fields, enums);
        csharp = string.Empty;
        try
        {
            c.Tokenize();
            if (c._tokens.Count == 0)
            {
                throw new FormatException("the expression is empty");
            }

            if (c._tokens.Count > 200)
            {
                throw new FormatException("the expression is too long (200 tokens at most)");
            }

            var node = c.ParseOr(0);
            if (c._pos != c._tokens.Count)
            {
                throw new FormatException($"unexpected '{c._tokens[c._pos]}'");
            }

            csharp = node.AsCondition();
            error = string.Empty;
            return true;
        }
        catch (FormatException ex)
        {
            error = $"rule expression '{text}': {ex.Message}";
            return false;
        }
    }

    private void Tokenize()
    {
        var i = 0;
        while (i < _text.Length)
        {
            var ch = _text[i];
            if (char.IsWhiteSpace(ch))
            {
                i++;
                continue;
            }

            if (char.IsLetterOrDigit(ch) || ch == '_')
            {
                var start = i;
                while (i < _text.Length && (char.IsLetterOrDigit(_text[i]) || _text[i] == '_' || _text[i] == '.'))
                {
                    i++;
                }

                _tokens.Add(_text.Substring(start, i - start));
                continue;
            }

            var two = i + 1 < _text.Length ? _text.Substring(i, 2) : null;
            if (two is "&&" or "||" or "==" or "!=" or "<=" or ">=")
            {
                _tokens.Add(two);
                i += 2;
                continue;
            }

            if (ch is '<' or '>' or '!' or '(' or ')' or '&' or '|')
            {
                _tokens.Add(ch.ToString());
                i++;
                continue;
            }

            throw new FormatException($"unexpected character '{ch}' (operators: == != < <= > >= && || ! & | and parentheses)");
        }
    }

    private string? Peek => _pos < _tokens.Count ? _tokens[_pos] : null;

    private Node ParseOr(int depth)
    {
        if (depth > 50)
        {
            throw new FormatException("nested too deeply");
        }

        var left = ParseAnd(depth);
        while (Peek == "||")
        {
            _pos++;
            left = new Node($"({left.AsCondition()} || {ParseAnd(depth).AsCondition()})", true);
        }

        return left;
    }

    private Node ParseAnd(int depth)
    {
        var left = ParseNot(depth);
        while (Peek == "&&")
        {
            _pos++;
            left = new Node($"({left.AsCondition()} && {ParseNot(depth).AsCondition()})", true);
        }

        return left;
    }

    private Node ParseNot(int depth)
    {
        if (Peek == "!")
        {
            _pos++;
            return new Node($"!{ParseNot(depth + 1).AsCondition()}", true);
        }

        return ParseCompare(depth);
    }

    private Node ParseCompare(int depth)
    {
        var left = ParseBitOr(depth);
        if (Peek is "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = _tokens[_pos++];
            var right = ParseBitOr(depth);
            return new Node($"({left.AsValue()} {op} {right.AsValue()})", true);
        }

        return left;
    }

    private Node ParseBitOr(int depth)
    {
        var left = ParseBitAnd(depth);
        while (Peek == "|")
        {
            _pos++;
            left = new Node($"({left.AsValue()} | {ParseBitAnd(depth).AsValue()})", false);
        }

        return left;
    }

    private Node ParseBitAnd(int depth)
    {
        var left = ParseOperand(depth);
        while (Peek == "&")
        {
            _pos++;
            left = new Node($"({left.AsValue()} & {ParseOperand(depth).AsValue()})", false);
        }

        return left;
    }

    private Node ParseOperand(int depth)
    {
        var t = Peek ?? throw new FormatException("the expression ends too early");
        _pos++;
        if (t == "(")
        {
            var inner = ParseOr(depth + 1);
            if (Peek != ")")
            {
                throw new FormatException("missing ')'");
            }

            _pos++;
            return inner.IsCondition ? new Node($"({inner.Code})", true) : inner;
        }

        if (char.IsDigit(t[0]))
        {
            if (!YamlMappingReader.TryParseNumber(t, out var n))
            {
                throw new FormatException($"'{t}' is not a number");
            }

            return new Node("0x" + n.ToString("X", CultureInfo.InvariantCulture) + "UL", false);
        }

        var dot = t.IndexOf('.');
        if (dot > 0)
        {
            var enumName = t.Substring(0, dot);
            var member = t.Substring(dot + 1);
            if (!_enums.TryGetValue(enumName, out var en))
            {
                throw new FormatException($"'{enumName}' is not an enum of this vendor used by this format");
            }

            foreach (var v in en.Values)
            {
                if (v.Name == member)
                {
                    return new Node("0x" + v.Value.ToString("X", CultureInfo.InvariantCulture) + "UL", false);
                }
            }

            throw new FormatException($"enum {enumName} has no member '{member}'");
        }

        if (!_fields.TryGetValue(t, out var field))
        {
            throw new FormatException($"'{t}' is not a field of this format");
        }

        return field.Kind switch
        {
            FieldKind.Flag => new Node(t, true, $"({t} ? 1UL : 0UL)"),
            FieldKind.Enum => new Node($"(ulong){t}", false),
            FieldKind.Signed => throw new FormatException($"'{t}' is a signed field; rules compare unsigned values only"),
            _ => new Node(t, false),
        };
    }

    private sealed class Node
    {
        private readonly string? _asValue;

        public Node(string code, bool isCondition, string? asValue = null)
        {
            Code = code;
            IsCondition = isCondition;
            _asValue = asValue;
        }

        public string Code { get; }

        public bool IsCondition { get; }

        public string AsCondition() => IsCondition ? Code : $"({Code} != 0UL)";

        public string AsValue()
        {
            if (_asValue is not null)
            {
                return _asValue;
            }

            if (IsCondition)
            {
                throw new FormatException("a condition cannot be used as a number (compared, or combined with & or |)");
            }

            return Code;
        }
    }

    /// <summary>Unused; keeps the type's purpose visible in traces.</summary>
    public override string ToString() => new StringBuilder("rule: ").Append(_text).ToString();
}
