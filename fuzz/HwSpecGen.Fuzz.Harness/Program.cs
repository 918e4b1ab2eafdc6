using System;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>
/// <c>HwSpecGen.Fuzz.Harness TARGET</c> runs one target under afl-fuzz (SharpFuzz fork server; once on standard input
/// without AFL). <c>list</c> prints the targets, <c>--emit-seeds DIR</c> writes seeds built with the generated encoders
/// to <c>DIR/TARGET/</c>, <c>--replay TARGET PATH...</c> runs files or folders through a target without AFL.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <param name="args">See the type's summary.</param>
    /// <returns>0 fine, 1 a replayed input failed, 2 wrong usage.</returns>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine("usage: HwSpecGen.Fuzz.Harness list | TARGET | --emit-seeds DIR | --replay TARGET PATH...");
            return 2;
        }

        switch (args[0])
        {
            case "list":
                foreach (var t in FuzzTargets.All)
                {
                    Console.WriteLine($"{t.Name}\t{t.Description}");
                }

                return 0;
            case "--emit-seeds" when args.Length == 2:
                return EmitSeeds(args[1]);
            case "--replay" when args.Length >= 3:
                return ReplayAll(args[1], args.Skip(2).ToArray());
        }

        if (args.Length != 1)
        {
            Console.Error.WriteLine($"unknown arguments: {string.Join(' ', args)}; `list` shows the targets");
            return 2;
        }

        // SharpFuzz's instrumentation writes to AFL's coverage map, which exists only inside Fuzzer.Run: instrumented
        // code (the generated registry included) must not run before it, so the target is looked up on the first input.
        var name = args[0];
        FuzzTarget? target = null;
        Fuzzer.OutOfProcess.Run(stream =>
        {
            target ??= FuzzTargets.Find(name) ?? throw new ArgumentException($"unknown target {name}; `list` shows the targets");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    }

    private static int EmitSeeds(string dir)
    {
        var total = 0;
        foreach (var t in FuzzTargets.All)
        {
            var folder = Path.Combine(dir, t.Name);
            Directory.CreateDirectory(folder);
            foreach (var (name, bytes) in t.Seeds())
            {
                t.Run(bytes); // a seed that fails is a bug in the generated code, not a seed
                File.WriteAllBytes(Path.Combine(folder, "seed-" + name), bytes);
                total++;
            }
        }

        Console.WriteLine($"{total} seeds for {FuzzTargets.All.Length} targets in {dir}");
        return 0;
    }

    private static int ReplayAll(string name, string[] paths)
    {
        var target = FuzzTargets.Find(name);
        if (target is null)
        {
            Console.Error.WriteLine($"unknown target {name}; `list` shows the targets");
            return 2;
        }

        var files = Replay.Inputs(paths).ToList();
        var failed = 0;
        foreach (var file in files)
        {
            if (Replay.RunFile(target, file) is { } ex)
            {
                failed++;
                Console.WriteLine($"FAIL {file}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Console.WriteLine($"{target.Name}: {files.Count} inputs replayed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }
}
