using System.Collections.Generic;
using HwSpecGen.Generators.Model;

namespace HwSpecGen.Generators.Resolution;

/// <summary>A format with its <c>extends</c> chain applied, still carrying positions for diagnostics.</summary>
internal sealed class MergedFormat
{
    public MergedFormat(FormatSpec spec)
    {
        Name = spec.Name;
        Bits = spec.Bits;
        Set = spec.Set;
        SetSpan = spec.SetSpan;
        Doc = spec.Doc;
        Source = spec.Source;
        Span = spec.Span;
        BitsSpan = spec.BitsSpan;
        Fields.AddRange(spec.Fields);
        foreach (var r in spec.Reserved)
        {
            foreach (var range in r.Ranges)
            {
                Reserved.Add(new MergedReserved(range, r.Rule, r.Doc, r.Span));
            }
        }

        Rules.AddRange(spec.Rules);
    }

    public string Name { get; set; }

    public int? Bits { get; set; }

    public string? Set { get; set; }

    public SourceSpan? SetSpan { get; set; }

    public string? Doc { get; set; }

    public string? Source { get; set; }

    public SourceSpan Span { get; set; }

    public SourceSpan? BitsSpan { get; set; }

    /// <summary>Number of <c>extends</c> links applied to get here (0 for a format that extends nothing).</summary>
    public int Depth { get; set; }

    public List<FieldSpec> Fields { get; } = new();

    public List<MergedReserved> Reserved { get; } = new();

    public List<RuleSpec> Rules { get; } = new();
}
