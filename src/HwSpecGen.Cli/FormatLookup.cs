using System;
using System.Linq;
using HwSpecGen.Hardware;
using HwSpecGen.Runtime;

namespace HwSpecGen.Cli;

/// <summary>Finds formats and command sets by <c>vendor/Name</c> or a unique <c>Name</c>.</summary>
public static class FormatLookup
{
    /// <summary>The format named <paramref name="name"/>, or the command set, or a usage error.</summary>
    public static (FormatDescriptor? Format, CommandSetDescriptor? Set) Find(string name)
    {
        var formats = FormatRegistry.Formats.Where(f => Matches(f.Layout.Vendor, f.Layout.Name, name)).ToList();
        var sets = FormatRegistry.Sets.Where(s => Matches(s.Vendor, s.Name, name) || Matches(s.Vendor, s.Name + "Set", name)).ToList();
        if (formats.Count + sets.Count == 1)
        {
            return (formats.FirstOrDefault(), sets.FirstOrDefault());
        }

        if (formats.Count + sets.Count > 1)
        {
            throw new UsageException($"'{name}' is ambiguous: {string.Join(", ", formats.Select(f => f.FullName).Concat(sets.Select(s => s.FullName)))}; write vendor/Name");
        }

        var close = FormatRegistry.Formats.Select(f => f.FullName).Where(n => n.Contains(name.Split('/').Last(), StringComparison.OrdinalIgnoreCase)).Take(5).ToList();
        throw new UsageException($"unknown format '{name}'" + (close.Count > 0 ? $"; did you mean {string.Join(", ", close)}?" : "; 'hwspec formats' lists them"));
    }

    /// <summary>The format named <paramref name="name"/> (not a set).</summary>
    public static FormatDescriptor FindFormat(string name) =>
        Find(name).Format ?? throw new UsageException($"'{name}' is a command set; name one of its formats");

    private static bool Matches(string vendor, string typeName, string query)
    {
        var slash = query.IndexOf('/');
        return slash < 0
            ? string.Equals(typeName, query, StringComparison.OrdinalIgnoreCase)
            : string.Equals(vendor, query[..slash], StringComparison.OrdinalIgnoreCase) && string.Equals(typeName, query[(slash + 1)..], StringComparison.OrdinalIgnoreCase);
    }
}
