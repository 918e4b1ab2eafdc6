using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>Runs files through a target without AFL (CI, regression tests): every file of a folder, recursively.</summary>
public static class Replay
{
    /// <summary>Files AFL++ keeps beside its inputs that are not inputs.</summary>
    private static readonly string[] NotInputs = ["README.txt", ".state", ".synced", ".cur_input", ".gitkeep"];

    /// <summary>The input files under <paramref name="paths"/> (files or folders), in a stable order.</summary>
    /// <param name="paths">Files or folders.</param>
    /// <returns>Input files.</returns>
    public static IEnumerable<string> Inputs(IEnumerable<string> paths) =>
        paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p])
            .Where(p => !NotInputs.Any(n => Path.GetFileName(p) == n || p.Replace('\\', '/').Contains("/" + n + "/", StringComparison.Ordinal)))
            .OrderBy(p => p, StringComparer.Ordinal);

    /// <summary>Runs <paramref name="file"/> through <paramref name="target"/>.</summary>
    /// <param name="target">The target.</param>
    /// <param name="file">The input file.</param>
    /// <returns>Null when it passed; otherwise the exception.</returns>
    public static Exception? RunFile(FuzzTarget target, string file)
    {
        var bytes = File.ReadAllBytes(file);
        try
        {
            target.Run(bytes);
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }
}
