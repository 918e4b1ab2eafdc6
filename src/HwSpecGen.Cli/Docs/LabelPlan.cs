using System.Collections.Generic;

namespace HwSpecGen.Cli.Docs;

/// <summary>How one box label will be drawn.</summary>
/// <param name="Mode">Orientation.</param>
/// <param name="FontSize">Font size in px.</param>
/// <param name="Lines">The two lines for <see cref="LabelMode.TwoLines"/>.</param>
/// <param name="Needed">Box height a vertical label needs.</param>
internal readonly record struct LabelPlan(LabelMode Mode, double FontSize, IReadOnlyList<string> Lines, double Needed);
