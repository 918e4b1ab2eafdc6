using System.IO;
using HwSpecGen.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HwSpecGen.Generators.Parsing;

/// <summary>
/// Rejects YAML nested deeper than any spec needs before <c>YamlStream.Load</c> sees it: YamlDotNet builds its node tree
/// recursively, so a file of some ten thousand nested <c>[</c> overflows the stack and kills the compiler instead of
/// giving a diagnostic. The event parser used here is not recursive.
/// </summary>
internal static class YamlDepthGuard
{
    /// <summary>Deepest nesting of sequences and mappings accepted; real specs need about six.</summary>
    public const int MaxDepth = 64;

    /// <summary>The place where <paramref name="text"/> first nests deeper than <see cref="MaxDepth"/>, or null.</summary>
    public static SourceSpan? FindTooDeep(string path, string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case SequenceStart or MappingStart:
                    depth++;
                    if (depth > MaxDepth)
                    {
                        return YamlSpans.Of(path, parser.Current.Start, parser.Current.End);
                    }

                    break;
                case SequenceEnd or MappingEnd:
                    depth--;
                    break;
            }
        }

        return null;
    }
}
