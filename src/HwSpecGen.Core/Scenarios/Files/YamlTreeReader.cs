using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s with positions, from YamlDotNet's event stream: malformed YAML,
/// duplicate keys, anchors/aliases and extra documents become diagnostics, never exceptions.
/// </summary>
public static partial class YamlTreeReader
{
    /// <summary>Reads <paramref name="text"/>; null when it is not one well-formed document (the reasons are in <paramref name="diagnostics"/>).</summary>
    public static YamlNode? Read(string path, string text, List<ScenarioDiagnostic> diagnostics)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                diagnostics.Add(new ScenarioDiagnostic(path, 1, 1, ScenarioErrors.MissingKey, "the file is empty; a scenario needs 'name', 'vendor', 'vms' and 'steps'"));
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = Node(path, parser, diagnostics);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var extra))
            {
                diagnostics.Add(new ScenarioDiagnostic(path, (int)extra.Start.Line, (int)extra.Start.Column, ScenarioErrors.MalformedYaml, "a scenario file holds one YAML document"));
                return null;
            }

            return diagnostics.Count == 0 ? root : null;
        }
        catch (YamlException e)
        {
            diagnostics.Add(new ScenarioDiagnostic(path, (int)e.Start.Line, (int)e.Start.Column, ScenarioErrors.MalformedYaml, "malformed YAML: " + PositionPrefix().Replace(e.Message, string.Empty)));
            return null;
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner sometimes gives up without a position (e.g. an unclosed flow sequence): report where parsing stopped.
            var at = parser.Current?.End;
            diagnostics.Add(new ScenarioDiagnostic(path, (int)(at?.Line ?? 1), (int)(at?.Column ?? 1), ScenarioErrors.MalformedYaml, $"malformed YAML: the document ends inside a flow list or mapping ('[' or '{{' not closed?) ({e.Message})"));
            return null;
        }
    }

    private static YamlNode Node(string path, IParser parser, List<ScenarioDiagnostic> diagnostics)
    {
        var e = parser.Current ?? throw new YamlException("unexpected end of the document");
        var line = (int)e.Start.Line;
        var column = (int)e.Start.Column;
        switch (e)
        {
            case Scalar s:
                parser.MoveNext();
                return YamlNode.Scalar(s.Value, s.Style is ScalarStyle.Plain or ScalarStyle.Any, line, column);
            case SequenceStart:
                parser.MoveNext();
                var seq = YamlNode.Sequence(line, column);
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    seq.Items.Add(Node(path, parser, diagnostics));
                }

                return seq;
            case MappingStart:
                parser.MoveNext();
                var map = YamlNode.Mapping(line, column);
                var seen = new HashSet<string>();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = Node(path, parser, diagnostics);
                    var value = Node(path, parser, diagnostics);
                    if (key.Kind != YamlNodeKind.Scalar)
                    {
                        diagnostics.Add(new ScenarioDiagnostic(path, key.Line, key.Column, ScenarioErrors.WrongType, "a key must be a plain word"));
                    }
                    else if (!seen.Add(key.Value))
                    {
                        diagnostics.Add(new ScenarioDiagnostic(path, key.Line, key.Column, ScenarioErrors.Duplicate, $"duplicate key '{key.Value}'"));
                    }

                    map.Pairs.Add(new KeyValuePair<YamlNode, YamlNode>(key, value));
                }

                return map;
            default:
                diagnostics.Add(new ScenarioDiagnostic(path, line, column, ScenarioErrors.MalformedYaml, "anchors and aliases are not supported in scenario files"));
                parser.MoveNext();
                return YamlNode.Scalar(string.Empty, false, line, column);
        }
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();
}
