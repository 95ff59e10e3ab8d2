#!/usr/bin/env bash
# fuzz/run.sh - run fuzz targets for a while, a few at a time (docs/fuzzing.md).
#
# Usage: bash fuzz/run.sh [-t SECONDS] [-j JOBS] [TARGET...] [-- LIBFUZZER_ARGS...]
#   -t SECONDS  fuzzing time per target (default 600)
#   -j JOBS     targets run at once (default 2: one per core here)
#   TARGET      permalink_decode permalink_body scenario_json shiviz_import
#               cli_input recorded_import otlp_import log_import (default: all)
#   -- ARGS     extra libFuzzer flags for every target (e.g. -len_control=0)
#
# Each target reads its seeds from fuzz/corpus/<target>/ and writes the inputs
# it finds to fuzz/scratch/<target>/ (ignored by git), so the committed corpus
# stays small; crashes go to fuzz/artifacts/<target>/. Logs:
# fuzz/scratch/logs/<target>-<time>.log; a summary is printed at the end.
#
# Stable Rust with RUSTC_BOOTSTRAP=1 (cargo-fuzz passes -Z flags); set
# FUZZ_TOOLCHAIN=nightly to use `cargo +nightly fuzz` instead, FUZZ_SANITIZER=none
# for a faster run without AddressSanitizer (safe Rust: it finds the same panics).
set -euo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$FUZZ_DIR/.."

ALL=(permalink_decode permalink_body scenario_json shiviz_import cli_input recorded_import otlp_import log_import)
seconds=600 jobs=2 targets=() extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -t) seconds="$2"; shift ;;
    -j) jobs="$2"; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) case " ${ALL[*]} " in *" $1 "*) targets+=("$1") ;; *)
         echo "run.sh: unknown target '$1' (targets: ${ALL[*]})" >&2; exit 2 ;; esac ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=("${ALL[@]}")

cargo_fuzz=(cargo fuzz)
if [ "${FUZZ_TOOLCHAIN:-}" = nightly ]; then
  cargo_fuzz=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
fi
sanitizer=(--sanitizer "${FUZZ_SANITIZER:-address}")

flags_for() {
  case "$1" in
    shiviz_import) echo "-max_len=16384 -dict=fuzz/dicts/shiviz_import.dict" ;;
    recorded_import) echo "-max_len=16384 -dict=fuzz/dicts/recorded_import.dict" ;;
    otlp_import) echo "-max_len=16384 -dict=fuzz/dicts/otlp_import.dict" ;;
    log_import) echo "-max_len=16384 -dict=fuzz/dicts/shiviz_import.dict" ;;
    scenario_json | cli_input) echo "-max_len=4096 -dict=fuzz/dicts/scenario_json.dict" ;;
    *) echo "-max_len=4096" ;;
  esac
}

mkdir -p fuzz/scratch/logs
# Build once up front so the parallel runs do not wait on each other's build.
"${cargo_fuzz[@]}" build "${sanitizer[@]}"

logs=()
run_one() {
  local target="$1" log="$2"
  mkdir -p "fuzz/scratch/$target"
  # shellcheck disable=SC2046 # the per-target flags are words
  "${cargo_fuzz[@]}" run "${sanitizer[@]}" "$target" "fuzz/scratch/$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    $(flags_for "$target") ${extra[@]+"${extra[@]}"} >"$log" 2>&1
}

status=0
for target in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || status=1; done
  log="fuzz/scratch/logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
  logs+=("$log")
  echo "fuzzing $target for ${seconds}s (log: $log)"
  run_one "$target" "$log" &
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do wait -n || status=1; done

echo
for log in "${logs[@]}"; do
  echo "== $log"
  grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec)|^==[0-9]+==ERROR|panicked at|Test unit written|SUMMARY' "$log" || true
done
if [ "$status" -ne 0 ]; then
  echo "run.sh: a target failed; see fuzz/artifacts/ and the logs above" >&2
fi
exit "$status"
