#!/usr/bin/env bash
# Coverage-guided fuzzing of the generated decoders and of the guest-queue processors of the invalidation core
# with AFL++ and SharpFuzz (see fuzz/README.md).
#
#   fuzz/run.sh [-V SECONDS] [-j JOBS | -M NAME | -S NAME] [-o DIR] [TARGET...]   campaign (default: every target, 300 s each)
#   fuzz/run.sh --replay [TARGET...]    replay fuzz/corpus and the regression inputs through the plain harness, no AFL
#   fuzz/run.sh --seed                  rewrite the seed files of fuzz/corpus/<target>/ from the generated encoders
#   fuzz/run.sh --minimize [TARGET...]  afl-cmin the campaign's queue into fuzz/corpus/<target>/ (commit the result)
#   fuzz/run.sh --ci [-V SECONDS]       what CI runs: --replay, then a short campaign (default 30 s per target)
#   fuzz/run.sh --list                  the targets
#
# Spreading one campaign: -j N runs N local afl-fuzz instances per target (one -M main, N-1 -S secondaries) on
# the same output folder. Over several machines, give every machine the same -o folder on a shared file system
# (or rsync the instance folders between them) and start one with -M main and the others with -S <unique name>.
# Exit status: 0 fine, 1 a crash was found or a replayed input failed, 2 usage or setup error.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fuzz="$root/fuzz"
work="${HWSPEC_FUZZ_WORK:-$fuzz/.work}"
tools="$fuzz/.tools"
harness_project="$fuzz/HwSpecGen.Fuzz.Harness/HwSpecGen.Fuzz.Harness.csproj"
sharpfuzz_version=2.3.0
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

