using System;

namespace HwSpecGen.Core.Translation;

/// <summary>What a DMA request wants to do, and (in results) what a translation allows.</summary>
[Flags]
public enum Access
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Read.</summary>
    Read = 1,

    /// <summary>Write.</summary>
    Write = 2,

    /// <summary>Instruction fetch.</summary>
    Execute = 4,

    /// <summary>Privileged (supervisor) request.</summary>
    Privileged = 8,

    /// <summary>Read and write.</summary>
    ReadWrite = Read | Write,
}
