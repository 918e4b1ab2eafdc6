using System;
using System.IO;

namespace HwSpecGen.Generators;

/// <summary>Which files are specs, and defaults shared by the generator and the CLI (no Roslyn types, so tools can use it).</summary>
public static class SpecFiles
{
    /// <summary>Default root namespace when the project sets neither HwSpecGenNamespace nor RootNamespace.</summary>
    public const string DefaultNamespace = "HwSpecGen.Hardware";

    /// <summary>True for the files the generator reads: <c>*.yaml</c> / <c>*.yml</c> outside a <c>schema/</c> folder.</summary>
    /// <param name="path">A file path.</param>
    /// <returns>Whether it is a spec.</returns>
    public static bool IsSpec(string path)
    {
        var ext = Path.GetExtension(path);
        if (!ext.Equals(".yaml", StringComparison.OrdinalIgnoreCase) && !ext.Equals(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var p = path.Replace('\\', '/');
        return p.IndexOf("/schema/", StringComparison.OrdinalIgnoreCase) < 0;
    }
}
