using System.Collections.Generic;

namespace HwSpecGen.Generators.Emit;

/// <summary>What the format template needs, computed from a <see cref="Model.ResolvedFormat"/>.</summary>
public sealed class FormatView
{
    /// <summary>Type name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>XML-escaped summary.</summary>
    public string Summary { get; set; } = string.Empty;

    /// <summary>XML-escaped source line.</summary>
    public string SourceLine { get; set; } = string.Empty;

    /// <summary>Size in bits.</summary>
    public string Bits { get; set; } = string.Empty;

    /// <summary>Size in bytes.</summary>
    public string Bytes { get; set; } = string.Empty;

    /// <summary>Number of words.</summary>
    public string Words { get; set; } = string.Empty;

    /// <summary>Word field names.</summary>
    public List<string> WordNames { get; } = new();

    /// <summary>"ulong w0, ulong w1".</summary>
    public string CtorParams { get; set; } = string.Empty;

    /// <summary>Assignments in the private constructor.</summary>
    public List<string> CtorAssign { get; } = new();

    /// <summary>"words[0], words[1]" (masked for narrow formats).</summary>
    public string FromSpanArgs { get; set; } = string.Empty;

    /// <summary>"BinaryPrimitives.Read…" expressions.</summary>
    public string ReadArgs { get; set; } = string.Empty;

    /// <summary>Statements writing the words.</summary>
    public List<string> WriteStatements { get; } = new();

    /// <summary>Member code blocks (properties, With methods, constants).</summary>
    public List<string> Members { get; } = new();

    /// <summary>Settable properties of the nested mutable Builder, one per non-constant field.</summary>
    public List<string> BuilderMembers { get; } = new();

    /// <summary>Assignments in the parameterless Builder constructor: each word set to <see cref="CreateExpr"/>'s constant, so the JIT sees the constants.</summary>
    public List<string> BuilderInit { get; } = new();

    /// <summary>Statements of Create().</summary>
    public string CreateExpr { get; set; } = string.Empty;

    /// <summary>Condition true when a constant field is wrong.</summary>
    public string ConstMismatch { get; set; } = "false";

    /// <summary>Statements of Validate() before the return.</summary>
    public List<string> ValidateStatements { get; } = new();

    /// <summary>The IsValid expression: no must-be-zero bit set, constants right, strict enums named, no rule violated.</summary>
    public string IsValidExpr { get; set; } = "true";

    /// <summary>The HasReservedBitsSet expression: any must-be-zero bit set.</summary>
    public string HasReservedBitsSetExpr { get; set; } = "false";

    /// <summary>The Violations constructor arguments for reserved words.</summary>
    public string ReservedArgs { get; set; } = string.Empty;

    /// <summary>Layout initializer expression.</summary>
    public string LayoutInit { get; set; } = string.Empty;

    /// <summary>ToString interpolation body.</summary>
    public string ToStringBody { get; set; } = string.Empty;

    /// <summary>Equality expression.</summary>
    public string EqualsExpr { get; set; } = string.Empty;

    /// <summary>Hash arguments.</summary>
    public List<string> HashArgs { get; } = new();

    /// <summary>Enum helper methods.</summary>
    public List<string> Helpers { get; } = new();

    /// <summary>GetWord switch arms.</summary>
    public List<string> GetWordArms { get; } = new();
}
