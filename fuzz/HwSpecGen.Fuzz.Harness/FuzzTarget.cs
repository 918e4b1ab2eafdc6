using System;
using System.Collections.Generic;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>One fuzzing target: takes arbitrary bytes and must never throw, except <see cref="FuzzInvariantException"/> for a broken invariant.</summary>
public abstract class FuzzTarget
{
    /// <summary>The name given on the command line and used for corpus folders (<c>amd-vi.Command</c>).</summary>
    public abstract string Name { get; }

    /// <summary>One line for <c>list</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Runs one input. Any exception is a finding.</summary>
    /// <param name="data">The input.</param>
    public abstract void Run(ReadOnlySpan<byte> data);

    /// <summary>Seed inputs built with the generated encoders: a file name and its bytes each.</summary>
    /// <returns>The seeds.</returns>
    public abstract IEnumerable<KeyValuePair<string, byte[]>> Seeds();
}
