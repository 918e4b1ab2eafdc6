using HwSpecGen.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HwSpecGen.Generators.Parsing;

/// <summary>Turns YamlDotNet marks into <see cref="SourceSpan"/>s.</summary>
internal static class YamlSpans
{
    public static SourceSpan Of(string path, YamlNode node) => Of(path, node.Start, node.End);

    public static SourceSpan Of(string path, Mark start, Mark end)
    {
        var s = (int)start.Index;
        var e = (int)end.Index;
        if (e < s)
        {
            e = s;
        }

        return new SourceSpan(path, s, e, (int)start.Line - 1, (int)start.Column - 1, (int)end.Line - 1, (int)end.Column - 1);
    }
}
