using System.Collections.Generic;
using System.Linq;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>Parses the <c>steps</c> of a scenario file against its vendor and VMs.</summary>
public sealed class ScenarioStepParser
{
    private static readonly string[] Kinds = ["phase", "stage2", "ioas-map", "ioas-unmap", "map", "unmap", "attach", "dma", "commands", "recover"];
    private static readonly string[] Common = ["note", "expect"];
    private readonly ScenarioNodeReader _reader;
    private readonly ScenarioVendor _vendor;
    private readonly IReadOnlyList<ScenarioVmSpec> _vms;
    private readonly ScenarioCommandParser _commands;

    /// <summary>Creates the parser for a file whose VMs are <paramref name="vms"/>.</summary>
    public ScenarioStepParser(ScenarioNodeReader reader, ScenarioVendor vendor, IReadOnlyList<ScenarioVmSpec> vms)
    {
        _reader = reader;
        _vendor = vendor;
        _vms = vms;
        _commands = new ScenarioCommandParser(reader, vendor);
    }

    /// <summary>Parses one step; null (with diagnostics) when it is wrong.</summary>
    public ScenarioStepSpec? Step(YamlNode node)
    {
        var keys = _reader.Mapping(node, "a step", [], [.. Kinds, .. Common]);
        if (keys is null)
        {
            return null;
        }

        var kinds = Kinds.Where(keys.ContainsKey).ToList();
        if (kinds.Count != 1)
        {
            _reader.Error(node, kinds.Count == 0 ? ScenarioErrors.MissingKey : ScenarioErrors.BadValue, kinds.Count == 0
                ? $"a step needs one of: {string.Join(", ", Kinds)}"
                : $"a step does one thing; this one has {string.Join(" and ", kinds.Select(k => $"'{k}'"))}");
            return null;
        }

        var kind = kinds[0];
        var body = keys[kind];
        var note = keys.TryGetValue("note", out var n) ? _reader.Text(n, "note") : null;
        if (kind == "phase")
        {
            if (keys.ContainsKey("expect") || n is not null)
            {
                _reader.Error(node, ScenarioErrors.BadExpectation, "a phase step only names the phase; put 'note' and 'expect' on the steps after it");
            }

            return _reader.Text(body, "phase") is { } phase ? new PhaseStep(node.Line, phase) : null;
        }

        var expect = keys.TryGetValue("expect", out var e) ? ScenarioExpectationParser.Parse(_reader, e, kind, _vms) : ScenarioExpectations.None;
        if (expect is null)
        {
            return null;
        }

        return kind switch
        {
            "stage2" => Stage2(body, node.Line, note, expect),
            "ioas-map" or "ioas-unmap" => Ioas(kind, body, node.Line, note, expect),
            "map" => Map(body, node.Line, note, expect),
            "unmap" => Unmap(body, node.Line, note, expect),
            "attach" => Attach(body, node.Line, note, expect),
            "dma" => Dma(body, node.Line, note, expect),
            "commands" => Commands(body, node.Line, note, expect),
            _ => Recover(body, node.Line, note, expect),
        };
    }

    private static bool Aligned(ulong value, int shift) => (value & ((1UL << shift) - 1)) == 0;

    private ScenarioStepSpec? Stage2(YamlNode body, int line, string? note, ScenarioExpectations expect)
    {
        var k = _reader.Mapping(body, "'stage2'", ["vm", "gpa"], ["access"]);
        if (k is null)
        {
            return null;
        }

        var vm = k.TryGetValue("vm", out var v) ? Vm(v) : null;
        var gpa = k.TryGetValue("gpa", out var g) ? _reader.Number(g, "gpa") : null;
        var access = k.TryGetValue("access", out var a) ? DmaAccess(a) : Access.Read;
        return vm is null || gpa is null || access is null ? null : new Stage2Step(line, note, expect, vm.Name, gpa.Value, access.Value);
    }

    private ScenarioStepSpec? Ioas(string kind, YamlNode body, int line, string? note, ScenarioExpectations expect)
    {
        var k = _reader.Mapping(body, $"'{kind}'", ["vm", "gpa", "size"], []);
        if (k is null)
        {
            return null;
        }

        var vm = k.TryGetValue("vm", out var v) ? Vm(v) : null;
        var gpa = k.TryGetValue("gpa", out var g) ? PageAligned(g, "gpa", 12, _reader.Number(g, "gpa")) : null;
        var size = k.TryGetValue("size", out var s) ? PageAligned(s, "size", 12, _reader.Size(s, "size")) : null;
        if (vm is null || gpa is null || size is null)
        {
            return null;
        }

        return kind == "ioas-map" ? new IoasMapStep(line, note, expect, vm.Name, gpa.Value, size.Value) : new IoasUnmapStep(line, note, expect, vm.Name, gpa.Value, size.Value);
    }

