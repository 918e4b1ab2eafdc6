using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HwSpecGen.Generators.Model;

namespace HwSpecGen.Fuzz.Tests.Support;

/// <summary>
/// Evaluates a rule expression of the spec language directly (no C#): names are field values (a flag is 0/1, an address
/// is the address), <c>Enum.Member</c> its value, numbers decimal or 0x; <c>== != &lt; &lt;= &gt; &gt;=</c> compare
/// unsigned values; <c>&amp; |</c> combine values bitwise (<c>&amp;</c> first); <c>&amp;&amp; || !</c> and parentheses;
/// a bare value as a condition means "not zero".
/// </summary>
internal sealed class RuleEvaluator
{
    private readonly List<string> _tokens;
    private readonly IReadOnlyDictionary<string, (ResolvedField Field, ulong Value)> _fields;
    private readonly IReadOnlyList<ResolvedEnum> _enums;
    private int _pos;

    private RuleEvaluator(string text, IReadOnlyDictionary<string, (ResolvedField Field, ulong Value)> fields, IReadOnlyList<ResolvedEnum> enums)
    {
        _tokens = Tokens(text);
        _fields = fields;
        _enums = enums;
    }

    public static bool Holds(string text, IReadOnlyDictionary<string, (ResolvedField Field, ulong Value)> fields, IReadOnlyList<ResolvedEnum> enums)
    {
        var e = new RuleEvaluator(text, fields, enums);
        var result = e.Or();
        if (e._pos != e._tokens.Count)
        {
            throw new FormatException($"trailing tokens in '{text}'");
        }

        return result.AsCondition;
    }

    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (char.IsLetterOrDigit(text[i]) || text[i] == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(text[start..i]);
            }
            else if (i + 1 < text.Length && text.Substring(i, 2) is "&&" or "||" or "==" or "!=" or "<=" or ">=")
            {
                tokens.Add(text.Substring(i, 2));
                i += 2;
            }
            else
            {
                tokens.Add(text[i].ToString());
                i++;
            }
        }

        return tokens;
    }

    private string? Peek => _pos < _tokens.Count ? _tokens[_pos] : null;

    private Value Or()
    {
        var left = And();
        while (Peek == "||")
        {
            _pos++;
            var right = And();
            left = Value.Condition(left.AsCondition | right.AsCondition);
        }

        return left;
    }

    private Value And()
    {
        var left = Not();
        while (Peek == "&&")
        {
            _pos++;
            var right = Not();
            left = Value.Condition(left.AsCondition & right.AsCondition);
        }

        return left;
    }

    private Value Not()
    {
        if (Peek == "!")
        {
            _pos++;
            return Value.Condition(!Not().AsCondition);
        }

        var left = BitOr();
        if (Peek is "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = _tokens[_pos++];
            var a = left.Number;
            var b = BitOr().Number;
            return Value.Condition(op switch
            {
                "==" => a == b,
                "!=" => a != b,
                "<" => a < b,
                "<=" => a <= b,
                ">" => a > b,
                _ => a >= b,
            });
        }

        return left;
    }

    private Value BitOr()
    {
        var left = BitAnd();
        while (Peek == "|")
        {
            _pos++;
            left = Value.Of(left.Number | BitAnd().Number);
        }

        return left;
    }

    private Value BitAnd()
    {
        var left = Operand();
        while (Peek == "&")
        {
            _pos++;
            left = Value.Of(left.Number & Operand().Number);
        }

        return left;
    }

    private Value Operand()
    {
        var t = _tokens[_pos++];
        if (t == "(")
        {
            var inner = Or();
            _pos++; // ')'
            return inner;
        }

        if (char.IsDigit(t[0]))
        {
            return Value.Of(t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.Parse(t.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : ulong.Parse(t, CultureInfo.InvariantCulture));
        }

        var dot = t.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var e = _enums.Single(x => x.Name == t[..dot]);
            return Value.Of(e.Values.Single(v => v.Name == t[(dot + 1)..]).Value);
        }

        return Value.Of(_fields[t].Value);
    }

    private readonly record struct Value(ulong Number, bool IsCondition, bool Truth)
    {
        public bool AsCondition => IsCondition ? Truth : Number != 0;

        public static Value Of(ulong n) => new(n, false, false);

        public static Value Condition(bool b) => new(b ? 1UL : 0UL, true, b);
    }
}
