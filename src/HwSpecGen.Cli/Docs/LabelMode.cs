namespace HwSpecGen.Cli.Docs;

/// <summary>How a box label is set in a bitfield diagram.</summary>
internal enum LabelMode
{
    /// <summary>One horizontal line.</summary>
    Horizontal,

    /// <summary>Two horizontal lines (the name split at a capital letter).</summary>
    TwoLines,

    /// <summary>Rotated to run bottom to top (narrow boxes).</summary>
    Vertical,
}
