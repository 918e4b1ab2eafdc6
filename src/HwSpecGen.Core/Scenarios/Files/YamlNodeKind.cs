namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>The kind of a <see cref="YamlNode"/>.</summary>
public enum YamlNodeKind
{
    /// <summary>A scalar.</summary>
    Scalar,

    /// <summary>A mapping.</summary>
    Mapping,

    /// <summary>A sequence.</summary>
    Sequence,
}
