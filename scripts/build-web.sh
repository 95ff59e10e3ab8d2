#!/usr/bin/env bash
# scripts/build-web.sh - build the hlcviz web page's wasm into www/pkg/.
#
# Usage: bash scripts/build-web.sh [--release] [--no-setup]
#   --release    optimised build (target/wasm32-unknown-unknown/release);
#                default is a debug build (faster to compile)
#   --no-setup   don't run `scripts/setup.sh --web` first (also: HLCVIZ_SKIP_SETUP=1)
#   -h, --help   this text
#
# Steps: cargo build --lib --target wasm32-unknown-unknown, then
# wasm-bindgen --target web into www/pkg/ (git-ignored), then prints the size
# of the .wasm raw and gzipped. index.html loads www/main.js, which imports
# ./pkg/hlcviz.js.
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
    -h | --help) usage; exit 0 ;;
    *) echo "build-web: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

if [ "$skip_setup" != "1" ]; then
  bash scripts/setup.sh --web
fi

# ------------------------------------------------------------------ 1. cargo
cargo_args=(build -p "$CRATE" --lib --target wasm32-unknown-unknown)
[ "$profile" = "release" ] && cargo_args+=(--release)
echo "build-web: cargo ${cargo_args[*]}"
cargo "${cargo_args[@]}"

target_dir="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
target_dir="${target_dir:-${CARGO_TARGET_DIR:-$ROOT/target}}"
wasm_in="$target_dir/wasm32-unknown-unknown/$profile/$CRATE.wasm"
[ -f "$wasm_in" ] || { echo "build-web: ERROR: $wasm_in was not produced" >&2; exit 1; }

# ----------------------------------------------------------- 2. wasm-bindgen
echo "build-web: wasm-bindgen --target web -> $OUT_DIR/"
rm -rf "$OUT_DIR"
wasm-bindgen --target web --no-typescript --out-dir "$OUT_DIR" "$wasm_in"
wasm_out="$OUT_DIR/${CRATE}_bg.wasm"
[ -f "$wasm_out" ] && [ -f "$OUT_DIR/$CRATE.js" ] ||
  { echo "build-web: ERROR: wasm-bindgen did not write $wasm_out + $OUT_DIR/$CRATE.js" >&2; exit 1; }

# ------------------------------------------------------ 3. WASM-OPT HOOK (TODO)
# Release builds are to be shrunk with binaryen's wasm-opt here, in place on
# "$wasm_out" (e.g. wasm-opt -Oz). Not implemented yet: this is the one place
# to add it; size reporting below already measures whatever ends up in $OUT_DIR.
optimize_wasm() {
  local wasm="$1"
  : "wasm-opt not wired yet for $wasm"
}
if [ "$profile" = "release" ]; then
  optimize_wasm "$wasm_out"
fi

# ---------------------------------------------------------------- 4. sizes
fmt_size() { awk -v b="$1" 'BEGIN { printf "%d bytes (%.1f KiB)", b, b / 1024 }'; }
raw=$(wc -c <"$wasm_out")
gz=$(gzip -9 -c "$wasm_out" | wc -c)
echo "build-web: $profile build done: $wasm_out"
echo "build-web:   wasm raw  $(fmt_size "$raw")"
echo "build-web:   wasm gzip $(fmt_size "$gz")"
