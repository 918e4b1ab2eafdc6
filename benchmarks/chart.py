#!/usr/bin/env python3
"""Turns BenchmarkDotNet's CSV exports into benchmarks/results/summary.md and chart.svg (ratios vs baseline).

Usage: chart.py RESULTS_DIR   (reads RESULTS_DIR/csv/*-report.csv, memory.csv, walks.csv, generator.csv)
Standard library only: no plotting package is needed.
"""
import csv
import glob
import html
import math
import os
import re
import sys

UNITS_NS = {"ps": 1e-3, "ns": 1.0, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
UNITS_B = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}


def number(text):
    text = (text or "").strip().replace(",", "")
    m = re.match(r"^([-0-9.eE]+)\s*(\S*)$", text)
    if not m:
        return None
    value = float(m.group(1))
    unit = m.group(2)
    if unit in UNITS_NS:
        return value * UNITS_NS[unit]
    if unit in UNITS_B:
        return value * UNITS_B[unit]
    return value


def params(r):
    """The benchmark parameters of a CSV row as one label: the vendor, then how many entries were cached when not 0."""
    label = r.get("Vendor", "")
    cached = r.get("Cached", "")
    if cached not in ("", "0"):
        label = f"{label}, {int(cached):,} cached".lstrip(", ")
    return label


def load(results):
    rows = []
    for path in sorted(glob.glob(os.path.join(results, "csv", "*-report.csv"))):
        cls = os.path.basename(path).replace("-report.csv", "").split(".")[-1]
        with open(path, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                rows.append({
                    "class": cls,
                    "method": r["Method"],
                    "category": r.get("Categories", "") or cls,
                    "vendor": params(r),
                    "mean": number(r["Mean"]),
                    "error": number(r.get("Error")),
                    "ratio": number(r.get("Ratio")),
                    "alloc": number(r.get("Allocated")) or 0.0,
                })
    return rows


def fmt_ns(ns):
    if ns is None:
        return "n/a"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.2f} ns"


def codec_rows(rows):
    """(category, generated ns, hand-written ns, C ns) per codec category."""
    out = []
    cats = []
    for r in rows:
        if r["method"].endswith(("_Generated", "_HandWritten", "_C")) and r["category"] not in cats:
            cats.append(r["category"])
    for cat in cats:
        by = {r["method"].rsplit("_", 1)[1]: r for r in rows if r["category"] == cat}
        g, h, c = by.get("Generated"), by.get("HandWritten"), by.get("C")
        if g and h:
            out.append((cat, g, h, c))
    return out


