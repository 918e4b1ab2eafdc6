using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using HwSpecGen.Generators.Emit;
using HwSpecGen.Generators.Model;
using HwSpecGen.Generators.Parsing;
using HwSpecGen.Generators.Resolution;

namespace HwSpecGen.Fuzz.Tests.HostileYaml;

/// <summary>
/// Parses, compiles and emits spec files the way the generator does, on a thread with a small stack (a compiler
/// worker's, not the test host's main thread) and under a time limit, and checks the outcome: HSG diagnostics or
/// success, never an exception, an internal error (HSG0099) or a hang.
/// </summary>
internal static partial class SpecRunner
{
    /// <summary>Time one input may take before it counts as a hang.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private const int StackBytes = 1024 * 1024;

    public static CompileResult Run(params (string Path, string Text)[] files)
    {
        CompileResult? result = null;
        Exception? error = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    var parsed = files.Select(f => SpecParser.Parse(f.Path, f.Text)).ToImmutableArray();
                    var compiled = SpecCompiler.Compile(parsed, "Fuzzed.Hardware");
                    foreach (var output in compiled.Outputs)
                    {
                        _ = FileEmitter.Emit(output);
                    }

                    _ = FileEmitter.EmitRegistry("Fuzzed.Hardware", compiled.Registry);
                    result = compiled;
                }
                catch (Exception ex)
                {
                    error = ex;
                }
            },
            StackBytes);
        thread.IsBackground = true;
        thread.Start();
        if (!thread.Join(Limit))
        {
            throw new TimeoutException($"spec compilation did not finish in {Limit.TotalSeconds} s:\n{Describe(files)}");
        }

        if (error is not null)
        {
            throw new InvalidOperationException($"the generator threw {error.GetType().Name}: {error.Message}\n{Describe(files)}", error);
        }

        return result!;
    }

    /// <summary>Every diagnostic is a proper HSG one and none is an internal error.</summary>
    public static void AssertEndsWell(CompileResult result, params (string Path, string Text)[] files)
    {
        foreach (var d in result.Diagnostics)
        {
            Assert.True(HsgId().IsMatch(d.Id), $"not an HSG diagnostic: {d}\n{Describe(files)}");
            Assert.True(d.Id != DiagnosticIds.Internal, $"internal generator error: {d}\n{Describe(files)}");
            Assert.False(string.IsNullOrWhiteSpace(d.Message));
        }
    }

    public static string Describe((string Path, string Text)[] files) =>
        string.Join("\n", files.Select(f => $"--- {f.Path} ({f.Text.Length} chars)\n{(f.Text.Length > 4000 ? f.Text[..4000] + "\n[…]" : f.Text)}"));

    [GeneratedRegex(@"^HSG\d{4}$")]
    private static partial Regex HsgId();
}
