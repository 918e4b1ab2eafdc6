using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace HwSpecGen.Cli.Tests;

/// <summary>
/// A small JSON Schema (draft 2020-12) validator for exactly the keywords specs/schema/hwspec.schema.json uses:
/// $ref into $defs, type, properties, required, additionalProperties, enum, const, pattern, items, minItems,
/// minimum, maximum, oneOf, anyOf, allOf, not, if/then/else. Any other keyword is an error, so the schema cannot
/// grow a keyword this validator would silently ignore.
/// </summary>
internal sealed class SchemaSubset
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "$comment", "title", "description", "markdownDescription", "default", "examples", "$defs"];
    private readonly JObject _root;

    private SchemaSubset(JObject root) => _root = root;

    public static SchemaSubset Parse(string json) => new(JObject.Parse(json));

    public bool Validate(JToken instance, List<string> errors)
    {
        Check(_root, instance, "$", errors, 0);
        return errors.Count == 0;
    }

    private void Check(JToken schemaToken, JToken value, string path, List<string> errors, int depth)
    {
        if (depth > 64)
        {
            throw new InvalidOperationException("schema recursion too deep");
        }

        if (schemaToken.Type == JTokenType.Boolean)
        {
            if (!(bool)schemaToken!)
            {
                errors.Add($"{path}: not allowed");
            }

            return;
        }

        var schema = (JObject)schemaToken;
        foreach (var prop in schema.Properties())
        {
            switch (prop.Name)
            {
                case "$ref":
                    var reference = (string)prop.Value!;
                    const string prefix = "#/$defs/";
                    if (!reference.StartsWith(prefix, StringComparison.Ordinal) || _root["$defs"]?[reference[prefix.Length..]] is not { } target)
                    {
                        throw new InvalidOperationException($"unsupported $ref {reference}");
                    }

                    Check(target, value, path, errors, depth + 1);
                    break;
                case "type":
                    var types = prop.Value.Type == JTokenType.Array ? prop.Value.Select(t => (string)t!).ToArray() : [(string)prop.Value!];
                    if (!types.Any(t => IsType(value, t)))
                    {
                        errors.Add($"{path}: expected {string.Join(" or ", types)}, got {value.Type}");
                    }

                    break;
                case "properties":
                    if (value is JObject obj)
                    {
                        foreach (var p in ((JObject)prop.Value).Properties())
                        {
                            if (obj[p.Name] is { } child)
                            {
                                Check(p.Value, child, $"{path}.{p.Name}", errors, depth + 1);
                            }
                        }
                    }

                    break;
                case "required":
                    if (value is JObject req)
                    {
                        foreach (var name in prop.Value.Select(t => (string)t!))
                        {
                            if (req[name] is null)
                            {
                                errors.Add($"{path}: missing required '{name}'");
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (value is JObject extra)
                    {
                        var known = (schema["properties"] as JObject)?.Properties().Select(p => p.Name).ToHashSet() ?? [];
                        foreach (var p in extra.Properties().Where(p => !known.Contains(p.Name)))
                        {
                            Check(prop.Value, p.Value, $"{path}.{p.Name}", errors, depth + 1);
                        }
                    }

                    break;
                case "enum":
                    if (!prop.Value.Any(e => JToken.DeepEquals(e, value)))
                    {
                        errors.Add($"{path}: {value} is not one of {prop.Value.ToString(Newtonsoft.Json.Formatting.None)}");
                    }

                    break;
                case "const":
                    if (!JToken.DeepEquals(prop.Value, value))
                    {
                        errors.Add($"{path}: must be {prop.Value}");
                    }

                    break;
                case "pattern":
                    if (value.Type == JTokenType.String && !Regex.IsMatch((string)value!, (string)prop.Value!, RegexOptions.None, TimeSpan.FromSeconds(1)))
                    {
                        errors.Add($"{path}: '{value}' does not match {prop.Value}");
                    }

                    break;
                case "items":
                    if (value is JArray arr)
                    {
                        for (var i = 0; i < arr.Count; i++)
                        {
                            Check(prop.Value, arr[i], $"{path}[{i}]", errors, depth + 1);
                        }
                    }

                    break;
                case "minItems":
                    if (value is JArray few && few.Count < (int)prop.Value)
                    {
                        errors.Add($"{path}: at least {prop.Value} items");
                    }

                    break;
                case "minimum":
                    if (IsNumber(value) && (decimal)value < (decimal)prop.Value)
                    {
                        errors.Add($"{path}: below {prop.Value}");
                    }

                    break;
                case "maximum":
                    if (IsNumber(value) && (decimal)value > (decimal)prop.Value)
                    {
                        errors.Add($"{path}: above {prop.Value}");
                    }

                    break;
                case "oneOf":
                    var matches = prop.Value.Count(s => Passes(s, value, path, depth));
                    if (matches != 1)
                    {
                        errors.Add($"{path}: matches {matches} of the oneOf alternatives, not exactly one");
                    }

                    break;
                case "anyOf":
                    if (!prop.Value.Any(s => Passes(s, value, path, depth)))
                    {
                        errors.Add($"{path}: matches none of the anyOf alternatives");
                    }

                    break;
                case "allOf":
                    foreach (var s in prop.Value)
                    {
                        Check(s, value, path, errors, depth + 1);
                    }

                    break;
                case "not":
                    if (Passes(prop.Value, value, path, depth))
                    {
                        errors.Add($"{path}: matches a 'not' schema");
                    }

                    break;
                case "if":
                    var branch = Passes(prop.Value, value, path, depth) ? schema["then"] : schema["else"];
                    if (branch is not null)
                    {
                        Check(branch, value, path, errors, depth + 1);
                    }

                    break;
                case "then" or "else":
                    break;
                default:
                    if (!Annotations.Contains(prop.Name))
                    {
                        throw new InvalidOperationException($"schema keyword '{prop.Name}' is not supported by this validator");
                    }

                    break;
            }
        }
    }

    private bool Passes(JToken schema, JToken value, string path, int depth)
    {
        var scratch = new List<string>();
        Check(schema, value, path, scratch, depth + 1);
        return scratch.Count == 0;
    }

    private static bool IsNumber(JToken v) => v.Type is JTokenType.Integer or JTokenType.Float;

    private static bool IsType(JToken v, string type) => type switch
    {
        "object" => v.Type == JTokenType.Object,
        "array" => v.Type == JTokenType.Array,
        "string" => v.Type == JTokenType.String,
        "integer" => v.Type == JTokenType.Integer || (v.Type == JTokenType.Float && (double)v == Math.Floor((double)v)),
        "number" => IsNumber(v),
        "boolean" => v.Type == JTokenType.Boolean,
        "null" => v.Type == JTokenType.Null,
        _ => throw new InvalidOperationException($"unknown type {type}"),
    };
}
