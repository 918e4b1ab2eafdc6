using System;

namespace HwSpecGen.Benchmarks.Codec;

/// <summary>
/// Shared sizes and checks. Every codec benchmark works on a batch of <see cref="N"/> entries laid out as in a queue
/// or table in memory, and reports the time per entry (OperationsPerInvoke = N); all three implementations read the
/// same bytes and the same encode parameters, and GlobalSetup checks that they agree before anything is timed.
/// </summary>
public static class CodecData
{
    /// <summary>Entries per batch.</summary>
    public const int N = 1024;

    /// <summary>Fixed seed: every implementation and every run sees the same data.</summary>
    public const int Seed = 20251;

    /// <summary>A random ulong.</summary>
    public static ulong Next(Random random) => (ulong)random.NextInt64() ^ ((ulong)(uint)random.Next(4) << 62);

    /// <summary>Throws when two implementations disagree (so a wrong baseline never produces a number).</summary>
    public static void Same<T>(string what, T expected, T actual)
        where T : IEquatable<T>
    {
        if (!expected.Equals(actual))
        {
            throw new InvalidOperationException($"{what}: the implementations disagree ({expected} vs {actual})");
        }
    }

    /// <summary>Throws when two encoded batches differ.</summary>
    public static void SameBytes(string what, ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        if (!expected.SequenceEqual(actual))
        {
            var i = 0;
            while (expected[i] == actual[i])
            {
                i++;
            }

            throw new InvalidOperationException($"{what}: encoded bytes differ at offset {i}");
        }
    }
}
