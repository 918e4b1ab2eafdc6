using System;
using System.IO;
using System.Linq;
using HwSpecGen.Fuzz.Harness;
using HwSpecGen.Runtime;

namespace HwSpecGen.Fuzz.Tests;

/// <summary>
/// Replays, through the same targets afl-fuzz runs, every input that once made a target fail (Regressions/&lt;target&gt;/)
/// and the committed seed corpus (fuzz/corpus/&lt;target&gt;/). A target that throws on any of them fails the build.
/// </summary>
public sealed class RegressionReplayTests
{
    private static readonly string RegressionsDir = Path.Combine(AppContext.BaseDirectory, "Regressions");
    private static readonly string CorpusDir = Path.Combine(AppContext.BaseDirectory, "corpus");

    /// <summary>(folder, target): Regressions/&lt;target&gt; and corpus/&lt;target&gt; beside the test assembly.</summary>
    public static TheoryData<string, string> Folders
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var root in new[] { RegressionsDir, CorpusDir }.Where(Directory.Exists))
            {
                foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
                {
                    data.Add(Path.GetFileName(root), Path.GetFileName(dir));
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void EveryInputReplaysWithoutFailure(string folder, string target)
    {
        var t = FuzzTargets.Find(target);
        Assert.True(t is not null, $"{folder}/{target}: no fuzz target of that name; `HwSpecGen.Fuzz.Harness list` shows them");
        var files = Replay.Inputs([Path.Combine(AppContext.BaseDirectory, folder, target)]).ToList();
        Assert.NotEmpty(files);
        var failures = files.Select(f => (File: f, Error: Replay.RunFile(t!, f))).Where(x => x.Error is not null).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(x => $"{Path.GetRelativePath(AppContext.BaseDirectory, x.File)}: {x.Error}")));
    }

    [Fact]
    public void EveryTargetHasACommittedCorpus()
    {
        foreach (var t in FuzzTargets.All)
        {
            var dir = Path.Combine(CorpusDir, t.Name);
            Assert.True(Directory.Exists(dir) && Replay.Inputs([dir]).Any(), $"fuzz/corpus/{t.Name}/ is missing or empty; `fuzz/run.sh --seed` writes it");
        }
    }

    [Fact]
    public void SeedsFromTheEncodersPassTheirTargets()
    {
        foreach (var t in FuzzTargets.All)
        {
            var seeds = t.Seeds().ToList();
            Assert.NotEmpty(seeds);
            foreach (var (name, bytes) in seeds)
            {
                var ex = Record.Exception(() => t.Run(bytes));
                Assert.True(ex is null, $"{t.Name} seed {name}: {ex}");
            }
        }
    }

    [Fact]
    public void ACommandSetTargetFailsWhenTheDispatcherDisagreesWithTheMetadata()
    {
        var real = HwSpecGen.Hardware.FormatRegistry.Sets.First(s => s.Members.Length > 1);
        var lying = new CommandSetDescriptor(real.Vendor, real.Name, real.Bits, real.Discriminator, real.UnknownError, real.Doc, real.Members, new OffByOneDecoder(real.Decoder!));
        var target = new CommandSetTarget(lying);
        var (_, seed) = target.Seeds().First();
        Assert.Throws<FuzzInvariantException>(() => target.Run(seed));
        new CommandSetTarget(real).Run(seed);
    }

    /// <summary>A broken dispatcher: reports the opcode after the real one.</summary>
    private sealed class OffByOneDecoder(CommandSetDecoder inner) : CommandSetDecoder
    {
        public override DecodeError Decode(ReadOnlySpan<byte> bytes, Span<ulong> words, out ulong opcode, out FormatLayout? member)
        {
            var error = inner.Decode(bytes, words, out opcode, out member);
            opcode++;
            return error;
        }

        public override Violations Validate(ReadOnlySpan<byte> bytes) => inner.Validate(bytes);

        public override bool IsValid(ReadOnlySpan<byte> bytes) => inner.IsValid(bytes);

        public override string Format(ReadOnlySpan<byte> bytes) => inner.Format(bytes);
    }
}
