using System;
using System.Collections.Immutable;
using System.CommandLine;
using System.IO;
using System.Linq;
using HwSpecGen.Generators;
using HwSpecGen.Generators.Parsing;
using HwSpecGen.Generators.Resolution;

namespace HwSpecGen.Cli.Commands;

/// <summary><c>hwspec validate [PATH…]</c>: checks spec files without a build; prints the build's diagnostics.</summary>
public static class ValidateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Spec files or folders (default: specs/)", Arity = ArgumentArity.ZeroOrMore };
        var cmd = new Command("validate", "Check spec files; print file(line,col): error HSGnnnn lines as the build does") { paths };
        cmd.SetAction(r =>
        {
            var given = r.GetValue(paths) is { Length: > 0 } p ? p : [FindSpecs()];
            var files = given.SelectMany(Expand).Distinct().OrderBy(f => f, StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                throw new UsageException($"no spec files (*.yaml) found in {string.Join(", ", given)}");
            }

            var parsed = files.Select(f => SpecParser.Parse(Path.GetFullPath(f), File.ReadAllText(f))).ToImmutableArray();
            var result = SpecCompiler.Compile(parsed, SpecFiles.DefaultNamespace);
            foreach (var d in result.Diagnostics)
            {
                r.InvocationConfiguration.Output.WriteLine(d.ToString());
            }

            var formats = result.Outputs.Sum(o => o.Formats.Count);
            r.InvocationConfiguration.Output.WriteLine($"{files.Count} file(s), {formats} format(s), {result.Diagnostics.Count} error(s)");
            return result.Diagnostics.Count == 0 ? 0 : 1;
        });
        return cmd;
    }

    private static string FindSpecs()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "specs");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new UsageException("no specs/ folder here or above; give spec paths");
    }

    private static string[] Expand(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories).Where(SpecFiles.IsSpec).ToArray();
        }

        if (File.Exists(path))
        {
            return [path];
        }

        throw new UsageException($"no such file or folder: {path}");
    }
}
