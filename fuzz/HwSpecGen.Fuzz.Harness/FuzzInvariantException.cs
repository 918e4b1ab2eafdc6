using System;
using System.Runtime.CompilerServices;

namespace HwSpecGen.Fuzz.Harness;

/// <summary>A target found generated code disagreeing with the layout metadata (not an input error: a bug).</summary>
public sealed class FuzzInvariantException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FuzzInvariantException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What disagreed.</param>
    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What disagreed.</param>
    /// <param name="inner">The cause.</param>
    public FuzzInvariantException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Throws when <paramref name="condition"/> is false.</summary>
    /// <param name="condition">The invariant.</param>
    /// <param name="what">What it says, for the report.</param>
    public static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(what);
        }
    }

    /// <summary>Throws when <paramref name="condition"/> is false; the interpolated message is formatted only then.</summary>
    /// <param name="condition">The invariant.</param>
    /// <param name="what">What it says, for the report.</param>
    public static void Check(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref FailureMessageHandler what)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(what.ToStringAndClear());
        }
    }
}
