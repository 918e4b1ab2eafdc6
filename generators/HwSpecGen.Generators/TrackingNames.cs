namespace HwSpecGen.Generators;

/// <summary>Names of the pipeline steps, so tests can assert each step's run reason.</summary>
public static class TrackingNames
{
    /// <summary>Per-file YAML parse.</summary>
    public const string Parse = nameof(Parse);

    /// <summary>All files compiled together.</summary>
    public const string Compile = nameof(Compile);

    /// <summary>Per-file output models.</summary>
    public const string Outputs = nameof(Outputs);

    /// <summary>The diagnostics, apart from the code.</summary>
    public const string Diagnostics = nameof(Diagnostics);

    /// <summary>The registry model.</summary>
    public const string Registry = nameof(Registry);

    /// <summary>The root namespace option.</summary>
    public const string RootNamespace = nameof(RootNamespace);
}
