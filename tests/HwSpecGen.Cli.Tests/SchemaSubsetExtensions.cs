using System.Collections.Generic;
using Newtonsoft.Json.Linq;

namespace HwSpecGen.Cli.Tests;

/// <summary>Validation helpers over <see cref="SchemaSubset"/>.</summary>
internal static class SchemaSubsetExtensions
{
    public static bool IsValid(this JToken instance, SchemaSubset schema, out IList<string> errors)
    {
        var list = new List<string>();
        var ok = schema.Validate(instance, list);
        errors = list;
        return ok;
    }

    public static bool IsValid(this JToken instance, SchemaSubset schema) => schema.Validate(instance, new List<string>());
}
