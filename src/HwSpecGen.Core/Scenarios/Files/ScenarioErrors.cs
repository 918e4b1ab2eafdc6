namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>The error codes of scenario files (docs/scenarios.md lists them).</summary>
public static class ScenarioErrors
{
    /// <summary>Not well-formed YAML (or more than one document, anchors, aliases).</summary>
    public const string MalformedYaml = "HSC0001";

    /// <summary>A key the format does not have (typos must not pass silently).</summary>
    public const string UnknownKey = "HSC0002";

    /// <summary>A required key is missing.</summary>
    public const string MissingKey = "HSC0003";

    /// <summary>A value of the wrong type (a list where a mapping belongs, a string where a number belongs…).</summary>
    public const string WrongType = "HSC0004";

    /// <summary>A value of the right type that is not allowed (unknown vendor, access, page size, zero size…).</summary>
    public const string BadValue = "HSC0005";

    /// <summary>A duplicate key, VM, device, ID or table name.</summary>
    public const string Duplicate = "HSC0006";

    /// <summary>A reference to a VM, device or page table that is not declared.</summary>
    public const string UnknownReference = "HSC0007";

    /// <summary>A format name that is not a command of the vendor's guest queue.</summary>
    public const string UnknownFormat = "HSC0008";

    /// <summary>A field name the format does not have.</summary>
    public const string UnknownField = "HSC0009";

    /// <summary>A field value that does not fit the field (too wide, low address bits set, unknown enum member).</summary>
    public const string FieldValue = "HSC0010";

    /// <summary>An expectation the step cannot produce (e.g. <c>source</c> on a command step).</summary>
    public const string BadExpectation = "HSC0011";

    /// <summary>An address or size not aligned to the page size, or a GPA range inside the guest kernel's own tables.</summary>
    public const string Misaligned = "HSC0012";

    /// <summary>A raw command of the wrong length or with non-hex characters.</summary>
    public const string BadRawCommand = "HSC0013";
}
