using System;

namespace HwSpecGen.Cli;

/// <summary>Wrong input from the user: printed as one line on stderr, exit code 2.</summary>
public sealed class UsageException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public UsageException(string message)
        : base(message)
    {
    }
}