def write_summary(results, rows):
    lines = ["# Results", ""]
    codec = codec_rows(rows)
    if codec:
        lines += ["## Decode / validate / encode / dispatch (per entry)", "",
                  "| format, operation | generated | hand-written C# | C (g++ -O2) | generated / C# | generated / C | allocated |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for cat, g, h, c in codec:
            vs_h = g["mean"] / h["mean"]
            vs_c = g["mean"] / c["mean"] if c else None
            lines.append(f"| {cat} | {fmt_ns(g['mean'])} | {fmt_ns(h['mean'])} | {fmt_ns(c['mean']) if c else 'skipped'} | "
                         f"{vs_h:.2f}× {'✅' if vs_h <= 1.1 else '❌'} | "
                         f"{(f'{vs_c:.2f}× ' + ('✅' if vs_c <= 1.5 else '❌')) if vs_c else 'n/a'} | {g['alloc']:.0f} B |")
        lines.append("")
    others = [r for r in rows if not r["method"].endswith(("_Generated", "_HandWritten", "_C"))]
    for cls in dict.fromkeys(r["class"] for r in others):
        lines += [f"## {cls}", "", "| benchmark | parameters | mean | ratio | allocated |", "|---|---|---:|---:|---:|"]
        for r in (x for x in others if x["class"] == cls):
            ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else ""
            lines.append(f"| {r['method']} | {r['vendor']} | {fmt_ns(r['mean'])} | {ratio} | {r['alloc']:.0f} B |")
        lines.append("")
    for name, title in (("memory.csv", "Memory (TranslationCache)"), ("walks.csv", "Table reads of one full miss"), ("generator.csv", "Generator")):
        path = os.path.join(results, name)
        if os.path.exists(path):
            with open(path, newline="", encoding="utf-8") as f:
                table = list(csv.reader(f))
            lines += [f"## {title}", "", "| " + " | ".join(table[0]) + " |", "|" + "---|" * len(table[0])]
            lines += ["| " + " | ".join(row) + " |" for row in table[1:]]
            lines.append("")
    with open(os.path.join(results, "summary.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def bar_chart(title, items, goals, width=900, log=False):
    """items: list of (label, [(value, colour, legend)]); returns SVG fragment and height. log: log10 axis from 0.01."""
    row_h, bar_h, left, top = 26, 9, 330, 62
    values = [v for _, bars in items for v, _, _ in bars if v is not None] + [g for g, _ in goals] + [1.0]
    plot_w = width - left - 30
    if log:
        lo, hi = -2.0, math.ceil(math.log10(max(values) * 1.5))
        x = lambda v: left + plot_w * (min(max(math.log10(max(v, 1e-9)), lo), hi) - lo) / (hi - lo)
        ticks = [10 ** e for e in range(int(lo), int(hi) + 1)]
    else:
        vmax = max(values) * 1.08
        x = lambda v: left + plot_w * v / vmax
        step = 0.5 if vmax <= 6 else (1 if vmax <= 12 else 5)
        ticks = [i * step for i in range(int(vmax / step) + 1)]
    h = top + row_h * len(items) + 40
    parts = [f'<text x="10" y="22" font-size="15" font-weight="bold">{html.escape(title)}</text>']
    for t in ticks:
        parts.append(f'<line x1="{x(t):.1f}" y1="{top - 6}" x2="{x(t):.1f}" y2="{top + row_h * len(items)}" stroke="#ddd"/>')
        parts.append(f'<text x="{x(t):.1f}" y="{top + row_h * len(items) + 14}" font-size="10" text-anchor="middle">{t:g}×</text>')
    for i, (label, bars) in enumerate(items):
        y = top + i * row_h
        parts.append(f'<text x="{left - 8}" y="{y + 12}" font-size="11" text-anchor="end">{html.escape(label)}</text>')
        for j, (v, colour, _) in enumerate(bars):
            if v is None:
                continue
            parts.append(f'<rect x="{left}" y="{y + j * (bar_h + 1)}" width="{max(1.0, x(v) - left):.1f}" height="{bar_h}" fill="{colour}"/>')
            parts.append(f'<text x="{x(v) + 4:.1f}" y="{y + j * (bar_h + 1) + 8}" font-size="9">{v:.2f}</text>')
    for k, (g, label) in enumerate(goals):
        parts.append(f'<line x1="{x(g):.1f}" y1="{top - 10 - 12 * k}" x2="{x(g):.1f}" y2="{top + row_h * len(items)}" stroke="#c00" stroke-dasharray="4,3"/>')
        parts.append(f'<text x="{x(g) + 3:.1f}" y="{top - 12 - 12 * k}" font-size="10" fill="#c00">{html.escape(label)}</text>')
    legend = {}
    for _, bars in items:
        for _, colour, name in bars:
            legend[name] = colour
    lx = left
    for name, colour in legend.items():
        parts.append(f'<rect x="{lx}" y="{h - 18}" width="10" height="10" fill="{colour}"/><text x="{lx + 14}" y="{h - 9}" font-size="11">{html.escape(name)}</text>')
        lx += 24 + 7 * len(name)
    return parts, h


def write_chart(results, rows):
    sections = []
    codec = codec_rows(rows)
    if codec:
        items = [(cat, [(g["mean"] / h["mean"], "#3b6ea5", "generated / hand-written C#"),
                        (g["mean"] / c["mean"] if c else None, "#e0a030", "generated / C (g++ -O2)")]) for cat, g, h, c in codec]
        sections.append(bar_chart("Generated codecs: time ratio vs baselines (lower is better)", items, [(1.1, "1.1× goal vs C#"), (1.5, "1.5× goal vs C")]))
    others = [r for r in rows if not r["method"].endswith(("_Generated", "_HandWritten", "_C")) and r["ratio"] is not None]
    if others:
        items = [(f"{r['class'].replace('Benchmarks', '')}: {r['method']}{(' ' + r['vendor']) if r['vendor'] else ''}",
                  [(r["ratio"], "#5a9e5a", "ratio vs the class's baseline")]) for r in others]
        sections.append(bar_chart("Other benchmarks: ratio vs the class's baseline (log scale)", items, [(1.0, "baseline")], log=True))
    y = 0
    body = []
    for parts, h in sections:
        body.append(f'<g transform="translate(0,{y})">' + "".join(parts) + "</g>")
        y += h + 10
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="900" height="{y}" font-family="sans-serif">'
           f'<rect width="100%" height="100%" fill="white"/>' + "".join(body) + "</svg>\n")
    with open(os.path.join(results, "chart.svg"), "w", encoding="utf-8") as f:
        f.write(svg)


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "results")
    rows = load(results)
    if not rows:
        print(f"chart.py: no BenchmarkDotNet CSV under {results}/csv", file=sys.stderr)
        return 1
    write_summary(results, rows)
    write_chart(results, rows)
    print(f"chart.py: {len(rows)} benchmarks -> {results}/summary.md, {results}/chart.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
