using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace HwSpecGen.Generators.Tests;

/// <summary>
/// Snapshot tests: the example spec generates exactly the committed sources (Snapshots/*.g.cs), and they compile
/// without a diagnostic. Regenerate the snapshots after an intended change with HWSPEC_UPDATE_SNAPSHOTS=1.
/// </summary>
public sealed class SnapshotTests
{
    private const string GlobalConfig = "is_global = true\nbuild_property.HwSpecGenNamespace = HwSpecGen.Hardware\n";

    private static readonly ReferenceAssemblies Net10 = new("net10.0", new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.10"), Path.Combine("ref", "net10.0"));

    [Fact]
    public async Task ExampleSpecGeneratesTheSnapshot()
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Specs", "demo.yaml"));
        var (run, _, _) = GeneratorHarness.Run(("/specs/example/demo.yaml", yaml));
        var generated = run.Results[0].GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        Assert.Equal(["FormatRegistry.g.cs", "example.demo.g.cs"], generated.Keys.OrderBy(k => k, StringComparer.Ordinal));

        if (Environment.GetEnvironmentVariable("HWSPEC_UPDATE_SNAPSHOTS") == "1")
        {
            foreach (var (name, text) in generated)
            {
                await File.WriteAllTextAsync(Path.Combine(SnapshotDir(), name), text);
            }
        }

        var test = new CSharpSourceGeneratorTest<HwSpecGenerator, DefaultVerifier>
        {
            ReferenceAssemblies = Net10,
        };
        test.TestState.AdditionalFiles.Add(("/specs/example/demo.yaml", yaml));
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", GlobalConfig));
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(Runtime.FormatLayout).Assembly.Location));
        foreach (var name in new[] { "example.demo.g.cs", "FormatRegistry.g.cs" })
        {
            var expected = await File.ReadAllTextAsync(Path.Combine(SnapshotDir(), name));
            test.TestState.GeneratedSources.Add((typeof(HwSpecGenerator), name, SourceText.From(expected, Encoding.UTF8)));
        }

        await test.RunAsync();
    }

    private static string SnapshotDir([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Snapshots");
}
