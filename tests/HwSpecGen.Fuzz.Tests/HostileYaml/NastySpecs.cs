using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace HwSpecGen.Fuzz.Tests.HostileYaml;

/// <summary>Hand-made hostile spec files, each with the diagnostic it must end in (null: it must compile cleanly).</summary>
internal static class NastySpecs
{
    private const string Ok = "  - { name: A, bits: 64, fields: [ { name: X, bits: \"63:0\" } ] }\n";

    public static IReadOnlyDictionary<string, ((string Path, string Text)[] Files, string? Expected)> All { get; } = Build();

    private static Dictionary<string, ((string, string)[], string?)> Build()
    {
        var d = new Dictionary<string, ((string, string)[], string?)>(StringComparer.Ordinal);
        void One(string name, string text, string? expected) => d.Add(name, ([("/specs/x/x.yaml", text)], expected));

        One("empty-file", string.Empty, "HSG0001");
        One("only-a-comment", "# nothing here\n", "HSG0001");
        One("two-documents", "vendor: a\n---\nvendor: b\n", "HSG0001");
        One("not-a-mapping", "- a\n- b\n", "HSG0004");
        One("nul-character", "vendor: x\nformats: [\0]\n", "HSG0004");
        One("yamldotnet-invalid-operation", "#\n- {g\nR", "HSG0001");
        One("tab-indentation", "vendor: x\nformats:\n\t- name: A\n", "HSG0001");
        One("duplicate-keys", "vendor: x\nvendor: y\nformats:\n" + Ok, "HSG0001");
        One("lone-surrogate", "vendor: x\ntitle: \"\uD800\"\nformats:\n" + Ok, null);
        One("deep-flow-nesting", "vendor: x\nformats: " + new string('[', 100_000) + new string(']', 100_000) + "\n", "HSG0001");
        One("deep-flow-mappings", "vendor: x\nformats: " + string.Concat(Enumerable.Repeat("{a: ", 50_000)) + "1" + new string('}', 50_000) + "\n", "HSG0001");
        One("deep-block-nesting", "vendor: x\nformats:\n" + string.Concat(Enumerable.Range(1, 2000).Select(i => new string(' ', i) + "a:\n")), "HSG0001");
        One("billion-laughs", Laughs(), "HSG0003");
        One("alias-repeats-a-format", "vendor: x\nformats:\n  - &f { name: A, bits: 32, fields: [ { name: X, bits: \"31:0\" } ] }\n  - *f\n", "HSG0009");
        One("cycle-in-format-extends", "vendor: x\nformats:\n" + Ok + "  - { name: B, extends: C }\n  - { name: C, extends: B }\n", "HSG0012");
        One("format-extends-itself", "vendor: x\nformats:\n  - { name: B, extends: B }\n", "HSG0011");
        One("huge-numbers", "vendor: x\nformats:\n  - { name: A, bits: 18446744073709551616, fields: [ { name: X, bits: \"63:0\", const: 99999999999999999999 } ] }\n", "HSG0004");
        One("huge-shift", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"63:0\", kind: address, shift: 4294967296 } ] }\n", "HSG0004");
        One("shift-past-64", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"63:12\", kind: address, shift: 60 }, { name: Y, bits: \"11:0\" } ] }\n", "HSG0021");
        One("negative-width", "vendor: x\nformats:\n  - { name: A, bits: -64, fields: [] }\n", "HSG0004");
        One("odd-width", "vendor: x\nformats:\n  - { name: A, bits: 96, fields: [ { name: X, bits: \"95:0\" } ] }\n", "HSG0016");
        One("overlapping-fields", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"40:0\" }, { name: Y, bits: \"63:30\" } ] }\n", "HSG0007");
        One("field-over-reserved", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"63:0\" } ], reserved: [ { bits: \"3:0\" } ] }\n", "HSG0007");
        One("gap", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"40:0\" } ] }\n", "HSG0008");
        One("bit-past-the-end", "vendor: x\nformats:\n  - { name: A, bits: 32, fields: [ { name: X, bits: \"63:0\" } ] }\n", "HSG0006");
        One("bit-past-511", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"600:0\" } ] }\n", "HSG0005");
        One("reversed-range", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"0:63\" } ] }\n", "HSG0005");
        One("wrong-types", "vendor: [x]\nformats:\n  - { name: [A], bits: { a: 1 }, fields: hello }\n", "HSG0004");
        One("unknown-key", "vendor: x\nformatz: []\nformats:\n" + Ok, "HSG0003");
        One("very-long-name", "vendor: x\nformats:\n  - { name: A" + new string('b', 1_000_000) + ", bits: 64, fields: [ { name: X, bits: \"63:0\" } ] }\n", null);
        One("rule-deep-parentheses", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"63:0\" } ], rules: [ { name: R, require: \"" + new string('(', 1000) + "X" + new string(')', 1000) + "\" } ] }\n", "HSG0014");
        One("rule-many-nots", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"63:0\" } ], rules: [ { name: R, require: \"" + new string('!', 150) + "X\" } ] }\n", null);
        One("rule-garbage", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"63:0\" } ], rules: [ { name: R, require: \"X ==\" }, { name: S, require: \"1.5 < Y\" } ] }\n", "HSG0014");
        One("enum-value-too-wide", "vendor: x\nenums: [ { name: E, values: [ { name: Big, value: 0x10 } ] } ]\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"3:0\", enum: E }, { name: Y, bits: \"63:4\" } ] }\n", "HSG0013");
        One("field-wider-than-64", "vendor: x\nformats:\n  - { name: A, bits: 128, fields: [ { name: X, bits: \"127:0\" } ] }\n", "HSG0021");
        One("duplicate-opcode", "vendor: x\nsets: [ { name: S, bits: 64, discriminator: \"3:0\" } ]\nformats:\n" + Member("A", 1) + Member("B", 1), "HSG0010");
        One("set-width-mismatch", "vendor: x\nsets: [ { name: S, bits: 128, discriminator: \"3:0\" } ]\nformats:\n" + Member("A", 1), "HSG0015");
        One("field-named-like-a-private-member", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: LayoutValue, bits: \"31:0\" }, { name: CheckLength, bits: \"63:32\" } ] }\n", "HSG0009");
        One("field-named-like-another-fields-with", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: WithB, bits: \"31:0\" }, { name: B, bits: \"63:32\" } ] }\n", "HSG0009");
        One("field-named-like-another-fields-constant", "vendor: x\nformats:\n  - { name: A, bits: 64, fields: [ { name: OpValue, bits: \"31:0\" }, { name: Op, bits: \"63:32\", const: 1 } ] }\n", "HSG0009");
        One("field-named-like-an-enum-helper", "vendor: x\nenums: [ { name: E, values: [ { name: On, value: 1 } ] } ]\nformats:\n  - { name: A, bits: 64, fields: [ { name: IsNamedE, bits: \"31:0\" }, { name: M, bits: \"63:32\", enum: E } ] }\n", "HSG0009");
        One("format-named-like-a-sets-dispatcher", "vendor: x\nsets: [ { name: S, bits: 64, discriminator: \"3:0\" } ]\nformats:\n" + Member("A", 1) + "  - { name: SSet, bits: 64, fields: [ { name: X, bits: \"63:0\" } ] }\n", "HSG0009");
        One("enum-named-like-a-format", "vendor: x\nenums: [ { name: A, values: [ { name: On, value: 1 } ] } ]\nformats:\n" + Ok, "HSG0009");
        One("table-named-like-a-format", "vendor: x\nformats:\n" + Ok + "  - { name: TTable, bits: 64, fields: [ { name: X, bits: \"63:0\" } ] }\ntables: [ { name: T, entry: A, id: Id, index: \"3:0\" } ]\n", "HSG0009");
        One("set-member-named-unknown", "vendor: x\nsets: [ { name: S, bits: 64, discriminator: \"3:0\" } ]\nformats:\n" + Member("Unknown", 1), "HSG0009");
        One("vendor-named-like-the-registry", "vendor: format-registry\nformats:\n" + Ok, "HSG0009");
        One("many-formats", "vendor: x\nformats:\n" + string.Concat(Enumerable.Range(0, 500).Select(i => $"  - {{ name: F{i}, bits: 64, fields: [ {{ name: X, bits: \"63:0\" }} ] }}\n")), null);
        One("extends-chain-of-64", Chain(64, backwards: false), null);
        One("long-extends-chain", Chain(2000, backwards: false), "HSG0012");
        One("long-extends-chain-declared-backwards", Chain(3000, backwards: true), "HSG0012");

        d.Add("vendor-extends-cycle", ([("/specs/a/a.yaml", "vendor: a\nextends: b\nformats:\n" + Ok), ("/specs/b/b.yaml", "vendor: b\nextends: a\nformats:\n" + Ok)], "HSG0012"));
        d.Add("vendor-extends-itself", ([("/specs/a/a.yaml", "vendor: a\nextends: a\nformats:\n" + Ok)], "HSG0012"));
        d.Add("vendor-variant-modifies-a-format-without-bits", ([("/specs/a/a.yaml", "vendor: a\nformats:\n  - { name: A, bits: 64, fields: [ { name: X, bits: \"31:0\" } ], reserved: [ { bits: \"63:32\" } ] }\n"), ("/specs/b/b.yaml", "vendor: b\nextends: a\nformats:\n  - { name: A, fields: [ { name: Y, bits: \"40:32\" } ] }\n")], null));
        d.Add("vendor-variant-new-format-without-bits", ([("/specs/a/a.yaml", "vendor: a\nformats:\n" + Ok), ("/specs/b/b.yaml", "vendor: b\nextends: a\nformats:\n  - { name: New, fields: [ { name: Y, bits: \"40:32\" } ] }\n")], "HSG0002"));
        return d;
    }

    /// <summary>F0 ← F1 ← … ← Fn by 'extends'; declared backwards, resolving F0 first walks the whole chain.</summary>
    private static string Chain(int n, bool backwards)
    {
        var entries = Enumerable.Range(1, n).Select(i => $"  - {{ name: F{i}, extends: F{i - 1} }}\n").Prepend("  - { name: F0, bits: 64, fields: [ { name: X, bits: \"63:0\" } ] }\n");
        return "vendor: x\nformats:\n" + string.Concat(backwards ? entries.Reverse() : entries);
    }

    private static string Member(string name, int opcode) =>
        $"  - {{ name: {name}, bits: 64, set: S, fields: [ {{ name: Op, bits: \"3:0\", const: {opcode} }}, {{ name: X, bits: \"63:4\" }} ] }}\n";

    private static string Laughs()
    {
        var sb = new StringBuilder("vendor: x\nl0: &l0 [a, a, a, a, a, a, a, a, a, a]\n");
        for (var i = 1; i < 12; i++)
        {
            sb.Append($"l{i}: &l{i} [").Append(string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))).Append("]\n");
        }

        return sb.Append("formats: *l11\n").ToString();
    }
}
