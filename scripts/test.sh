#!/usr/bin/env bash
# scripts/test.sh - the one command that runs every check (CI runs this too).
#
# Usage: bash scripts/test.sh [--only LIST] [--skip LIST]
#   --only LIST  run only these stages (comma-separated names, see below)
#   --skip LIST  skip these stages
#   -h, --help   this text
#
# Stages, in order; the first failing one stops the run (exit status != 0):
#   setup           scripts/setup.sh (everything: rust components, wasm target,
#                   wasm-bindgen CLI, chromium, npm packages)
#   fmt             cargo fmt --all -- --check
#   lint-workflows  actionlint on .github/workflows/*.yml (scripts/lint-workflows.sh)
#   clippy          cargo clippy --workspace --all-targets -- -D warnings (native and wasm32)
#   test            cargo test --workspace
#   build           scripts/build-web.sh --release (release build + wasm-opt into
#                   www/pkg/: the browser tests test the wasm that ships)
#   site            scripts/build-site.sh target/site --from-pkg www/pkg (the files
#                   GitHub Pages serves; tests/e2e/deploy.test.mjs loads them)
#   e2e             node --test tests/e2e/  (headless Chromium via playwright-core;
#                   screenshots land in target/screenshots/)
#
# Same behaviour with CI=true. Each stage prints its time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
# Plain, log-friendly output from cargo when not on a terminal (CI).
color=auto
if [ ! -t 1 ]; then
  color=never
  export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}" CARGO_TERM_PROGRESS_WHEN=never
fi

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

ALL_STAGES=(setup fmt lint-workflows clippy test build site e2e)
only="" skip=""
while [ $# -gt 0 ]; do
  case "$1" in
    --only) [ $# -ge 2 ] || { echo "test: --only needs a list" >&2; exit 2; }; only="$2"; shift ;;
    --only=*) only="${1#--only=}" ;;
    --skip) [ $# -ge 2 ] || { echo "test: --skip needs a list" >&2; exit 2; }; skip="$2"; shift ;;
    --skip=*) skip="${1#--skip=}" ;;
    -h | --help) usage; exit 0 ;;
    *) echo "test: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
for s in ${only//,/ } ${skip//,/ }; do
  case " ${ALL_STAGES[*]} " in *" $s "*) ;; *)
    echo "test: unknown stage '$s' (stages: ${ALL_STAGES[*]})" >&2; exit 2 ;;
  esac
done

selected=()
for s in "${ALL_STAGES[@]}"; do
  if [ -n "$only" ] && [[ ",$only," != *",$s,"* ]]; then continue; fi
  if [[ ",$skip," == *",$s,"* ]]; then continue; fi
  selected+=("$s")
done
[ ${#selected[@]} -gt 0 ] || { echo "test: no stage selected" >&2; exit 2; }

stage_cmd() {
  case "$1" in
    setup) bash scripts/setup.sh --all ;;
    fmt) cargo fmt --all -- --check --color "$color" ;;
    lint-workflows) bash scripts/lint-workflows.sh ;;
    clippy) cargo clippy --workspace --all-targets --quiet -- -D warnings && cargo clippy --lib --target wasm32-unknown-unknown --features bench --quiet -- -D warnings ;;
    test) cargo test --workspace ;;
    build) HLCVIZ_SKIP_SETUP=1 bash scripts/build-web.sh --release ;;
    site) HLCVIZ_SKIP_SETUP=1 bash scripts/build-site.sh target/site --from-pkg www/pkg ;;
    e2e) node --test --test-reporter=spec tests/e2e/ ;;
  esac
}
stage_desc() {
  case "$1" in
    setup) echo "setup (scripts/setup.sh)" ;;
    fmt) echo "cargo fmt --all -- --check" ;;
    lint-workflows) echo "actionlint on .github/workflows (scripts/lint-workflows.sh)" ;;
    clippy) echo "cargo clippy --workspace --all-targets -- -D warnings; cargo clippy --lib --target wasm32-unknown-unknown --features bench -- -D warnings" ;;
    test) echo "cargo test --workspace" ;;
    build) echo "release build of the page into www/pkg (scripts/build-web.sh --release): the browser tests test what ships" ;;
    site) echo "the Pages site from that build into target/site (scripts/build-site.sh --from-pkg www/pkg)" ;;
    e2e) echo "browser tests (node --test tests/e2e/)" ;;
  esac
}

total=${#selected[@]} i=0 t0=$SECONDS
for s in "${selected[@]}"; do
  i=$((i + 1))
  echo
  echo "=== [$i/$total] $s: $(stage_desc "$s")"
  st=$SECONDS
  rc=0
  stage_cmd "$s" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo
    echo "=== FAILED at stage '$s' ($(stage_desc "$s")), exit status $rc, after $((SECONDS - st))s"
    [ "$s" = fmt ] && echo "=== hint: run 'cargo fmt --all' to fix formatting"
    [ "$s" = e2e ] && echo "=== hint: screenshots in target/screenshots/"
    exit "$rc"
  fi
  echo "=== ok: $s ($((SECONDS - st))s)"
done
echo
echo "=== all $total stages passed in $((SECONDS - t0))s: ${selected[*]}"
