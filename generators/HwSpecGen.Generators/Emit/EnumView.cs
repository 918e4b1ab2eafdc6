using System.Collections.Generic;

namespace HwSpecGen.Generators.Emit;

/// <summary>What the enum template needs.</summary>
public sealed class EnumView
{
    /// <summary>Type name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>XML-escaped summary.</summary>
    public string Summary { get; set; } = string.Empty;

    /// <summary>XML-escaped source.</summary>
    public string SourceLine { get; set; } = string.Empty;

    /// <summary>Members.</summary>
    public List<EnumMemberView> Members { get; } = new();
}
