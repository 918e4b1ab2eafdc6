using System;
using System.Collections.Concurrent;
using System.IO;
using System.Reflection;
using Scriban;
using Scriban.Runtime;

namespace HwSpecGen.Generators.Emit;

/// <summary>Loads the embedded Scriban templates once and renders them.</summary>
internal static class TemplateCache
{
    private static readonly ConcurrentDictionary<string, Template> Templates = new(StringComparer.Ordinal);

    public static string Render(string name, string variable, object model)
    {
        var template = Templates.GetOrAdd(name, Load);
        var globals = new ScriptObject();
        globals[variable] = model;
        var context = new TemplateContext { StrictVariables = true, LoopLimit = 100000 };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    public static string RenderGlobals(string name, ScriptObject globals)
    {
        var template = Templates.GetOrAdd(name, Load);
        var context = new TemplateContext { StrictVariables = true, LoopLimit = 100000 };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    private static Template Load(string name)
    {
        using var stream = typeof(TemplateCache).GetTypeInfo().Assembly.GetManifestResourceStream(name + ".sbncs")
            ?? throw new InvalidOperationException($"template {name} is not embedded");
        using var reader = new StreamReader(stream);
        var template = Template.Parse(reader.ReadToEnd(), name);
        if (template.HasErrors)
        {
            throw new InvalidOperationException($"template {name}: {string.Join("; ", template.Messages)}");
        }

        return template;
    }
}
