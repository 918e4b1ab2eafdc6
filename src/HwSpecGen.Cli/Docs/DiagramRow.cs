using System.Collections.Immutable;

namespace HwSpecGen.Cli.Docs;

/// <summary>One drawn row of a bitfield diagram: row <see cref="First"/> (or rows First..Last when whole reserved rows are collapsed).</summary>
/// <param name="First">Index of the first row (row k holds bits k*RowBits .. (k+1)*RowBits-1).</param>
/// <param name="Last">Index of the last row it stands for (equal to First unless collapsed).</param>
/// <param name="Boxes">Boxes, most significant first (left to right).</param>
public sealed record DiagramRow(int First, int Last, ImmutableArray<DiagramBox> Boxes)
{
    /// <summary>Whether several reserved rows are drawn as this one.</summary>
    public bool Collapsed => Last > First;
}
