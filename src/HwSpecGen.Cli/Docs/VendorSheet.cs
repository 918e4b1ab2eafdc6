using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli.Docs;

/// <summary>Everything one vendor's datasheet shows, gathered from the registry metadata (no reflection).</summary>
public sealed class VendorSheet
{
    /// <summary>Creates the sheet from registry contents.</summary>
    /// <param name="vendor">Vendor key.</param>
    /// <param name="formats">Every format of the registry (others' vendors are skipped).</param>
    /// <param name="sets">Every command set of the registry.</param>
    /// <param name="tables">Every table of the registry.</param>
    public VendorSheet(string vendor, IEnumerable<FormatDescriptor> formats, IEnumerable<CommandSetDescriptor> sets, IEnumerable<TableLayout> tables)
    {
        Vendor = vendor;
        Formats = formats.Where(f => f.Layout.Vendor == vendor).Select(f => f.Layout).ToImmutableArray();
        Sets = sets.Where(s => s.Vendor == vendor).ToImmutableArray();
        Tables = tables.Where(t => t.Vendor == vendor).ToImmutableArray();
        var enums = new List<(string Name, ImmutableArray<EnumMember> Members, bool Strict)>();
        foreach (var f in Formats.SelectMany(l => l.Fields))
        {
            if (f.Kind == FieldKind.Enum && f.EnumName is not null && enums.All(e => e.Name != f.EnumName))
            {
                enums.Add((f.EnumName, f.EnumMembers, f.EnumStrict));
            }
        }

        Enums = enums.OrderBy(e => e.Name, StringComparer.Ordinal).ToImmutableArray();
    }

    /// <summary>Vendor key.</summary>
    public string Vendor { get; }

    /// <summary>Readable vendor title.</summary>
    public string Title => DatasheetText.VendorTitle(Vendor);

    /// <summary>Formats in registry (file) order.</summary>
    public ImmutableArray<FormatLayout> Formats { get; }

    /// <summary>Command sets.</summary>
    public ImmutableArray<CommandSetDescriptor> Sets { get; }

    /// <summary>Table geometries.</summary>
    public ImmutableArray<TableLayout> Tables { get; }

    /// <summary>Enums used by the vendor's fields, by name.</summary>
    public ImmutableArray<(string Name, ImmutableArray<EnumMember> Members, bool Strict)> Enums { get; }

    /// <summary>The opcode of <paramref name="layout"/> in its command set, if it is a member.</summary>
    public ulong? OpcodeOf(FormatLayout layout)
    {
        foreach (var s in Sets)
        {
            foreach (var m in s.Members)
            {
                if (ReferenceEquals(m.Format.Layout, layout) || m.Format.Layout.FullName == layout.FullName)
                {
                    return m.Opcode;
                }
            }
        }

        return null;
    }

    /// <summary>The first sentence of a doc text (for summaries in tables of contents and opcode tables).</summary>
    public static string Summary(string? doc)
    {
        if (string.IsNullOrWhiteSpace(doc))
        {
            return string.Empty;
        }

        for (var i = doc.IndexOf(". ", StringComparison.Ordinal); i >= 0; i = doc.IndexOf(". ", i + 1, StringComparison.Ordinal))
        {
            var before = doc[..i];
            if (!before.EndsWith("e.g", StringComparison.Ordinal) && !before.EndsWith("i.e", StringComparison.Ordinal) && !before.EndsWith("etc", StringComparison.Ordinal) && !before.EndsWith("vs", StringComparison.Ordinal))
            {
                return doc[..(i + 1)];
            }
        }

        return doc;
    }
}
