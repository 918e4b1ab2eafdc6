using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using HwSpecGen.Generators.Helpers;
using HwSpecGen.Generators.Model;
using HwSpecGen.Generators.Parsing;

namespace HwSpecGen.Generators.Resolution;

/// <summary>
/// Compiles parsed spec files together: resolves vendors, vendor variants and <c>extends</c>, checks that every
/// bit is claimed exactly once, checks sets, enums, rules and tables, and produces one <see cref="FileOutput"/>
/// per file. Never throws; everything wrong becomes a diagnostic.
/// </summary>
public static class SpecCompiler
{
    private static readonly HashSet<string> ReservedMemberNames = new(StringComparer.Ordinal)
    {
        "Layout", "SizeBits", "SizeBytes", "WordCount", "ByteSize", "Create", "Read", "TryDecode", "WriteTo", "ToBytes",
        "GetWord", "Validate", "IsValid", "HasReservedBitsSet", "Builder", "CreateBuilder", "ToBuilder", "Build", "Equals", "GetHashCode", "ToString", "FromWords", "GetType", "Words",

        // private members of the generated struct, and object members a property would hide
        "LayoutValue", "HasConstantMismatch", "CheckLength", "MemberwiseClone", "ReferenceEquals", "Finalize",
    };

    /// <summary>Compiles <paramref name="files"/>; generated types go under <paramref name="rootNamespace"/>.</summary>
    public static CompileResult Compile(ImmutableArray<ParseResult> files, string rootNamespace)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var outputs = new List<FileOutput>();
        var registry = new List<RegistryEntry>();
        try
        {
            foreach (var f in files)
            {
                diagnostics.AddRange(f.Diagnostics);
            }

            CompileCore(files, rootNamespace, diagnostics, outputs, registry);
        }
        catch (Exception ex)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.Internal, $"internal generator error ({ex.GetType().Name}: {ex.Message}); please report it with the YAML", null));
            outputs.Clear();
            registry.Clear();
        }

        var unique = diagnostics.Distinct().ToList();
        return new CompileResult(outputs.ToEquatableArray(), registry.ToEquatableArray(), unique.ToEquatableArray());
    }

    /// <summary>The C# namespace suffix for a vendor key: <c>amd-vi</c> → <c>AmdVi</c>, <c>arm-smmuv3</c> → <c>ArmSmmuV3</c>.</summary>
    public static string PascalVendor(string vendor)
    {
        var sb = new StringBuilder();
        var upper = true;
        for (var i = 0; i < vendor.Length; i++)
        {
            var c = vendor[i];
            if (c == '-')
            {
                upper = true;
                continue;
            }

            var vBeforeDigit = c == 'v' && i + 1 < vendor.Length && char.IsDigit(vendor[i + 1]);
            sb.Append(upper || vBeforeDigit ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        var s = sb.ToString();
        return s.Length > 0 && char.IsDigit(s[0]) ? "V" + s : s;
    }

    private static void CompileCore(ImmutableArray<ParseResult> files, string rootNamespace, List<DiagnosticInfo> diagnostics, List<FileOutput> outputs, List<RegistryEntry> registry)
    {
        var scopes = BuildScopes(files.Where(f => f.File is not null).Select(f => f.File!).OrderBy(f => f.Path, StringComparer.Ordinal), diagnostics);
        var hintNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var scope in scopes.Values.OrderBy(s => s.Vendor, StringComparer.Ordinal))
        {
            var ns = rootNamespace + "." + (scope.NamespaceSuffix ?? PascalVendor(scope.Vendor));
            var resolver = new FormatResolver(scope, diagnostics);

            // Decide which file emits each effective item: own items in their file, inherited ones in the variant's extends file.
            var perFile = scope.Files.ToDictionary(f => f.Path, _ => new FileParts(), StringComparer.Ordinal);
            string? OwnerOf<T>(Dictionary<string, (T Spec, SpecFile File)> own, string name) =>
                own.TryGetValue(name, out var e) ? e.File.Path : scope.ExtendsFile?.Path;

            CheckTypeNames(scope, ns, diagnostics);
            var validFormats = new Dictionary<string, ResolvedFormat>(StringComparer.Ordinal);
            foreach (var name in scope.EffectiveNames(s => s.Formats))
            {
                var owner = OwnerOf(scope.Formats, name);
                var resolved = resolver.Resolve(name);
                if (owner is null || resolved is null)
                {
                    continue;
                }

                validFormats[name] = resolved;
                perFile[owner].Formats.Add(resolved);
            }

            foreach (var name in scope.EffectiveNames(s => s.Enums))
            {
                var owner = OwnerOf(scope.Enums, name);
                var spec = scope.FindEnum(name)!;
                if (owner is not null)
                {
                    perFile[owner].Enums.Add(FormatResolver.ToResolved(spec));
                }
            }

            foreach (var name in scope.EffectiveNames(s => s.Sets))
            {
                var owner = OwnerOf(scope.Sets, name);
                var set = FindSet(scope, name)!;
                var resolvedSet = ResolveSet(set, validFormats, scope, diagnostics);
                if (owner is not null)
                {
                    perFile[owner].Sets.Add(resolvedSet);
                }
            }

            foreach (var f in validFormats.Values)
            {
                if (f.Set is not null && FindSet(scope, f.Set) is null)
                {
                    var own = scope.Formats.TryGetValue(f.Name, out var e) ? e.Spec : null;
                    diagnostics.Add(new DiagnosticInfo(DiagnosticIds.UnknownReference, $"format {f.Name} names set '{f.Set}', which vendor {scope.Vendor} does not declare under 'sets:'", own?.SetSpan ?? own?.Span));
                }
            }

            foreach (var name in scope.EffectiveNames(s => s.Tables))
            {
                var owner = OwnerOf(scope.Tables, name);
                var table = FindTable(scope, name)!;
                if (!validFormats.TryGetValue(table.Entry, out var entry))
                {
                    if (!scope.HasFormat(table.Entry))
                    {
                        diagnostics.Add(new DiagnosticInfo(DiagnosticIds.UnknownReference, $"table {table.Name}: entry format '{table.Entry}' is not a format of vendor {scope.Vendor}", table.EntrySpan));
                    }

                    continue;
                }

                if (table.Index.Width > 32)
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticIds.BadValue, $"table {table.Name}: an index of {table.Index.Width} bits is too wide (32 at most)", table.Span));
                    continue;
                }

                if (owner is not null)
                {
                    perFile[owner].Tables.Add(new ResolvedTable(table.Name, table.Entry, entry.Bits / 8, table.Id, table.Index, table.Doc, table.Source));
                }
            }

            foreach (var file in scope.Files)
            {
                var parts = perFile[file.Path];
                if (parts.IsEmpty)
                {
                    continue;
                }

                var baseName = System.IO.Path.GetFileNameWithoutExtension(file.Path);
                var hint = $"{scope.Vendor}.{baseName}.g.cs";
                for (var n = 2; !hintNames.Add(hint); n++)
                {
                    hint = $"{scope.Vendor}.{baseName}.{n}.g.cs";
                }

                outputs.Add(new FileOutput(hint, ns, scope.Vendor, DisplayPath(file.Path), parts.Enums.ToEquatableArray(), parts.Sets.ToEquatableArray(), parts.Formats.ToEquatableArray(), parts.Tables.ToEquatableArray()));
                registry.AddRange(parts.Formats.Select(f => new RegistryEntry("format", ns, f.Name)));
                registry.AddRange(parts.Sets.Select(s => new RegistryEntry("set", ns, s.Name)));
                registry.AddRange(parts.Tables.Select(t => new RegistryEntry("table", ns, t.Name)));
            }
        }
    }

    /// <summary>
    /// Every enum, format, set (<c>XSet</c>, <c>XKind</c>) and table (<c>XTable</c>) of a vendor becomes a type in one
    /// namespace: two that would get the same type name are HSG0009 here rather than CS0101 in the generated code.
    /// </summary>
    private static void CheckTypeNames(VendorScope scope, string ns, List<DiagnosticInfo> diagnostics)
    {
        var taken = new Dictionary<string, string>(StringComparer.Ordinal);
        void Claim(string type, string what, SourceSpan? span)
        {
            if (taken.TryGetValue(type, out var first))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.Duplicate, $"{what} would generate the type {ns}.{type}, which {first} generates too; rename one", span));
            }
            else
            {
                taken[type] = what;
            }
        }

        if (ns.EndsWith(".FormatRegistry", StringComparison.Ordinal))
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.Duplicate, $"vendor {scope.Vendor} would get the namespace {ns}, which clashes with the generated FormatRegistry class; rename the vendor or set 'namespace:'", scope.Files.FirstOrDefault()?.VendorSpan));
        }

        foreach (var name in scope.EffectiveNames(s => s.Enums))
        {
            Claim(name, $"enum {name}", scope.FindEnum(name)?.Span);
        }

        foreach (var name in scope.EffectiveNames(s => s.Sets))
        {
            var span = FindSet(scope, name)?.Span;
            Claim(name + "Set", $"set {name}", span);
            Claim(name + "Kind", $"set {name}", span);
        }

        foreach (var name in scope.EffectiveNames(s => s.Formats))
        {
            Claim(name, $"format {name}", FindFormatSpec(scope, name)?.Span);
        }

        foreach (var name in scope.EffectiveNames(s => s.Tables))
        {
            Claim(name + "Table", $"table {name}", FindTable(scope, name)?.Span);
        }
    }

    private static string DisplayPath(string path)
    {
        var p = path.Replace('\\', '/');
        var i = p.LastIndexOf("/specs/", StringComparison.Ordinal);
        return i >= 0 ? p.Substring(i + 1) : System.IO.Path.GetFileName(p);
    }

    private static SetSpec? FindSet(VendorScope scope, string name)
    {
        for (var s = scope; s is not null; s = s.Base)
        {
            if (s.Sets.TryGetValue(name, out var e))
            {
                return e.Spec;
            }
        }

        return null;
    }

    private static TableSpec? FindTable(VendorScope scope, string name)
    {
        for (var s = scope; s is not null; s = s.Base)
        {
            if (s.Tables.TryGetValue(name, out var e))
            {
                return e.Spec;
            }
        }

        return null;
    }

    private static ResolvedSet ResolveSet(SetSpec set, Dictionary<string, ResolvedFormat> formats, VendorScope scope, List<DiagnosticInfo> diagnostics)
    {
        var members = new List<ResolvedSetMember>();
        var byOpcode = new Dictionary<ulong, string>();
        foreach (var bit in set.Discriminator)
        {
            if (bit.Hi >= set.Bits)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.PastEnd, $"set {set.Name}: discriminator bits {bit} lie past its {set.Bits} bits", set.Span));
                return new ResolvedSet(set.Name, set.Bits, set.Discriminator, set.Unknown, set.Doc, set.Source, EquatableArray<ResolvedSetMember>.Empty);
            }
        }

        if (set.Discriminator.Sum(s => s.Width) > 64)
        {
            diagnostics.Add(new DiagnosticInfo(DiagnosticIds.TooWide, $"set {set.Name}: the discriminator is wider than 64 bits", set.Span));
            return new ResolvedSet(set.Name, set.Bits, set.Discriminator, set.Unknown, set.Doc, set.Source, EquatableArray<ResolvedSetMember>.Empty);
        }

        foreach (var f in formats.Values.Where(f => f.Set == set.Name).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var own = FindFormatSpec(scope, f.Name);
            var at = own?.SetSpan ?? own?.Span;
            if (f.Bits != set.Bits)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.SetMismatch, $"format {f.Name} has {f.Bits} bits but set {set.Name} holds {set.Bits}-bit entries", at));
                continue;
            }

            if (f.Name == "Unknown")
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.Duplicate, $"format Unknown cannot be a member of set {set.Name}: {set.Name}Kind.Unknown stands for an unknown opcode; rename the format", at));
                continue;
            }

            var disc = f.Fields.FirstOrDefault(x => x.Const is not null && x.Segments.Equals(set.Discriminator));
            if (disc is null)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.SetMismatch, $"format {f.Name} is in set {set.Name} but has no 'const' field on the discriminator bits {string.Join(", ", set.Discriminator)}; add e.g. {{ name: Opcode, bits: \"{set.Discriminator[0]}\", const: 0x… }}", at));
                continue;
            }

            if (byOpcode.TryGetValue(disc.Const!.Value, out var other))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.DuplicateOpcode, $"formats {other} and {f.Name} both use opcode 0x{disc.Const.Value:X} in set {set.Name}; each member needs its own", at));
                continue;
            }

            byOpcode[disc.Const.Value] = f.Name;
            members.Add(new ResolvedSetMember(f.Name, disc.Const.Value));
        }

        return new ResolvedSet(set.Name, set.Bits, set.Discriminator, set.Unknown, set.Doc, set.Source, members.OrderBy(m => m.Opcode).ToEquatableArray());
    }

    internal static FormatSpec? FindFormatSpec(VendorScope scope, string name)
    {
        for (var s = scope; s is not null; s = s.Base)
        {
            if (s.Formats.TryGetValue(name, out var e))
            {
                return e.Spec;
            }
        }

        return null;
    }

    private static Dictionary<string, VendorScope> BuildScopes(IEnumerable<SpecFile> files, List<DiagnosticInfo> diagnostics)
    {
        var scopes = new Dictionary<string, VendorScope>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!scopes.TryGetValue(file.Vendor, out var scope))
            {
                scopes[file.Vendor] = scope = new VendorScope(file.Vendor);
            }

            scope.Files.Add(file);
            if (file.Namespace is not null)
            {
                if (scope.NamespaceSuffix is not null && scope.NamespaceSuffix != file.Namespace)
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticIds.BadValue, $"vendor {file.Vendor} already uses namespace '{scope.NamespaceSuffix}'; every file of a vendor must agree", file.VendorSpan));
                }
                else
                {
                    scope.NamespaceSuffix = file.Namespace;
                }
            }

            if (file.Extends is not null)
            {
                if (scope.ExtendsFile is not null && scope.ExtendsFile.Extends != file.Extends)
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticIds.BadValue, $"vendor {file.Vendor} already extends '{scope.ExtendsFile.Extends}' in {DisplayPath(scope.ExtendsFile.Path)}", file.ExtendsSpan));
                }
                else
                {
                    scope.ExtendsFile ??= file;
                }
            }

            AddAll(scope.Formats, file.Formats, f => f.Name, f => f.Span, "format", file, diagnostics);
            AddAll(scope.Enums, file.Enums, e => e.Name, e => e.Span, "enum", file, diagnostics);
            AddAll(scope.Sets, file.Sets, s => s.Name, s => s.Span, "set", file, diagnostics);
            AddAll(scope.Tables, file.Tables, t => t.Name, t => t.Span, "table", file, diagnostics);
        }

        foreach (var scope in scopes.Values)
        {
            var ext = scope.ExtendsFile;
            if (ext is null)
            {
                continue;
            }

            if (!scopes.TryGetValue(ext.Extends!, out var baseScope))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.UnknownReference, $"vendor '{ext.Extends}' (extended by {scope.Vendor}) has no spec files; known vendors: {string.Join(", ", scopes.Keys.OrderBy(k => k, StringComparer.Ordinal))}", ext.ExtendsSpan));
                continue;
            }

            scope.Base = baseScope;
        }

        foreach (var scope in scopes.Values)
        {
            var seen = new HashSet<VendorScope>();
            for (var s = scope; s is not null; s = s.Base)
            {
                if (!seen.Add(s))
                {
                    diagnostics.Add(new DiagnosticInfo(DiagnosticIds.Cycle, $"vendor {scope.Vendor} extends itself through {string.Join(" → ", seen.Select(x => x.Vendor))}", scope.ExtendsFile?.ExtendsSpan));
                    scope.Base = null;
                    break;
                }
            }
        }

        return scopes;
    }

    private static void AddAll<T>(Dictionary<string, (T Spec, SpecFile File)> into, EquatableArray<T> items, Func<T, string> name, Func<T, SourceSpan> span, string what, SpecFile file, List<DiagnosticInfo> diagnostics)
        where T : IEquatable<T>
    {
        foreach (var item in items)
        {
            var n = name(item);
            if (into.TryGetValue(n, out var existing))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticIds.Duplicate, $"{what} '{n}' is declared twice for vendor {file.Vendor} (first in {DisplayPath(existing.File.Path)}); rename one, or use 'extends' to make a variant", span(item)));
                continue;
            }

            into[n] = (item, file);
        }
    }

    private sealed class FileParts
    {
        public List<ResolvedEnum> Enums { get; } = new();

        public List<ResolvedSet> Sets { get; } = new();

        public List<ResolvedFormat> Formats { get; } = new();

        public List<ResolvedTable> Tables { get; } = new();

        public bool IsEmpty => Enums.Count == 0 && Sets.Count == 0 && Formats.Count == 0 && Tables.Count == 0;
    }

    internal static bool IsReservedMemberName(string name) => ReservedMemberNames.Contains(name);
}