    private ScenarioStepSpec? Map(YamlNode body, int line, string? note, ScenarioExpectations expect)
    {
        var k = _reader.Mapping(body, "'map'", ["table", "iova", "gpa"], ["size", "page-size", "access"]);
        if (k is null)
        {
            return null;
        }

        var table = k.TryGetValue("table", out var t) ? Table(t) : null;
        var shift = 12;
        if (k.TryGetValue("page-size", out var ps))
        {
            var size = _reader.Size(ps, "page-size");
            switch (size)
            {
                case 0x1000: shift = 12; break;
                case 0x20_0000: shift = 21; break;
                case 0x4000_0000: shift = 30; break;
                case null: return null;
                default:
                    _reader.Error(ps, ScenarioErrors.BadValue, "'page-size' must be 4K, 2M or 1G");
                    return null;
            }
        }

        var iova = k.TryGetValue("iova", out var i) ? PageAligned(i, "iova", shift, _reader.Number(i, "iova")) : null;
        var gpa = k.TryGetValue("gpa", out var g) ? PageAligned(g, "gpa", shift, _reader.Number(g, "gpa")) : null;
        var bytes = k.TryGetValue("size", out var s) ? PageAligned(s, "size", shift, _reader.Size(s, "size")) : 1UL << shift;
        Access? access = Access.ReadWrite;
        if (k.TryGetValue("access", out var a))
        {
            access = _reader.Choice(a, "access", "read-write", "read-only") switch
            {
                "read-write" => Access.ReadWrite,
                "read-only" => Access.Read,
                _ => null,
            };
        }

        if (table is null || iova is null || gpa is null || bytes is null || access is null)
        {
            return null;
        }

        var vm = _vms.First(x => x.Name == table.Value.Vm);
        var (lo, hi) = _vendor.GuestTables(vm.RamBytes);
        if (gpa < hi && gpa + bytes > lo)
        {
            _reader.Error(g!, ScenarioErrors.Misaligned, $"GPA range 0x{gpa:X}+0x{bytes:X} overlaps [0x{lo:X}, 0x{hi:X}), where the {_vendor.Key} guest kernel keeps its own tables and queues in a VM with 0x{vm.RamBytes:X} bytes of RAM");
            return null;
        }

        return new MapStep(line, note, expect, table.Value.Vm, table.Value.Name, iova.Value, gpa.Value, bytes.Value, shift, access.Value);
    }

    private ScenarioStepSpec? Unmap(YamlNode body, int line, string? note, ScenarioExpectations expect)
    {
        var k = _reader.Mapping(body, "'unmap'", ["table", "iova"], ["size"]);
        if (k is null)
        {
            return null;
        }

        var table = k.TryGetValue("table", out var t) ? Table(t) : null;
        var iova = k.TryGetValue("iova", out var i) ? PageAligned(i, "iova", 12, _reader.Number(i, "iova")) : null;
        var size = k.TryGetValue("size", out var s) ? PageAligned(s, "size", 12, _reader.Size(s, "size")) : 0x1000;
        return table is null || iova is null || size is null ? null : new UnmapStep(line, note, expect, table.Value.Vm, table.Value.Name, iova.Value, size.Value);
    }

    private ScenarioStepSpec? Attach(YamlNode body, int line, string? note, ScenarioExpectations expect)
    {
        var k = _reader.Mapping(body, "'attach'", ["device", "table", "domain-id"], ["pasid"]);
        if (k is null)
        {
            return null;
        }

        var device = k.TryGetValue("device", out var d) ? Device(d) : null;
        var table = k.TryGetValue("table", out var t) ? Table(t) : null;
        var domain = k.TryGetValue("domain-id", out var di) ? _reader.Number(di, "domain-id") : null;
        if (domain > 0xFFFF)
        {
            _reader.Error(di!, ScenarioErrors.BadValue, "'domain-id' is at most 0xFFFF (VT-d DID, AMD DomainID, SMMU ASID)");
            domain = null;
        }

        var pasid = k.TryGetValue("pasid", out var p) ? Pasid(p) : (true, null);
        if (device is null || table is null || domain is null || !pasid.Ok)
        {
            return null;
        }

        if (device.Value.Vm != table.Value.Vm)
        {
            _reader.Error(t!, ScenarioErrors.BadValue, $"table '{table.Value.Vm}/{table.Value.Name}' is in another VM than device '{device.Value.Vm}/{device.Value.Name}'");
            return null;
        }

        return new AttachStep(line, note, expect, device.Value.Vm, device.Value.Name, table.Value.Name, domain.Value, pasid.Value);
    }

    private ScenarioStepSpec? Dma(YamlNode body, int line, string? note, ScenarioExpectations expect)
    {
        var k = _reader.Mapping(body, "'dma'", ["device", "iova", "access"], ["pasid"]);
        if (k is null)
        {
            return null;
        }

        var device = k.TryGetValue("device", out var d) ? Device(d) : null;
        var iova = k.TryGetValue("iova", out var i) ? _reader.Number(i, "iova") : null;
        var access = k.TryGetValue("access", out var a) ? DmaAccess(a) : null;
        var pasid = k.TryGetValue("pasid", out var p) ? Pasid(p) : (true, null);
        return device is null || iova is null || access is null || !pasid.Ok ? null : new DmaStep(line, note, expect, device.Value.Vm, device.Value.Name, iova.Value, access.Value, pasid.Value);
    }

