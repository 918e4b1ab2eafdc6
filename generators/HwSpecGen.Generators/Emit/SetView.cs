using System.Collections.Generic;

namespace HwSpecGen.Generators.Emit;

/// <summary>What the set template needs.</summary>
public sealed class SetView
{
    /// <summary>Set name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Summary.</summary>
    public string Summary { get; set; } = string.Empty;

    /// <summary>Source.</summary>
    public string SourceLine { get; set; } = string.Empty;

    /// <summary>Unknown error name or empty.</summary>
    public string Unknown { get; set; } = string.Empty;

    /// <summary>Unknown error as a literal.</summary>
    public string UnknownLiteral { get; set; } = "null";

    /// <summary>Vendor literal.</summary>
    public string VendorLiteral { get; set; } = string.Empty;

    /// <summary>Name literal.</summary>
    public string NameLiteral { get; set; } = string.Empty;

    /// <summary>Doc literal.</summary>
    public string DocLiteral { get; set; } = "null";

    /// <summary>Bits.</summary>
    public string Bits { get; set; } = string.Empty;

    /// <summary>Bytes.</summary>
    public string Bytes { get; set; } = string.Empty;

    /// <summary>Discriminator as written.</summary>
    public string DiscText { get; set; } = string.Empty;

    /// <summary>BitSegment initializers.</summary>
    public string DiscSegments { get; set; } = string.Empty;

    /// <summary>CommandSetMember initializers.</summary>
    public string MemberInits { get; set; } = string.Empty;

    /// <summary>Word names.</summary>
    public List<string> WordNames { get; } = new();

    /// <summary>", ulong w0, …".</summary>
    public string CtorParams { get; set; } = string.Empty;

    /// <summary>Assignments.</summary>
    public List<string> CtorAssign { get; } = new();

    /// <summary>", 0UL, …".</summary>
    public string ZeroArgs { get; set; } = string.Empty;

    /// <summary>", w0, …".</summary>
    public string WordArgs { get; set; } = string.Empty;

    /// <summary>"_w0, _w1".</summary>
    public string WordList { get; set; } = string.Empty;

    /// <summary>Statements reading w0….</summary>
    public List<string> ReadStatements { get; } = new();

    /// <summary>Opcode expression over w0….</summary>
    public string OpcodeExpr { get; set; } = string.Empty;

    /// <summary>Opcode expression over the fields _w0… (the discriminator is not stored separately).</summary>
    public string OpcodeFieldExpr { get; set; } = string.Empty;

    /// <summary>GetWord arms.</summary>
    public List<string> GetWordArms { get; } = new();

    /// <summary>" &amp;&amp; _w0 == other._w0 …".</summary>
    public string EqualsTail { get; set; } = string.Empty;

    /// <summary>", _w0, …" (at most 5 words, HashCode.Combine's limit with the three tags).</summary>
    public string HashTail { get; set; } = string.Empty;

    /// <summary>Members.</summary>
    public List<SetMemberView> Members { get; } = new();

    /// <summary>The opcode → kind lookup table's bytes (one per discriminator value) when the discriminator has at most 8 bits; empty otherwise (a switch is emitted).</summary>
    public string KindTable { get; set; } = string.Empty;

    /// <summary>Number of entries in <see cref="KindTable"/>.</summary>
    public string KindTableSize { get; set; } = string.Empty;
}
