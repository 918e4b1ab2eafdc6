using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HwSpecGen.Core.Translation;

namespace HwSpecGen.Core.Scenarios.Files;

/// <summary>Runs a parsed scenario file on its vendor's <see cref="IScenarioWorld"/> and reports every expectation.</summary>
public sealed class ScenarioFileRunner
{
    private readonly ScenarioFile _file;
    private readonly ScenarioRecorder _rec;
    private readonly Dictionary<string, IScenarioVm> _vms = new();
    private readonly Dictionary<(string Vm, string Table), IScenarioPageTable> _tables = new();
    private readonly ScenarioGuestView _view = new();
    private readonly ScenarioExpectationChecker _checker;

    private ScenarioFileRunner(ScenarioFile file, ScenarioRecorder rec)
    {
        _file = file;
        _rec = rec;
        _checker = new ScenarioExpectationChecker(rec, _vms, _view);
    }

    /// <summary>Runs <paramref name="file"/>; with <paramref name="trace"/> every walk step, command and step action is kept.</summary>
    public static ScenarioReport Run(ScenarioFile file, bool trace)
    {
        var rec = new ScenarioRecorder(trace);
        new ScenarioFileRunner(file, rec).Execute();
        return rec.Report(file.Name, file.Vendor);
    }

    private static string Hex(ulong v) => string.Create(CultureInfo.InvariantCulture, $"0x{v:X}");

    private void Execute()
    {
        var world = (ScenarioVendors.Find(_file.Vendor) ?? throw new InvalidOperationException($"unknown vendor {_file.Vendor}")).Create();
        world.TraceInto(_rec);
        var line = 0;
        try
        {
            foreach (var spec in _file.Vms)
            {
                var vm = world.CreateVm(spec.Name, spec.RamBytes, spec.Devices);
                _vms[spec.Name] = vm;
                foreach (var t in spec.PageTables)
                {
                    _tables[(spec.Name, t)] = vm.NewPageTable();
                }
            }

            foreach (var step in _file.Steps)
            {
                line = step.Line;
                Step(step);
            }
        }
        catch (Exception e)
        {
            _rec.Check(false, "the scenario runs to the end", $"line {line}: threw {e.GetType().Name}: {e.Message}");
        }

        if (_rec.Report(_file.Name, _file.Vendor).Steps.Count == 0)
        {
            _rec.Check(true, "the scenario ran (it has no expectations)", $"{_file.Steps.Count} step(s)");
        }
    }

