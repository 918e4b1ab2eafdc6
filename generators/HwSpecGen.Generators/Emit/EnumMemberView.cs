namespace HwSpecGen.Generators.Emit;

/// <summary>One enum member for the template.</summary>
public sealed class EnumMemberView
{
    /// <summary>Name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Hex literal.</summary>
    public string Value { get; set; } = string.Empty;

    /// <summary>XML-escaped summary.</summary>
    public string Summary { get; set; } = string.Empty;

    /// <summary>XML-escaped source, or empty.</summary>
    public string SourceLine { get; set; } = string.Empty;
}
