using System.Collections.Generic;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>A node of a YAML document with the line and column where it starts (both 1-based).</summary>
public sealed class YamlNode
{
    private YamlNode(YamlNodeKind kind, string value, bool plain, int line, int column)
    {
        Kind = kind;
        Value = value;
        Plain = plain;
        Line = line;
        Column = column;
    }

    /// <summary>Scalar, mapping or sequence.</summary>
    public YamlNodeKind Kind { get; }

    /// <summary>The scalar's text (empty for collections).</summary>
    public string Value { get; }

    /// <summary>The scalar was written plain (not quoted, not a block scalar): only plain scalars are numbers and booleans.</summary>
    public bool Plain { get; }

    /// <summary>1-based line.</summary>
    public int Line { get; }

    /// <summary>1-based column.</summary>
    public int Column { get; }

    /// <summary>A mapping's key/value pairs in document order.</summary>
    public List<KeyValuePair<YamlNode, YamlNode>> Pairs { get; } = new();

    /// <summary>A sequence's items.</summary>
    public List<YamlNode> Items { get; } = new();

    /// <summary>What a message calls this node's kind.</summary>
    public string KindName => Kind switch
    {
        YamlNodeKind.Mapping => "a mapping",
        YamlNodeKind.Sequence => "a list",
        _ => Plain ? $"'{Value}'" : $"the string \"{Value}\"",
    };

    /// <summary>A scalar.</summary>
    public static YamlNode Scalar(string value, bool plain, int line, int column) => new(YamlNodeKind.Scalar, value, plain, line, column);

    /// <summary>An empty mapping.</summary>
    public static YamlNode Mapping(int line, int column) => new(YamlNodeKind.Mapping, string.Empty, false, line, column);

    /// <summary>An empty sequence.</summary>
    public static YamlNode Sequence(int line, int column) => new(YamlNodeKind.Sequence, string.Empty, false, line, column);
}
