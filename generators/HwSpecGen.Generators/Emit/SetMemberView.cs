namespace HwSpecGen.Generators.Emit;

/// <summary>One set member for the template.</summary>
public sealed class SetMemberView
{
    /// <summary>Format name.</summary>
    public string Format { get; set; } = string.Empty;

    /// <summary>Hex literal of the discriminator.</summary>
    public string Opcode { get; set; } = string.Empty;
}
