#!/usr/bin/env bash
# Builds the optional C baseline (benchmarks/native/build/libhsgbench.so) with g++ -O2, or cc -O2 when g++ is
# missing. Without it the *_C benchmarks are skipped with a message; the C# benchmarks run either way.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build
if command -v g++ >/dev/null 2>&1; then
  cc=(g++ -x c++)
elif command -v cc >/dev/null 2>&1; then
  cc=(cc -x c)
else
  echo "native: no g++ or cc; the C baseline will be skipped" >&2
  exit 1
fi
"${cc[@]}" -O2 -std=gnu++17 -fPIC -shared -fvisibility=hidden -o build/libhsgbench.so hsgbench.c 2>/dev/null \
  || "${cc[@]}" -O2 -fPIC -shared -fvisibility=hidden -o build/libhsgbench.so hsgbench.c
echo "native: built $(pwd)/build/libhsgbench.so with ${cc[0]} -O2 ($("${cc[0]}" --version | head -1))"
