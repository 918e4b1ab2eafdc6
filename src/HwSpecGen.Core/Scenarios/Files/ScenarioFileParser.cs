using System.Collections.Generic;
using System.Linq;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>
/// Parses and checks a scenario file: every key, type, reference, format, field and value is checked before anything
/// runs, and every problem becomes a <see cref="ScenarioDiagnostic"/> with file, line and column — never an exception.
/// </summary>
public static class ScenarioFileParser
{
    private static readonly string[] TopRequired = ["name", "vendor", "vms", "steps"];
    private static readonly string[] TopOptional = ["description"];
    private static readonly string[] VmRequired = ["name", "ram", "devices"];
    private static readonly string[] VmOptional = ["page-tables"];
    private static readonly string[] DeviceRequired = ["name", "id", "virtual-id"];
    private static readonly string[] DeviceOptional = ["ats", "pasid-bits"];

    /// <summary>Parses <paramref name="text"/>, naming the file <paramref name="path"/> in diagnostics.</summary>
    public static ScenarioParseResult Parse(string path, string text)
    {
        var reader = new ScenarioNodeReader(path);
        var root = YamlTreeReader.Read(path, text, reader.Diagnostics);
        if (root is null)
        {
            return new ScenarioParseResult(null, reader.Diagnostics);
        }

        var top = reader.Mapping(root, "a scenario file", TopRequired, TopOptional);
        if (top is null)
        {
            return new ScenarioParseResult(null, reader.Diagnostics);
        }

        var name = top.TryGetValue("name", out var n) ? reader.Text(n, "name") : null;
        if (top.TryGetValue("description", out var d))
        {
            reader.Text(d, "description");
        }

        ScenarioVendor? vendor = null;
        if (top.TryGetValue("vendor", out var v) && reader.Choice(v, "vendor", ScenarioVendors.All.Select(x => x.Key).ToArray()) is { } key)
        {
            vendor = ScenarioVendors.Find(key);
        }

        var vms = new List<ScenarioVmSpec>();
        if (top.TryGetValue("vms", out var vmsNode) && vendor is not null && reader.List(vmsNode, "vms") is { } vmItems)
        {
            var physicalIds = new HashSet<uint>();
            foreach (var item in vmItems)
            {
                if (Vm(reader, vendor, item, vms, physicalIds) is { } vm)
                {
                    vms.Add(vm);
                }
            }
        }

        var steps = new List<ScenarioStepSpec>();
        if (top.TryGetValue("steps", out var stepsNode) && vendor is not null && reader.List(stepsNode, "steps") is { } stepItems)
        {
            var context = new ScenarioStepParser(reader, vendor, vms);
            foreach (var item in stepItems)
            {
                if (context.Step(item) is { } step)
                {
                    steps.Add(step);
                }
            }
        }

        var diagnostics = reader.Diagnostics.OrderBy(x => x.Line).ThenBy(x => x.Column).ToList();
        return diagnostics.Count > 0 || name is null || vendor is null
            ? new ScenarioParseResult(null, diagnostics)
            : new ScenarioParseResult(new ScenarioFile(path, name, vendor.Key, vms, steps), diagnostics);
    }

    private static ScenarioVmSpec? Vm(ScenarioNodeReader reader, ScenarioVendor vendor, YamlNode node, List<ScenarioVmSpec> earlier, HashSet<uint> physicalIds)
    {
        var keys = reader.Mapping(node, "a VM", VmRequired, VmOptional);
        if (keys is null)
        {
            return null;
        }

        var name = keys.TryGetValue("name", out var n) ? reader.Name(n, "VM name") : null;
        if (name is not null && earlier.Any(e => e.Name == name))
        {
            reader.Error(n!, ScenarioErrors.Duplicate, $"there already is a VM named '{name}'");
            name = null;
        }

        var ram = keys.TryGetValue("ram", out var r) ? reader.Size(r, "ram") : null;
        if (ram is { } bytes && (bytes < 0x40_0000 || (bytes & 0x1F_FFFF) != 0))
        {
            reader.Error(r!, ScenarioErrors.BadValue, "'ram' must be a multiple of 2M and at least 4M");
            ram = null;
        }

        var devices = new List<ScenarioDevice>();
        if (keys.TryGetValue("devices", out var devNode) && reader.List(devNode, "devices") is { } items)
        {
            foreach (var item in items)
            {
                if (Device(reader, vendor, item, devices, physicalIds) is { } dev)
                {
                    devices.Add(dev);
                }
            }
        }

        var tables = new List<string>();
        if (keys.TryGetValue("page-tables", out var tNode) && reader.List(tNode, "page-tables") is { } tableItems)
        {
            foreach (var item in tableItems)
            {
                if (reader.Name(item, "page-table name") is not { } t)
                {
                    continue;
                }

                if (tables.Contains(t))
                {
                    reader.Error(item, ScenarioErrors.Duplicate, $"page table '{t}' is declared twice");
                    continue;
                }

                tables.Add(t);
            }
        }

        return name is null || ram is null || devices.Count == 0 ? null : new ScenarioVmSpec(name, ram.Value, devices, tables);
    }

    private static ScenarioDevice? Device(ScenarioNodeReader reader, ScenarioVendor vendor, YamlNode node, List<ScenarioDevice> earlier, HashSet<uint> physicalIds)
    {
        var keys = reader.Mapping(node, "a device", DeviceRequired, DeviceOptional);
        if (keys is null)
        {
            return null;
        }

        var name = keys.TryGetValue("name", out var n) ? reader.Name(n, "device name") : null;
        if (name is not null && earlier.Any(e => e.Name == name))
        {
            reader.Error(n!, ScenarioErrors.Duplicate, $"the VM already has a device named '{name}'");
            name = null;
        }

        var id = keys.TryGetValue("id", out var i) ? reader.Id(i, "id", 0xFFFF) : null;
        if (id is { } pid && !physicalIds.Add(pid))
        {
            reader.Error(i!, ScenarioErrors.Duplicate, $"physical ID 0x{pid:X4} is already given to another device");
            id = null;
        }

        var virtualMax = vendor.Key == "arm-smmuv3" ? 0xFFu : 0xFFFFu;
        var vid = keys.TryGetValue("virtual-id", out var vi) ? reader.Id(vi, "virtual-id", virtualMax) : null;
        if (vid is { } v && earlier.Any(e => e.VirtualId == v))
        {
            reader.Error(vi!, ScenarioErrors.Duplicate, $"virtual ID 0x{v:X4} is already used in this VM");
            vid = null;
        }

        var ats = !keys.TryGetValue("ats", out var a) || (reader.Flag(a, "ats") ?? true);
        int? pasidBits = null;
        if (keys.TryGetValue("pasid-bits", out var pb) && reader.Number(pb, "pasid-bits") is { } bits)
        {
            if (bits > 20)
            {
                reader.Error(pb, ScenarioErrors.BadValue, "'pasid-bits' is at most 20");
            }
            else
            {
                pasidBits = (int)bits;
            }
        }

        return name is null || id is null || vid is null ? null : new ScenarioDevice(name, id.Value, vid.Value, ats, pasidBits);
    }
}
