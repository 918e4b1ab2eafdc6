using System.Collections.Generic;
using HwSpecGen.Generators.Model;

namespace HwSpecGen.Generators.Resolution;

/// <summary>Everything declared for one vendor across its files, with the base vendor of a vendor variant.</summary>
internal sealed class VendorScope
{
    public VendorScope(string vendor) => Vendor = vendor;

    public string Vendor { get; }

    public string? NamespaceSuffix { get; set; }

    public List<SpecFile> Files { get; } = new();

    public SpecFile? ExtendsFile { get; set; }

    public VendorScope? Base { get; set; }

    public Dictionary<string, (FormatSpec Spec, SpecFile File)> Formats { get; } = new();

    public Dictionary<string, (EnumSpec Spec, SpecFile File)> Enums { get; } = new();

    public Dictionary<string, (SetSpec Spec, SpecFile File)> Sets { get; } = new();

    public Dictionary<string, (TableSpec Spec, SpecFile File)> Tables { get; } = new();

    public Dictionary<string, ResolvedFormat?> ResolvedFormats { get; } = new();

    public EnumSpec? FindEnum(string name)
    {
        for (var s = this; s is not null; s = s.Base)
        {
            if (s.Enums.TryGetValue(name, out var e))
            {
                return e.Spec;
            }
        }

        return null;
    }

    public bool HasFormat(string name)
    {
        for (var s = this; s is not null; s = s.Base)
        {
            if (s.Formats.ContainsKey(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Names visible in this scope (own first, then inherited), for one kind of item.</summary>
    public IEnumerable<string> EffectiveNames<T>(System.Func<VendorScope, Dictionary<string, T>> pick)
    {
        var seen = new HashSet<string>();
        for (var s = this; s is not null; s = s.Base)
        {
            foreach (var name in pick(s).Keys)
            {
                if (seen.Add(name))
                {
                    yield return name;
                }
            }
        }
    }
}
