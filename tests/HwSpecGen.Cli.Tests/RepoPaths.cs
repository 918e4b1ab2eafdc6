using System;
using System.IO;

namespace HwSpecGen.Cli.Tests;

/// <summary>Finds the repository root (the folder holding specs/schema/hwspec.schema.json) from the test binaries.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Specs => Path.Combine(Root, "specs");

    public static string Schema => Path.Combine(Root, "specs", "schema", "hwspec.schema.json");

    public static string Scenarios => Path.Combine(Root, "scenarios");

    public static string ScenarioSchema => Path.Combine(Root, "scenarios", "schema", "scenario.schema.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "specs", "schema", "hwspec.schema.json")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (specs/schema/hwspec.schema.json) not found above " + AppContext.BaseDirectory);
    }
}