    private void Step(ScenarioStepSpec step)
    {
        switch (step)
        {
            case PhaseStep ph:
                _rec.Phase = ph.Name;
                return;
            case Stage2Step s:
                var walk = _vms[s.Vm].WalkStage2(s.Gpa, s.Access);
                _checker.Translation(s, $"line {s.Line}: walk {s.Vm}'s stage 2 for GPA {Hex(s.Gpa)} ({s.Access})", walk, s.Vm, null);
                break;
            case IoasMapStep m:
                var mapped = _vms[m.Vm].IoasMap(m.Gpa, m.Size);
                _view.IoasMap(m.Vm, m.Gpa, m.Size);
                Action(m, mapped.IsOk, $"IOMMU_IOAS_MAP of GPA {Hex(m.Gpa)}+{Hex(m.Size)} in {m.Vm}: {mapped}");
                break;
            case IoasUnmapStep u:
                var unmapped = _vms[u.Vm].IoasUnmap(u.Gpa, u.Size);
                _view.IoasUnmap(u.Vm, u.Gpa, u.Size);
                Action(u, unmapped.IsOk, $"IOMMU_IOAS_UNMAP of GPA {Hex(u.Gpa)}+{Hex(u.Size)} in {u.Vm}: {unmapped}");
                break;
            case MapStep m:
                var table = _tables[(m.Vm, m.Table)];
                for (ulong at = 0; at < m.Size; at += 1UL << m.PageShift)
                {
                    table.MapPage(m.Iova + at, m.Gpa + at, m.PageShift, m.Access);
                    _view.Map(m.Vm, m.Table, m.Iova + at, m.Gpa + at, m.PageShift, m.Access);
                }

                Action(m, true, $"guest of {m.Vm} maps IOVA {Hex(m.Iova)}+{Hex(m.Size)} → GPA {Hex(m.Gpa)} in {m.Table} ({1UL << (m.PageShift - 10)} KiB pages, {m.Access})");
                break;
            case UnmapStep u:
                var cleared = 0;
                for (ulong at = 0; at < u.Size; at += 0x1000)
                {
                    cleared += _tables[(u.Vm, u.Table)].UnmapPage(u.Iova + at) ? 1 : 0;
                }

                _view.Unmap(u.Vm, u.Table, u.Iova, u.Size);
                Action(u, true, $"guest of {u.Vm} clears the entries for IOVA {Hex(u.Iova)}+{Hex(u.Size)} in {u.Table} ({cleared} leaf entr{(cleared == 1 ? "y" : "ies")}), no invalidation");
                break;
            case AttachStep a:
                var done = _vms[a.Vm].Attach(a.Device, _tables[(a.Vm, a.Table)], a.DomainId, a.Pasid);
                _view.Attach(a.Vm, a.Device, a.Pasid, a.Table);
                var what = $"guest attaches {a.Vm}/{a.Device}{(a.Pasid is { } p ? $" PASID {p}" : string.Empty)} to {a.Table} (domain {Hex(a.DomainId)})";
                if (a.Expect.Completes is null)
                {
                    Action(a, done, what);
                }

                _checker.Completion(a, $"line {a.Line}: {what}", done, null, null, string.Empty);
                break;
            case DmaStep d:
                Dma(d);
                break;
            case CommandsStep c:
                var outcome = _vms[c.Vm].Submit(c.Commands.Select(x => x.Bytes).ToList(), c.Wait);
                var decoded = string.Join("; ", c.Commands.Select(x => x.Decoded));
                foreach (var x in c.Commands)
                {
                    _rec.TraceLine($"line {c.Line}: guest {c.Vm} queues {x.Decoded}");
                }

                var text = $"line {c.Line}: guest {c.Vm} queues {c.Commands.Count} command(s){(c.Wait ? " + completion" : string.Empty)}, doorbell → {(outcome.Completed ? "completed" : "not completed")}{(outcome.Error is null ? string.Empty : ", " + outcome.Error)}; {outcome.Detail}";
                if (!c.Expect.Any)
                {
                    _rec.TraceLine(text);
                }

                _checker.Completion(c, text, outcome.Completed, outcome.Error, outcome.ErrorInfo, decoded);
                break;
            case RecoverStep r:
                _vms[r.Vm].RecoverQueue();
                Action(r, true, $"guest {r.Vm} acknowledges the command error and restarts its queue");
                break;
        }

        if (step.Expect.VmUntouched is { } other)
        {
            _checker.Untouched(step, other);
        }
    }

    private void Dma(DmaStep d)
    {
        var device = _vms[d.Vm].Device(d.Device);
        var buffer = new byte[4];
        var expectedGpa = _view.CurrentGpa(d.Vm, d.Device, d.Pasid, d.Iova, d.Access);
        TranslationResult result;
        if (d.Access == Access.Write)
        {
            buffer.AsSpan().Fill(0x5A);
            result = device.Write(d.Iova, d.Pasid, buffer);
        }
        else
        {
            result = device.Read(d.Iova, d.Pasid, buffer);
        }

        var what = $"line {d.Line}: {d.Vm}/{d.Device} {(d.Access == Access.Write ? "writes" : "reads")} IOVA {Hex(d.Iova)}{(d.Pasid is { } p ? $" PASID {p}" : string.Empty)} → {result}";
        _checker.Translation(d, what, result, d.Vm, expectedGpa);
        _checker.Remember(d, result);
    }

    private void Action(ScenarioStepSpec step, bool ok, string text)
    {
        var line = $"line {step.Line}: {text}";
        if (!ok)
        {
            _rec.Check(false, step.Note ?? "the step succeeds", line);
        }
        else
        {
            _rec.TraceLine(line);
        }
    }
}
