namespace HwSpecGen.Generators.Model;

/// <summary>One line of the format registry.</summary>
/// <param name="Kind">"format", "set" or "table".</param>
/// <param name="Namespace">C# namespace of the type.</param>
/// <param name="Name">Type base name.</param>
public sealed record RegistryEntry(string Kind, string Namespace, string Name);
