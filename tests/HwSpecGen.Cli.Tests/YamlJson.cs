using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HwSpecGen.Cli.Tests;

/// <summary>YAML → JSON the way an editor's YAML language server sees it (YAML 1.2 core schema: plain 12, 0x1F, true are numbers and booleans; quoted scalars are strings).</summary>
internal static class YamlJson
{
    public static JToken Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? JValue.CreateNull() : Node(stream.Documents[0].RootNode);
    }

    private static JToken Node(YamlNode node) => node switch
    {
        YamlMappingNode map => new JObject(map.Children.Select(kv => new JProperty(((YamlScalarNode)kv.Key).Value ?? string.Empty, Node(kv.Value)))),
        YamlSequenceNode seq => new JArray(seq.Children.Select(Node)),
        YamlScalarNode s => Scalar(s),
        _ => throw new InvalidOperationException($"unsupported YAML node {node.NodeType}"),
    };

    private static JToken Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? string.Empty;
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return new JValue(v);
        }

        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return JValue.CreateNull();
            case "true" or "True" or "TRUE":
                return new JValue(true);
            case "false" or "False" or "FALSE":
                return new JValue(false);
        }

        if (v.StartsWith("0x", StringComparison.Ordinal) && ulong.TryParse(v.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return new JValue(hex);
        }

        if (ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var dec))
        {
            return new JValue(dec);
        }

        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var neg))
        {
            return new JValue(neg);
        }

        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && v.Any(char.IsDigit) && !v.Contains(':', StringComparison.Ordinal))
        {
            return new JValue(d);
        }

        return new JValue(v);
    }
}