mode=campaign
seconds=""
jobs=1
role=""
out=""
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    -V|--seconds) seconds="$2"; shift 2 ;;
    -j|--jobs) jobs="$2"; shift 2 ;;
    -M) role="-M $2"; shift 2 ;;
    -S) role="-S $2"; shift 2 ;;
    -o|--output) out="$2"; shift 2 ;;
    --replay) mode=replay; shift ;;
    --seed) mode=seed; shift ;;
    --minimize) mode=minimize; shift ;;
    --ci) mode=ci; shift ;;
    --list) mode=list; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (--help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
out="${out:-$work/findings}"

log() { printf '== %s\n' "$*"; }

# The plain (uninstrumented) harness: replay, seeds, target list.
# CI has just built the solution in Debug: --ci publishes that build instead of compiling a Release one.
configuration=Release
build_plain() {
  if [ "$configuration" = Debug ] && dotnet publish "$harness_project" -c Debug --no-build -o "$work/plain" --nologo -v quiet >/dev/null 2>&1; then
    log "harness: the solution's Debug build"
    return 0
  fi
  log "build the harness ($configuration)"
  dotnet publish "$harness_project" -c "$configuration" -o "$work/plain" --nologo -v quiet >/dev/null
}

plain() { dotnet "$work/plain/HwSpecGen.Fuzz.Harness.dll" "$@"; }

all_targets() { plain list | cut -f1; }

pick_targets() {
  if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(all_targets)
  fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

install_afl() {
  if command -v afl-fuzz >/dev/null; then return 0; fi
  log "install AFL++ from Debian's packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++ >/dev/null
}

install_sharpfuzz() {
  if [ -x "$tools/sharpfuzz" ]; then return 0; fi
  log "install the SharpFuzz CLI $sharpfuzz_version into fuzz/.tools"
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version "$sharpfuzz_version" >/dev/null
}

# A copy of the plain harness whose generated code, runtime and invalidation core (the guest-queue targets)
# carry SharpFuzz's AFL instrumentation.
build_instrumented() {
  log "instrument HwSpecGen.Hardware.dll, HwSpecGen.Runtime.dll and HwSpecGen.Core.dll"
  rm -rf "$work/afl"
  cp -r "$work/plain" "$work/afl"
  for dll in HwSpecGen.Hardware.dll HwSpecGen.Runtime.dll HwSpecGen.Core.dll; do
    "$tools/sharpfuzz" "$work/afl/$dll" >/dev/null
  done
}

# Inputs for one target: the seeds the encoders write now plus the committed corpus.
prepare_inputs() {
  local t="$1"
  rm -rf "$work/in/$t"
  mkdir -p "$work/in/$t"
  cp "$work/seeds/$t"/* "$work/in/$t/"
  if [ -d "$fuzz/corpus/$t" ]; then
    find "$fuzz/corpus/$t" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$work/in/$t/" \;
  fi
}

afl_env() {
  export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_AUTORESUME=1
  export AFL_NO_AFFINITY=1 AFL_NO_CRASH_README=1 AFL_ALLOW_TMP=1
}

# Runs one afl-fuzz instance in the foreground; its log goes beside its findings.
run_instance() {
  local t="$1" role_flag="$2" name="$3"
  mkdir -p "$out/$t"
  # shellcheck disable=SC2086
  afl-fuzz -i "$work/in/$t" -o "$out/$t" -V "$seconds" -t 5000 -m none $role_flag \
    -- "$(command -v dotnet)" "$work/afl/HwSpecGen.Fuzz.Harness.dll" "$t" >"$out/$t/$name.log" 2>&1
}

campaign_target() {
  local t="$1" pids=() status=0
  prepare_inputs "$t"
  if [ -n "$role" ]; then
    run_instance "$t" "$role" "${role#-? }" || status=$?
  elif [ "$jobs" -le 1 ]; then
    run_instance "$t" "" default || status=$?
  else
    run_instance "$t" "-M main" main & pids+=($!)
    for i in $(seq 1 $((jobs - 1))); do
      run_instance "$t" "-S sec$i" "sec$i" & pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || status=$?; done
  fi
  return $status
}

stat_of() { awk -F' *: *' -v k="$2" '$1 == k { print $2 }' "$1"; }

# One line per instance from AFL++'s fuzzer_stats; crashes are replayed through the plain harness and kept.
report_target() {
  local t="$1" found=0
  for stats in "$out/$t"/*/fuzzer_stats; do
    [ -f "$stats" ] || continue
    local dir; dir=$(dirname "$stats")
    printf '%-26s %-7s %5s s %10s execs %9s execs/s %5s paths (%4s new) %5s edges %3s crashes %3s hangs %7s stable\n' "$t" "$(basename "$dir")" \
      "$(stat_of "$stats" run_time)" "$(stat_of "$stats" execs_done)" "$(stat_of "$stats" execs_per_sec)" \
      "$(stat_of "$stats" corpus_count)" "$(stat_of "$stats" corpus_found)" "$(stat_of "$stats" edges_found)" \
      "$(stat_of "$stats" saved_crashes)" "$(stat_of "$stats" saved_hangs)" "$(stat_of "$stats" stability)" | tee -a "$work/report.txt"
    if compgen -G "$dir/crashes/id:*" >/dev/null; then
      found=1
      mkdir -p "$work/crashes/$t"
      cp "$dir"/crashes/id:* "$work/crashes/$t/"
      plain --replay "$t" "$dir/crashes" || true
    fi
  done
  if [ "$found" -eq 1 ]; then
    echo "CRASH: inputs in $work/crashes/$t; add each to tests/HwSpecGen.Fuzz.Tests/Regressions/$t/ and fix the bug" | tee -a "$work/report.txt"
  fi
  return $found
}

campaign() {
  install_afl || { echo "AFL++ is not installed and cannot be installed here (need root or sudo)" >&2; return 3; }
  install_sharpfuzz || { echo "cannot install SharpFuzz.CommandLine $sharpfuzz_version" >&2; return 3; }
  build_plain || return 2
  build_instrumented || { echo "SharpFuzz could not instrument the assemblies" >&2; return 3; }
  pick_targets
  rm -rf "$work/seeds"
  plain --emit-seeds "$work/seeds" >/dev/null || return 2
  afl_env
  : >"$work/report.txt"
  local crashed=0 broken=0
  for t in "${targets[@]}"; do
    log "afl-fuzz $t for $seconds s (${role:-$jobs instance(s)})"
    if ! campaign_target "$t"; then
      if ! compgen -G "$out/$t/*/fuzzer_stats" >/dev/null; then
        echo "afl-fuzz did not start for $t; its log:" >&2
        tail -n 15 "$out/$t"/*.log >&2 || true
        broken=1
        continue
      fi
    fi
    report_target "$t" || crashed=1
  done
  log "report ($work/report.txt)"
  cat "$work/report.txt"
  [ "$crashed" -eq 0 ] || return 1
  [ "$broken" -eq 0 ] || return 3
}

replay() {
  build_plain
  pick_targets
  local failed=0
  for t in "${targets[@]}"; do
    local paths=()
    [ -d "$fuzz/corpus/$t" ] && paths+=("$fuzz/corpus/$t")
    [ -d "$root/tests/HwSpecGen.Fuzz.Tests/Regressions/$t" ] && paths+=("$root/tests/HwSpecGen.Fuzz.Tests/Regressions/$t")
    if [ ${#paths[@]} -eq 0 ]; then
      echo "$t: no corpus (fuzz/run.sh --seed writes one)"
      failed=1
      continue
    fi
    plain --replay "$t" "${paths[@]}" | tail -n 20 || failed=1
  done
  return $failed
}

seed() {
  build_plain
  rm -rf "$work/seeds"
  plain --emit-seeds "$work/seeds"
  for dir in "$work/seeds"/*/; do
    local t; t=$(basename "$dir")
    mkdir -p "$fuzz/corpus/$t"
    find "$fuzz/corpus/$t" -maxdepth 1 -type f -name 'seed-*' -delete
    cp "$dir"seed-* "$fuzz/corpus/$t/"
  done
}

# Keeps the smallest set of queue entries with the same coverage as the seeds plus everything found.
minimize() {
  install_afl
  install_sharpfuzz
  build_plain
  build_instrumented
  pick_targets
  afl_env
  for t in "${targets[@]}"; do
    local all="$work/cmin-in/$t" min="$work/cmin-out/$t"
    rm -rf "$all" "$min"
    mkdir -p "$all"
    find "$fuzz/corpus/$t" "$out/$t"/*/queue -maxdepth 1 -type f ! -name '.*' -exec cp {} "$all/" \; 2>/dev/null || true
    afl-cmin -i "$all" -o "$min" -t 5000 -m none -- "$(command -v dotnet)" "$work/afl/HwSpecGen.Fuzz.Harness.dll" "$t" >"$work/cmin-$t.log" 2>&1 ||
      { echo "afl-cmin failed for $t:" >&2; tail -n 5 "$work/cmin-$t.log" >&2; continue; }
    find "$fuzz/corpus/$t" -maxdepth 1 -type f ! -name 'seed-*' -delete
    local n=0
    for f in "$min"/*; do
      case "$(basename "$f")" in
        seed-* | *orig:*) ;; # the seeds stay as seed-* files
        *) cp "$f" "$fuzz/corpus/$t/found-$(sha1sum "$f" | cut -c1-12)"; n=$((n + 1)) ;;
      esac
    done
    echo "$t: kept $n found inputs beside the seeds"
  done
}

mkdir -p "$work"
case "$mode" in
  list) build_plain; plain list ;;
  replay) replay ;;
  seed) seed ;;
  minimize) minimize ;;
  campaign) seconds="${seconds:-300}"; campaign ;;
  ci)
    seconds="${seconds:-30}"
    configuration=Debug
    log "replay the corpus and the regression inputs (no AFL)"
    replay
    status=0
    campaign || status=$?
    case "$status" in
      0) ;;
      1) echo "the short campaign found a crash" >&2; exit 1 ;;
      *) echo "WARNING: AFL++ could not run here; only the replay above checked the corpus" >&2 ;;
    esac
    ;;
esac
