#!/usr/bin/env bash
# scripts/bench.sh - measure the page's performance against its targets and print
# one table (figure, target, PASS/MISS). Not part of scripts/test.sh: timings
# flake on shared machines, so a MISS is reported, never an error (exit 0).
# Exit status 1 only when something could not be built or measured.
#
# Usage: bash scripts/bench.sh [--no-build] [--quick]
#   --no-build   skip the release build and measure the www/pkg already there
#                (it must be a release build with the bench_* exports)
#   --quick      fewer runs: checks the bench works, its figures mean little
#   -h, --help   this text
#
# Steps:
#   1. bash scripts/build-web.sh --release      (www/pkg, wasm-opt if it is wired)
#   2. a copy of index.html + www/ in target/bench/site, served from there, so a
#      concurrent debug rebuild of www/pkg (scripts/test.sh) cannot leak in
#   3. cargo run --release --example replay_bench -- --machine   (native figures)
#   4. ShiViz for the side-by-side import rows, pinned at commit ea00d3d
#      (SHIVIZ_COMMIT below), in target/shiviz: kept if already there at that commit, else
#      copied from HLCVIZ_SHIVIZ_DIR (a git checkout of it) when that is set,
#      else `git clone https://github.com/DistributedClocks/shiviz` and
#      `git checkout` of the commit. If it cannot be had (no network, another
#      commit), its rows say "not measured: <why>" and the bench goes on.
#   5. node bench/browser-bench.mjs   (headless Chromium via tests/e2e/harness.mjs)
# Every figure also lands in target/bench/last.json; logs in target/bench/.
#
# Environment:
#   HLCVIZ_SHIVIZ_DIR   a ShiViz git checkout to copy instead of cloning
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

build=1
node_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --quick) node_args+=(--quick) ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

OUT="target/bench"
mkdir -p "$OUT"
say() { echo "bench: $*" >&2; }
die() { echo "bench: ERROR: $*" >&2; exit 1; }

# The browser pieces (Chromium, playwright-core): same idempotent setup as the tests.
bash scripts/setup.sh --browser >&2 || die "scripts/setup.sh --browser failed"

# ------------------------------------------------------------ 1. release build
if [ "$build" = 1 ]; then
  # The page as it ships (its sizes are the download figure), then the same
  # build with the bench exports (the `bench` feature) for the timings.
  say "building the release page as shipped (log: $OUT/build.log)"
  if ! bash scripts/build-web.sh --release --out-dir "$OUT/page-pkg" >"$OUT/build.log" 2>&1; then
    tail -n 30 "$OUT/build.log" >&2
    die "the release build failed (log: $OUT/build.log)"
  fi
  grep '^build-web:' "$OUT/build.log" >&2 || true
  say "building it again with the bench exports (log: $OUT/build-bench.log)"
  if ! HLCVIZ_CARGO_FEATURES=bench bash scripts/build-web.sh --release >"$OUT/build-bench.log" 2>&1; then
    tail -n 30 "$OUT/build-bench.log" >&2
    die "the release build with --features bench failed (log: $OUT/build-bench.log)"
  fi
  export HLCVIZ_SIZE_PKG="$OUT/page-pkg"
else
  say "--no-build: measuring the www/pkg already built"
  rm -f "$OUT/build.log"
fi
grep -q 'bench_frames' www/pkg/hlcviz.js 2>/dev/null ||
  die "www/pkg/hlcviz.js has no bench_* exports (not built, or built without src/web/bench.rs)"

# ------------------------------------------------------- 2. snapshot the site
rm -rf "$OUT/site"
mkdir -p "$OUT/site"
cp index.html "$OUT/site/"
cp -R www "$OUT/site/www"

# ------------------------------------------------------------- 3. native bench
say "native replay bench (log: $OUT/native.txt)"
if ! cargo run --quiet --release --example replay_bench -- --machine >"$OUT/native.txt" 2>"$OUT/native.err"; then
  cat "$OUT/native.err" >&2
  die "cargo run --release --example replay_bench failed"
fi
grep -v '^BENCH' "$OUT/native.txt" | sed '/^$/N;/^\n$/D' >&2

# ----------------------------------------------------------------- 4. ShiViz
SHIVIZ_URL="https://github.com/DistributedClocks/shiviz"
SHIVIZ_COMMIT="ea00d3d48b2e4a2adc3c87c27d2f0119100ce36a"
SHIVIZ="target/shiviz"
shiviz_at() { git -C "$1" rev-parse HEAD 2>/dev/null || echo "no git checkout"; }
# Prints why ShiViz cannot be measured, or nothing once $SHIVIZ is at the pinned commit.
get_shiviz() {
  [ "$(shiviz_at "$SHIVIZ")" = "$SHIVIZ_COMMIT" ] && return 0
  if [ -n "${HLCVIZ_SHIVIZ_DIR:-}" ]; then
    if [ "$(shiviz_at "$HLCVIZ_SHIVIZ_DIR")" != "$SHIVIZ_COMMIT" ]; then
      echo "HLCVIZ_SHIVIZ_DIR=$HLCVIZ_SHIVIZ_DIR is not a ShiViz checkout at $SHIVIZ_COMMIT ($(shiviz_at "$HLCVIZ_SHIVIZ_DIR"))"
      return 0
    fi
    rm -rf "$SHIVIZ"
    cp -R "$HLCVIZ_SHIVIZ_DIR" "$SHIVIZ" || { echo "could not copy $HLCVIZ_SHIVIZ_DIR to $SHIVIZ"; return 0; }
  elif [ ! -e "$SHIVIZ" ]; then
    say "cloning ShiViz from $SHIVIZ_URL into $SHIVIZ (log: $OUT/shiviz.log)" >&2
    if ! timeout 300 git clone --quiet "$SHIVIZ_URL" "$SHIVIZ" >"$OUT/shiviz.log" 2>&1; then
      rm -rf "$SHIVIZ"
      echo "git clone $SHIVIZ_URL failed: $(tail -n 1 "$OUT/shiviz.log")"
      return 0
    fi
  fi
  if [ "$(shiviz_at "$SHIVIZ")" != "$SHIVIZ_COMMIT" ] &&
    ! git -C "$SHIVIZ" -c advice.detachedHead=false checkout --quiet "$SHIVIZ_COMMIT" >>"$OUT/shiviz.log" 2>&1; then
    echo "$SHIVIZ is at $(shiviz_at "$SHIVIZ"), not $SHIVIZ_COMMIT, and cannot check it out"
    return 0
  fi
  [ -f "$SHIVIZ/index.html" ] || echo "$SHIVIZ has no index.html"
}
shiviz_missing="$(get_shiviz)"
if [ -z "$shiviz_missing" ]; then
  say "ShiViz: $SHIVIZ at $SHIVIZ_COMMIT"
  node_args+=(--shiviz "$SHIVIZ")
else
  say "ShiViz not measured: $shiviz_missing"
  node_args+=(--shiviz-missing "$shiviz_missing")
fi

# ------------------------------------------------------------ 5. browser bench
say "browser bench (headless Chromium)"
[ -f "$OUT/build.log" ] && node_args+=(--build-log "$OUT/build.log")
node bench/browser-bench.mjs --root "$OUT/site" --native "$OUT/native.txt" \
  --json "$OUT/last.json" "${node_args[@]}"
