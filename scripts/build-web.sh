#!/usr/bin/env bash
# scripts/build-web.sh - build the hlcviz web page's wasm into www/pkg/.
#
# Usage: bash scripts/build-web.sh [--release] [--no-setup] [--out-dir DIR]
#   --release    optimised build (target/wasm32-unknown-unknown/release), then
#                shrunk with wasm-opt; default is a debug build (faster to compile)
#   --no-setup   don't run `scripts/setup.sh --web` first (also: HLCVIZ_SKIP_SETUP=1)
#   --out-dir D  write the wasm-bindgen output to D instead of www/pkg/ (D is
#                emptied first; scripts/build-site.sh uses this so a site build
#                leaves www/pkg/ alone)
#   -h, --help   this text
#
# Steps: cargo build --lib --target wasm32-unknown-unknown, then
# wasm-bindgen --target web into www/pkg/ (git-ignored), then (--release only)
# wasm-opt -Oz in place, then prints the size of the .wasm raw and gzipped.
# index.html loads www/main.js, which imports ./pkg/hlcviz.js.
#
# wasm-opt is always node_modules/.bin/wasm-opt from the npm package `binaryen`
# pinned in package.json (setup.sh --web --release runs npm ci for it), never a
# wasm-opt on PATH: Debian's binaryen 108 silently corrupts wasm-bindgen 0.2.13x
# output. No --enable-* flags are needed: wasm-bindgen keeps rustc's
# target_features section and wasm-opt enables exactly the features it lists.
#
# Environment:
#   HLCVIZ_WASM_OPT_LEVEL  wasm-opt level for --release (default -Oz; -O3 is
#                          about 1.5% bigger here); "none" skips wasm-opt
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

CRATE="hlcviz"
OUT_DIR="www/pkg"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

profile="debug"
skip_setup="${HLCVIZ_SKIP_SETUP:-0}"
while [ $# -gt 0 ]; do
  case "$1" in
    --release) profile="release" ;;
    --dev | --debug) profile="debug" ;;
    --no-setup) skip_setup=1 ;;
    --out-dir) [ $# -ge 2 ] || { echo "build-web: --out-dir needs a directory" >&2; exit 2; }
               OUT_DIR="$2"; shift ;;
    --out-dir=*) OUT_DIR="${1#--out-dir=}" ;;
    -h | --help) usage; exit 0 ;;
    *) echo "build-web: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ "$skip_setup" != "1" ]; then
  if [ "$profile" = "release" ]; then
    bash scripts/setup.sh --web --release
  else
    bash scripts/setup.sh --web
  fi
fi

# ------------------------------------------------------------------ 1. cargo
cargo_args=(build -p "$CRATE" --lib --target wasm32-unknown-unknown)
[ "$profile" = "release" ] && cargo_args+=(--release)
# HLCVIZ_CARGO_FEATURES (e.g. "bench", for scripts/bench.sh) adds crate features.
[ -n "${HLCVIZ_CARGO_FEATURES:-}" ] && cargo_args+=(--features "$HLCVIZ_CARGO_FEATURES")
echo "build-web: cargo ${cargo_args[*]}"
cargo "${cargo_args[@]}"

target_dir="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
target_dir="${target_dir:-${CARGO_TARGET_DIR:-$ROOT/target}}"
wasm_in="$target_dir/wasm32-unknown-unknown/$profile/$CRATE.wasm"
[ -f "$wasm_in" ] || { echo "build-web: ERROR: $wasm_in was not produced" >&2; exit 1; }

# ----------------------------------------------------------- 2. wasm-bindgen
echo "build-web: wasm-bindgen --target web -> $OUT_DIR/"
# OUT_DIR is emptied first, so refuse anything that is not a (former) pkg dir.
if [ -e "$OUT_DIR" ] && [ -n "$(ls -A "$OUT_DIR" 2>/dev/null)" ] &&
  [ ! -e "$OUT_DIR/$CRATE.js" ] && [ ! -e "$OUT_DIR/${CRATE}_bg.wasm" ]; then
  echo "build-web: ERROR: $OUT_DIR is not empty and holds no earlier $CRATE.js/${CRATE}_bg.wasm;" \
    "refusing to empty it" >&2
  exit 2
fi
rm -rf "$OUT_DIR"
wasm-bindgen --target web --no-typescript --out-dir "$OUT_DIR" "$wasm_in"
wasm_out="$OUT_DIR/${CRATE}_bg.wasm"
[ -f "$wasm_out" ] && [ -f "$OUT_DIR/$CRATE.js" ] ||
  { echo "build-web: ERROR: wasm-bindgen did not write $wasm_out + $OUT_DIR/$CRATE.js" >&2; exit 1; }

# ------------------------------------------------------------- 3. wasm-opt
fmt_size() { awk -v b="$1" 'BEGIN { printf "%d bytes (%.1f KiB)", b, b / 1024 }'; }
sizes() { echo "raw $(fmt_size "$(wc -c <"$1")"), gzip -9 $(fmt_size "$(gzip -9 -c "$1" | wc -c)")"; }

# Release builds are shrunk in place with binaryen's wasm-opt (npm package,
# see the header for why never a system one).
optimize_wasm() {
  local wasm="$1" level="${HLCVIZ_WASM_OPT_LEVEL:--Oz}"
  if [ "$level" = "none" ]; then
    echo "build-web: wasm-opt skipped (HLCVIZ_WASM_OPT_LEVEL=none)"
    return
  fi
  case "$level" in -O | -O[0-4] | -Os | -Oz) ;; *)
    echo "build-web: ERROR: HLCVIZ_WASM_OPT_LEVEL='$level' (want -Oz, -Os, -O3, ... or none)" >&2
    exit 2 ;;
  esac
  local opt="$ROOT/node_modules/.bin/wasm-opt"
  if [ ! -x "$opt" ]; then
    echo "build-web: ERROR: $opt missing (npm package binaryen):" \
      "run 'bash scripts/setup.sh --web --release' (npm ci)" >&2
    exit 1
  fi
  local version
  version="$("$opt" --version 2>/dev/null || true)"
  echo "build-web: before wasm-opt: $(sizes "$wasm")"
  echo "build-web: wasm-opt $level ($version, node_modules/binaryen)"
  local tmp="$wasm.opt.tmp" t0=$SECONDS
  rm -f "$tmp"
  "$opt" "$level" "$wasm" -o "$tmp" ||
    { rm -f "$tmp"; echo "build-web: ERROR: wasm-opt failed" >&2; exit 1; }
  mv -f "$tmp" "$wasm"
  echo "build-web: after wasm-opt:  $(sizes "$wasm") ($((SECONDS - t0))s)"
}
if [ "$profile" = "release" ]; then
  optimize_wasm "$wasm_out"
fi

# ---------------------------------------------------------------- 4. sizes
raw=$(wc -c <"$wasm_out")
gz=$(gzip -9 -c "$wasm_out" | wc -c)
echo "build-web: $profile build done: $wasm_out"
echo "build-web:   wasm raw  $(fmt_size "$raw")"
echo "build-web:   wasm gzip $(fmt_size "$gz")"
