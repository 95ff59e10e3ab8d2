#!/usr/bin/env bash
# scripts/build-site.sh - build the static site that GitHub Pages serves.
#
# Usage: bash scripts/build-site.sh [OUT_DIR] [--no-setup] [--from-pkg DIR]
#   OUT_DIR         where the site goes (default target/site); emptied first
#   --no-setup      don't run scripts/setup.sh first (also: HLCVIZ_SKIP_SETUP=1)
#   --from-pkg DIR  ship the release build already in DIR (made by
#                   `build-web.sh --release`) instead of building one; the
#                   test command uses this so it compiles the release wasm once
#   -h, --help      this text
#
# Runs a release build (scripts/build-web.sh --release: cargo, wasm-bindgen,
# wasm-opt) into target/site-pkg/, leaving www/pkg/ (the debug build the
# browser tests and serve.sh use) alone, then copies exactly the files the
# page loads into OUT_DIR, keeping their relative paths, plus an empty
# .nojekyll:
#
#   index.html  www/style.css  www/main.js  www/log-worker.js  www/pkg/hlcviz.js  www/pkg/hlcviz_bg.wasm
#
# Every path is relative, so the site works under a sub-path such as
# https://USER.github.io/hlc-visualizer/. Before copying, the local references
# in index.html, www/main.js and www/style.css are checked against that list,
# so a new asset that is not shipped fails the build instead of 404ing on Pages.
# Prints each file's size and the total, raw and gzipped.
# .github/workflows/pages.yml runs `bash scripts/build-site.sh _site`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

# The page's files, relative to the repo root and to the site root alike.
SITE_FILES=(index.html www/style.css www/main.js www/log-worker.js www/pkg/hlcviz.js www/pkg/hlcviz_bg.wasm)
PKG_STAGE="target/site-pkg"