    private ScenarioStepSpec? Commands(YamlNode body, int line, string? note, ScenarioExpectations expect)
    {
        var k = _reader.Mapping(body, "'commands'", ["vm", "submit"], ["wait"]);
        if (k is null)
        {
            return null;
        }

        var vm = k.TryGetValue("vm", out var v) ? Vm(v) : null;
        var wait = !k.TryGetValue("wait", out var w) || (_reader.Flag(w, "wait") ?? true);
        var commands = new List<ScenarioCommand>();
        var ok = true;
        if (k.TryGetValue("submit", out var s))
        {
            if (s.Kind == YamlNodeKind.Sequence && s.Items.Count == 0)
            {
                // An empty list is allowed: the step then only sends the completion.
            }
            else if (_reader.List(s, "submit") is { } items)
            {
                foreach (var item in items)
                {
                    var c = _commands.Command(item);
                    ok &= c is not null;
                    if (c is not null)
                    {
                        commands.Add(c);
                    }
                }
            }
            else
            {
                ok = false;
            }
        }

        if (expect.Completes is not null && !wait)
        {
            _reader.Error(w!, ScenarioErrors.BadExpectation, "'completes' needs the completion: drop 'wait: false'");
            return null;
        }

        return vm is null || !ok ? null : new CommandsStep(line, note, expect, vm.Name, commands, wait);
    }

    private ScenarioStepSpec? Recover(YamlNode body, int line, string? note, ScenarioExpectations expect)
    {
        var k = _reader.Mapping(body, "'recover'", ["vm"], []);
        var vm = k is not null && k.TryGetValue("vm", out var v) ? Vm(v) : null;
        return vm is null ? null : new RecoverStep(line, note, expect, vm.Name);
    }

    private ulong? PageAligned(YamlNode node, string key, int shift, ulong? value)
    {
        if (value is { } x && !Aligned(x, shift))
        {
            _reader.Error(node, ScenarioErrors.Misaligned, $"'{key}' 0x{x:X} is not a multiple of the page size 0x{1UL << shift:X}");
            return null;
        }

        return value;
    }

    private Access? DmaAccess(YamlNode node) => _reader.Choice(node, "access", "read", "write") switch
    {
        "read" => Access.Read,
        "write" => Access.Write,
        _ => null,
    };

    private (bool Ok, uint? Value) Pasid(YamlNode node)
    {
        var value = _reader.Number(node, "pasid");
        if (value is null)
        {
            return (false, null);
        }

        if (value > _vendor.MaxPasid)
        {
            _reader.Error(node, ScenarioErrors.BadValue, $"'pasid' is at most 0x{_vendor.MaxPasid:X} for {_vendor.Key}");
            return (false, null);
        }

        return (true, (uint)value);
    }

    private ScenarioVmSpec? Vm(YamlNode node)
    {
        var name = _reader.Text(node, "vm");
        if (name is null)
        {
            return null;
        }

        var vm = _vms.FirstOrDefault(v => v.Name == name);
        if (vm is null)
        {
            _reader.Error(node, ScenarioErrors.UnknownReference, $"no VM named '{name}'; VMs: {string.Join(", ", _vms.Select(v => v.Name))}");
        }

        return vm;
    }

    private (string Vm, string Name)? Device(YamlNode node) => Reference(node, "device", vm => vm.Devices.Select(d => d.Name).ToList());

    private (string Vm, string Name)? Table(YamlNode node) => Reference(node, "table", vm => vm.PageTables);

    private (string Vm, string Name)? Reference(YamlNode node, string what, System.Func<ScenarioVmSpec, IReadOnlyList<string>> names)
    {
        var text = _reader.Text(node, what);
        if (text is null)
        {
            return null;
        }

        var slash = text.IndexOf('/', System.StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            _reader.Error(node, ScenarioErrors.BadValue, $"'{what}' is written VM/name, e.g. A/{(what == "table" ? "t1" : "nic")}; got '{text}'");
            return null;
        }

        var vmName = text[..slash];
        var name = text[(slash + 1)..];
        var vm = _vms.FirstOrDefault(v => v.Name == vmName);
        if (vm is null)
        {
            _reader.Error(node, ScenarioErrors.UnknownReference, $"no VM named '{vmName}' (in {what} '{text}'); VMs: {string.Join(", ", _vms.Select(v => v.Name))}");
            return null;
        }

        if (!names(vm).Contains(name))
        {
            var known = names(vm);
            _reader.Error(node, ScenarioErrors.UnknownReference, $"VM '{vmName}' has no {what} named '{name}'; {(known.Count == 0 ? "it declares none" : "it has " + string.Join(", ", known))}");
            return null;
        }

        return (vmName, name);
    }
}
