using System.Collections.Immutable;
using System.Linq;
using HwSpecGen.Generators.Parsing;
using HwSpecGen.Generators.Resolution;

namespace HwSpecGen.Generators.Tests;

/// <summary>Every diagnostic fires, with the right id at the right file, line and column (1-based as a compiler prints them).</summary>
public sealed class DiagnosticTests
{
    private const string Ok = """
        vendor: t
        formats:
          - name: F
            bits: 64
            fields:
              - { name: A, bits: "7:0" }
            reserved:
              - { bits: "63:8" }
        """;

    public static TheoryData<string, string, int, int> Cases => new()
    {
        // YAML that does not parse
        { "vendor: t\nformats: [ { name: F, bits: 64 \n", "HSG0001", 3, 1 },
        // required key missing
        { "formats: []\n", "HSG0002", 1, 1 },
        // unknown key (a typo)
        { Ok.Replace("    bits: 64", "    bits: 64\n    bitz: 3"), "HSG0003", 5, 5 },
        // wrong type
        { Ok.Replace("bits: 64", "bits: [64]"), "HSG0004", 4, 11 },
        // malformed range
        { Ok.Replace("\"7:0\"", "\"0:7\""), "HSG0005", 6, 26 },
        // field past the end
        { Ok.Replace("\"7:0\"", "\"70:0\""), "HSG0006", 6, 26 },
        // overlap between two fields
        { Ok.Replace("      - { name: A, bits: \"7:0\" }", "      - { name: A, bits: \"7:0\" }\n      - { name: B, bits: \"8:7\" }").Replace("\"63:8\"", "\"63:9\""), "HSG0007", 7, 26 },
        // gap
        { Ok.Replace("\"63:8\"", "\"63:9\""), "HSG0008", 3, 11 },
        // duplicate field name
        { Ok.Replace("      - { name: A, bits: \"7:0\" }", "      - { name: A, bits: \"3:0\" }\n      - { name: A, bits: \"7:4\" }"), "HSG0009", 7, 9 },
        // unknown extends
        { Ok + "\n  - name: G\n    extends: Nope\n", "HSG0011", 10, 14 },
        // cycle in extends
        { Ok + "\n  - name: G\n    extends: H\n  - name: H\n    extends: G\n", "HSG0012", 12, 14 },
        // const does not fit
        { Ok.Replace("\"7:0\" }", "\"7:0\", const: 0x100 }"), "HSG0013", 6, 9 },
        // bad rule
        { Ok + "\n    rules:\n      - { name: R, require: \"A <= \" }\n", "HSG0014", 10, 29 },
        // a condition used as a bitwise operand
        { Ok + "\n    rules:\n      - { name: R, require: \"(A == 1) & 2\" }\n", "HSG0014", 10, 29 },
        // invalid width
        { Ok.Replace("bits: 64", "bits: 48"), "HSG0016", 4, 11 },
        // too wide a field
        { Ok.Replace("bits: 64", "bits: 128").Replace("\"7:0\"", "\"71:0\"").Replace("\"63:8\"", "\"127:72\""), "HSG0021", 6, 26 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void DiagnosticIsReportedAtItsPlace(string yaml, string id, int line, int column)
    {
        var diagnostics = Compile(("/specs/t/t.yaml", yaml));
        var d = diagnostics.FirstOrDefault(x => x.Id == id);
        Assert.True(d is not null, $"expected {id}; got: {string.Join(" | ", diagnostics)}");
        Assert.Equal("/specs/t/t.yaml", d!.Span!.Path);
        Assert.Equal((line, column), (d.Span.Line + 1, d.Span.Column + 1));
    }

    [Fact]
    public void OpcodeUsedTwiceInASetIsReportedOnTheSecondMember()
    {
        const string yaml = """
            vendor: t
            sets:
              - { name: Cmd, bits: 64, discriminator: "63:60" }
            formats:
              - name: One
                bits: 64
                set: Cmd
                fields:
                  - { name: Op, bits: "63:60", const: 1 }
                reserved:
                  - { bits: "59:0" }
              - name: Two
                bits: 64
                set: Cmd
                fields:
                  - { name: Op, bits: "63:60", const: 1 }
                reserved:
                  - { bits: "59:0" }
            """;
        var d = Assert.Single(Compile(("/specs/t/t.yaml", yaml)));
        Assert.Equal("HSG0010", d.Id);
        Assert.Equal(14, d.Span!.Line + 1);
        Assert.Contains("One", d.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void SetMemberWithoutAConstantOnTheDiscriminatorIsReported()
    {
        const string yaml = """
            vendor: t
            sets:
              - { name: Cmd, bits: 64, discriminator: "63:60" }
            formats:
              - name: One
                bits: 64
                set: Cmd
                fields:
                  - { name: Op, bits: "63:60" }
                reserved:
                  - { bits: "59:0" }
            """;
        Assert.Equal("HSG0015", Assert.Single(Compile(("/specs/t/t.yaml", yaml))).Id);
    }

    [Fact]
    public void DuplicateFormatAcrossFilesOfOneVendorIsReported()
    {
        var d = Assert.Single(Compile(("/specs/t/a.yaml", Ok), ("/specs/t/b.yaml", Ok)));
        Assert.Equal("HSG0009", d.Id);
        Assert.Equal("/specs/t/b.yaml", d.Span!.Path);
    }

    [Fact]
    public void ValidSpecHasNoDiagnostics() => Assert.Empty(Compile(("/specs/t/t.yaml", Ok)));

    [Fact]
    public void BuildReportsTheDiagnosticOnTheYamlFile()
    {
        var (result, _, _) = GeneratorHarness.Run(("/specs/t/t.yaml", Ok.Replace("\"7:0\"", "\"70:0\"")));
        var d = Assert.Single(result.Diagnostics, x => x.Id == "HSG0006");
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, d.Severity);
        var span = d.Location.GetLineSpan();
        Assert.Equal("/specs/t/t.yaml", span.Path);
        Assert.Equal(5, span.StartLinePosition.Line);
        Assert.Contains("past the end", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal);
    }

    private static ImmutableArray<Model.DiagnosticInfo> Compile(params (string Path, string Text)[] files) =>
        SpecCompiler.Compile(files.Select(f => SpecParser.Parse(f.Path, f.Text)).ToImmutableArray(), "T").Diagnostics.AsImmutableArray();
}