out_dir="" skip_setup="${HLCVIZ_SKIP_SETUP:-0}" from_pkg=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-setup) skip_setup=1 ;;
    --from-pkg)
      [ $# -ge 2 ] || { echo "build-site: --from-pkg needs a directory" >&2; exit 2; }
      from_pkg="$2"; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "build-site: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    *) [ -z "$out_dir" ] || { echo "build-site: only one OUT_DIR, got '$out_dir' and '$1'" >&2; exit 2; }
       out_dir="$1" ;;
  esac
  shift
done
out_dir="${out_dir:-target/site}"

die() { echo "build-site: ERROR: $*" >&2; exit 1; }

# OUT_DIR is emptied: refuse the repo itself, its parents, /, $HOME and any
# non-empty directory that does not look like an earlier site build.
out_abs="$(mkdir -p "$out_dir" && cd "$out_dir" && pwd -P)"
root_abs="$(pwd -P)"
case "$root_abs/" in "$out_abs"/*) die "OUT_DIR '$out_dir' is the repository or a parent of it" ;; esac
case "$out_abs" in / | "$(cd ~ 2>/dev/null && pwd -P)") die "refusing OUT_DIR '$out_dir'" ;; esac
case "$out_abs/" in "$root_abs/www/"*) die "OUT_DIR '$out_dir' is inside www/" ;; esac
if [ -n "$(ls -A "$out_abs")" ] && ! { [ -f "$out_abs/.nojekyll" ] && [ -f "$out_abs/index.html" ]; }; then
  die "OUT_DIR '$out_dir' is not empty and is not an earlier site build (no index.html + .nojekyll); empty it yourself"
fi

# ------------------------------------------------------- 1. check references
# Local references the page makes, as paths from the repo root.
page_refs() {
  # index.html: src="..." / href="..." (not data:, absolute URLs or fragments).
  grep -oE '(src|href)="[^"]*"' index.html | sed -E 's/^(src|href)="//; s/"$//' || true
  # www/main.js: static and dynamic imports of relative modules.
  grep -oE "(from|import\\()[[:space:]]*['\"]\\.{1,2}/[^'\"]+['\"]" www/main.js |
    sed -E "s/^(from|import\\()[[:space:]]*['\"]//; s/['\"]\$//; s#^\\./#www/#; s#^\\.\\./##" || true
  # www/style.css: url(...) of relative files.
  grep -oE 'url\([^)]*\)' www/style.css 2>/dev/null |
    sed -E "s/^url\\(['\"]?//; s/['\"]?\\)\$//" | grep -vE '^(data:|https?:|//|#)' | sed 's#^#www/#' || true
}
missing=()
while IFS= read -r ref; do
  ref="${ref%%[?#]*}"
  case "$ref" in '' | data:* | http:* | https:* | //* | mailto:*) continue ;; esac
  ref="${ref#./}"
  [ -n "$ref" ] || continue # "./": the page's own directory, i.e. index.html
  found=0
  for f in "${SITE_FILES[@]}"; do [ "$f" = "$ref" ] && found=1; done
  [ $found -eq 1 ] || missing+=("$ref")
done < <(page_refs)
[ ${#missing[@]} -eq 0 ] ||
  die "the page references ${missing[*]}, which the site would not ship: add to SITE_FILES in scripts/build-site.sh"

# ------------------------------------------------------------ 2. build
if [ -n "$from_pkg" ]; then
  [ -f "$from_pkg/hlcviz_bg.wasm" ] && [ -f "$from_pkg/hlcviz.js" ] ||
    die "--from-pkg $from_pkg has no hlcviz.js + hlcviz_bg.wasm (run scripts/build-web.sh --release first)"
  PKG_STAGE="$from_pkg"
  echo "build-site: shipping the release build in $from_pkg"
else
  build_args=(--release --out-dir "$PKG_STAGE")
  if [ "$skip_setup" != "1" ]; then
    bash scripts/setup.sh --web --release
  fi
  HLCVIZ_SKIP_SETUP=1 bash scripts/build-web.sh "${build_args[@]}"
fi

# wasm-bindgen may add files the page then needs (snippets/ for inline JS):
# the list above would miss them, so stop rather than ship a broken page.
extra=()
for f in "$PKG_STAGE"/* "$PKG_STAGE"/.[!.]*; do
  [ -e "$f" ] || continue
  case "${f##*/}" in hlcviz.js | hlcviz_bg.wasm) ;; *) extra+=("${f##*/}") ;; esac
done
[ ${#extra[@]} -eq 0 ] || die "wasm-bindgen wrote files the site list lacks: ${extra[*]} (in $PKG_STAGE/)"

# ------------------------------------------------------------- 3. copy
rm -rf "$out_abs"
mkdir -p "$out_abs"
for f in "${SITE_FILES[@]}"; do
  case "$f" in
    www/pkg/*) src="$PKG_STAGE/${f#www/pkg/}" ;;
    *) src="$f" ;;
  esac
  [ -f "$src" ] || die "$src is missing"
  mkdir -p "$out_abs/$(dirname "$f")"
  cp "$src" "$out_abs/$f"
done
: >"$out_abs/.nojekyll"

# ------------------------------------------------------------ 4. report
fmt_kib() { awk -v b="$1" 'BEGIN { printf "%9.1f KiB", b / 1024 }'; }
total_raw=0 total_gz=0
echo "build-site: site in $out_dir/ (raw, gzip -9):"
for f in "${SITE_FILES[@]}" .nojekyll; do
  raw=$(wc -c <"$out_abs/$f")
  gz=$(gzip -9 -c "$out_abs/$f" | wc -c)
  [ "$raw" -eq 0 ] && gz=0
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz))
  printf 'build-site:   %-24s %s %s\n' "$f" "$(fmt_kib "$raw")" "$(fmt_kib "$gz")"
done
printf 'build-site:   %-24s %s %s  (%d files; %d / %d bytes)\n' "total" \
  "$(fmt_kib "$total_raw")" "$(fmt_kib "$total_gz")" $((${#SITE_FILES[@]} + 1)) "$total_raw" "$total_gz"
