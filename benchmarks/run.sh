#!/usr/bin/env bash
# Runs every benchmark and measurement and writes benchmarks/results/:
#   csv/*.csv       BenchmarkDotNet's CSV exports (one per benchmark class), md/ the GitHub-markdown tables
#   memory.csv      bytes per IOTLB entry, 1 M cached translations          (HwSpecGen.Benchmarks memory)
#   walks.csv       table reads of one full nested miss per vendor           (HwSpecGen.Benchmarks walks)
#   generator.csv, generator-incremental.md   generator time, run reasons after a one-file edit (… generator)
#   summary.md, chart.svg                      made from the CSVs by chart.py
#   machine.txt     lscpu, nproc, free -h, dotnet --info, g++ --version
# Usage: benchmarks/run.sh [BenchmarkDotNet options, e.g. --filter '*Ste*']
# Needs only the .NET SDK; g++ (for the optional C baseline) and python3 (for the chart) are used when present.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out=benchmarks/results
mkdir -p "$out"

echo "== C baseline (optional)"
bash benchmarks/native/build.sh || echo "native: not built; the *_C benchmarks will be skipped"

echo "== build"
dotnet build benchmarks/HwSpecGen.Benchmarks -c Release -v quiet -nologo
bench=(dotnet benchmarks/HwSpecGen.Benchmarks/bin/Release/net10.0/HwSpecGen.Benchmarks.dll)

echo "== machine"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc: $(nproc)"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  lscpu | grep -E 'Model name|Architecture|^CPU\(s\)|Thread|Core|Socket|L1d|L2|L3|MHz|Hypervisor' || true
  free -h
  dotnet --version
  (g++ --version 2>/dev/null | head -1) || echo "g++: not found"
} | tee "$out/machine.txt"

echo "== selfcheck (implementations agree; every benchmark runs once)"
"${bench[@]}" selfcheck

echo "== memory"
"${bench[@]}" memory --out "$out"

echo "== walks"
"${bench[@]}" walks --out "$out"

echo "== generator"
"${bench[@]}" generator --out "$out"

echo "== BenchmarkDotNet (short runs)"
artifacts=$(mktemp -d)
subset=1
if [ $# -eq 0 ]; then set -- --filter '*'; subset=0; fi
"${bench[@]}" --artifacts "$artifacts" "$@"
mkdir -p "$out/csv" "$out/md"
# a full run replaces every class's results; a subset (--filter …) replaces only the classes it ran
if [ "$subset" -eq 0 ]; then rm -f "$out"/csv/*.csv "$out"/md/*.md; fi
cp "$artifacts"/results/*-report.csv "$out/csv/"
cp "$artifacts"/results/*-report-github.md "$out/md/"
rm -rf "$artifacts"

echo "== chart"
if command -v python3 >/dev/null 2>&1; then
  python3 benchmarks/chart.py "$out"
else
  echo "python3 not found: no summary.md/chart.svg"
fi
