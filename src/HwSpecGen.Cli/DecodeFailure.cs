using System;

namespace HwSpecGen.Cli;

/// <summary>The input is well-formed but is not a valid entry (e.g. unknown opcode): one line on stderr, exit code 1.</summary>
public sealed class DecodeFailure : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What the hardware would make of it.</param>
    public DecodeFailure(string message)
        : base(message)
    {
    }
}
