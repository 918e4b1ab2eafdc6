namespace HwSpecGen.Generators.Emit;

/// <summary>What the table template needs.</summary>
public sealed class TableView
{
    /// <summary>Name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Summary.</summary>
    public string Summary { get; set; } = string.Empty;

    /// <summary>Source.</summary>
    public string SourceLine { get; set; } = string.Empty;

    /// <summary>Entry format.</summary>
    public string Entry { get; set; } = string.Empty;

    /// <summary>Entry bytes.</summary>
    public string EntryBytes { get; set; } = string.Empty;

    /// <summary>ID name.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>Index bits as written.</summary>
    public string IndexText { get; set; } = string.Empty;

    /// <summary>Index width.</summary>
    public string IndexBits { get; set; } = string.Empty;

    /// <summary>Index shift.</summary>
    public string IndexShift { get; set; } = string.Empty;

    /// <summary>Index mask literal.</summary>
    public string IndexMask { get; set; } = string.Empty;

    /// <summary>Entry count literal.</summary>
    public string Entries { get; set; } = string.Empty;

    /// <summary>TableLayout initializer.</summary>
    public string LayoutInit { get; set; } = string.Empty;
}
