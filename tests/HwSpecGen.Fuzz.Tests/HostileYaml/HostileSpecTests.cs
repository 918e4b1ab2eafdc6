using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CsCheck;
using HwSpecGen.Fuzz.Tests.Support;
using HwSpecGen.Generators.Parsing;

namespace HwSpecGen.Fuzz.Tests.HostileYaml;

/// <summary>
/// The generator under hostile YAML: real specs truncated and mutated, random specs, and hand-made nasty files go
/// through SpecParser + SpecCompiler + the emitter (and some through the real generator in a CSharpGeneratorDriver).
/// Every run must end in HSG diagnostics or success: no exception, no internal error (HSG0099), no hang, and code that
/// the generator accepts must compile.
/// </summary>
public sealed class HostileSpecTests
{
    public static TheoryData<string> SpecFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var f in Directory.EnumerateFiles(SpecModels.SpecsDir, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(SpecModels.SpecsDir, f).Replace('\\', '/'));
            }

            return data;
        }
    }

    public static TheoryData<string> NastyCases
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in NastySpecs.All.Keys.Order(StringComparer.Ordinal))
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(SpecFiles))]
    public void MutatedRealSpecsEndInDiagnosticsOrSuccess(string file)
    {
        var path = Path.Combine(SpecModels.SpecsDir, file);
        var text = File.ReadAllText(path);
        var siblings = Directory.EnumerateFiles(Path.GetDirectoryName(path)!, "*.yaml")
            .Where(p => p != path)
            .Select(p => ("/specs/" + Path.GetFileName(Path.GetDirectoryName(p)) + "/" + Path.GetFileName(p), File.ReadAllText(p)))
            .ToArray();
        Gen.Select(Gen.Int, Gen.Int[1, 4]).Sample(
            (seed, count) =>
            {
                // With the vendor's other files now and then, so cross-file references are exercised too.
                var mutated = SpecMutator.Mutate(text, new Random(seed), count);
                var files = (seed % 4 == 0 ? siblings : []).Prepend(("/specs/" + file, mutated)).ToArray();
                SpecRunner.AssertEndsWell(SpecRunner.Run(files), files);
            },
            iter: 10,
            threads: 1,
            print: t => $"seed {t.Item1}, {t.Item2} mutations");
    }

    [Fact]
    public void TruncatingARealSpecAtEveryLineEndsInDiagnosticsOrSuccess()
    {
        var text = File.ReadAllText(Path.Combine(SpecModels.SpecsDir, "amd-vi", "commands.yaml"));
        var ends = Enumerable.Range(0, text.Length).Where(i => text[i] == '\n').Prepend(0).ToList();
        foreach (var end in ends)
        {
            var files = new[] { ("/specs/amd-vi/commands.yaml", text[..end]) };
            SpecRunner.AssertEndsWell(SpecRunner.Run(files), files);
        }
    }

    [Fact]
    public void RandomSpecsEndInDiagnosticsOrSuccess()
    {
        var clean = 0;
        Gen.Int.Sample(
            seed =>
            {
                var random = new Random(seed);
                var files = new List<(string, string)> { ("/specs/demo/a.yaml", RandomSpecWriter.Write(random)) };
                if (random.Next(3) == 0)
                {
                    files.Add(("/specs/demo/b.yaml", RandomSpecWriter.Write(random)));
                }

                var array = files.ToArray();
                var result = SpecRunner.Run(array);
                SpecRunner.AssertEndsWell(result, array);
                if (result.Diagnostics.Count == 0)
                {
                    System.Threading.Interlocked.Increment(ref clean);
                }
            },
            iter: 400,
            print: seed => $"seed {seed}");
        Assert.True(clean > 0, "no random spec compiled cleanly: the writer no longer reaches the emitter");
    }

    [Theory]
    [MemberData(nameof(NastyCases))]
    public void NastySpecsEndInTheirDiagnostic(string name)
    {
        var (files, expected) = NastySpecs.All[name];
        var result = SpecRunner.Run(files);
        SpecRunner.AssertEndsWell(result, files);
        if (expected is null)
        {
            Assert.Empty(result.Diagnostics);
        }
        else
        {
            Assert.Contains(result.Diagnostics, d => d.Id == expected);
        }
    }

    [Fact]
    public void TheRealGeneratorNeverThrowsOnHostileSpecs()
    {
        var inputs = new List<(string Path, string Text)[]>();
        inputs.AddRange(new[] { "cycle-in-format-extends", "deep-flow-nesting", "huge-numbers", "overlapping-fields", "vendor-extends-cycle" }.Select(n => NastySpecs.All[n].Files));
        var commands = File.ReadAllText(Path.Combine(SpecModels.SpecsDir, "amd-vi", "commands.yaml"));
        for (var seed = 0; seed < 4; seed++)
        {
            inputs.Add([("/specs/amd-vi/commands.yaml", SpecMutator.Mutate(commands, new Random(seed), 2))]);
        }

        foreach (var files in inputs)
        {
            var (generator, compileErrors, _) = GeneratorDriverRunner.Run(files);
            Assert.DoesNotContain(generator, d => d.Id == "CS8785");
            Assert.DoesNotContain(generator, d => d.Id == DiagnosticIds.Internal);
            Assert.All(generator, d => Assert.StartsWith("HSG", d.Id, StringComparison.Ordinal));
            if (!generator.Any())
            {
                Assert.True(compileErrors.IsEmpty, $"generated code does not compile: {string.Join("\n", compileErrors.Take(5))}\n{SpecRunner.Describe(files)}");
            }
        }
    }

    [Fact]
    public void SpecsTheGeneratorAcceptsCompile()
    {
        // Random specs that SpecCompiler accepts without a diagnostic must give C# that compiles: names chosen to collide
        // with generated members and types would otherwise break a user's build with CS errors instead of HSG ones.
        var accepted = new List<(string Path, string Text)[]>();
        for (var seed = 1; accepted.Count < 12 && seed < 5000; seed++)
        {
            (string, string)[] files = [("/specs/demo/a.yaml", RandomSpecWriter.Write(new Random(seed)))];
            if (SpecRunner.Run(files).Diagnostics.Count == 0)
            {
                accepted.Add(files);
            }
        }

        Assert.Equal(12, accepted.Count);
        foreach (var files in accepted)
        {
            var (generator, compileErrors, generated) = GeneratorDriverRunner.Run(files);
            Assert.Empty(generator);
            Assert.True(generated > 0);
            Assert.True(compileErrors.IsEmpty, $"generated code does not compile: {string.Join("\n", compileErrors.Take(5))}\n{SpecRunner.Describe(files)}");
        }
    }
}
