using HwSpecGen.Generators.Helpers;

namespace HwSpecGen.Generators.Model;

/// <summary>One parsed spec file.</summary>
/// <param name="Path">File path.</param>
/// <param name="Vendor">Vendor key (e.g. <c>amd-vi</c>).</param>
/// <param name="Namespace">Explicit namespace suffix, if any.</param>
/// <param name="Title">Title.</param>
/// <param name="Revision">Specification revision.</param>
/// <param name="Source">File-level default source.</param>
/// <param name="Extends">Base vendor for a vendor variant.</param>
/// <param name="Enums">Enums.</param>
/// <param name="Sets">Command sets.</param>
/// <param name="Formats">Formats.</param>
/// <param name="Tables">Tables.</param>
/// <param name="VendorSpan">Place of the vendor key.</param>
/// <param name="ExtendsSpan">Place of the extends key.</param>
public sealed record SpecFile(
    string Path,
    string Vendor,
    string? Namespace,
    string? Title,
    string? Revision,
    string? Source,
    string? Extends,
    EquatableArray<EnumSpec> Enums,
    EquatableArray<SetSpec> Sets,
    EquatableArray<FormatSpec> Formats,
    EquatableArray<TableSpec> Tables,
    SourceSpan VendorSpan,
    SourceSpan? ExtendsSpan);
