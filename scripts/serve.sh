#!/usr/bin/env bash
# scripts/serve.sh - build the web page and serve the repo root locally.
#
# Usage: bash scripts/serve.sh [--port N] [--release] [--no-build]
#   --port N     port to listen on (default 8000, or $PORT)
#   --release    release build of the wasm (default: debug build)
#   --no-build   serve what is already in www/pkg/ (skip setup + build)
#   -h, --help   this text
#
# Serves on 127.0.0.1 only, with application/wasm for .wasm and
# text/javascript for .js, and no-cache headers so a rebuild shows on reload.
# Runs `scripts/setup.sh --web` (wasm target + wasm-bindgen CLI; with
# --release also npm ci, for binaryen's wasm-opt) but never installs the
# browser. Stop with Ctrl-C.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

port="${PORT:-8000}"
build_args=()
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --port) [ $# -ge 2 ] || { echo "serve: --port needs a number" >&2; exit 2; }
            port="$2"; shift ;;
    --port=*) port="${1#--port=}" ;;
    --release) build_args+=(--release) ;;
    --no-build) build=0 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "serve: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$port" in '' | *[!0-9]*) echo "serve: bad port '$port'" >&2; exit 2 ;; esac

command -v python3 >/dev/null 2>&1 || { echo "serve: python3 is needed to serve" >&2; exit 1; }

if [ "$build" -eq 1 ]; then
  # --release also needs the npm packages (binaryen's wasm-opt), never chromium.
  bash scripts/setup.sh --web ${build_args[@]+"${build_args[@]}"}
  HLCVIZ_SKIP_SETUP=1 bash scripts/build-web.sh "${build_args[@]+"${build_args[@]}"}"
elif [ ! -f www/pkg/hlcviz.js ]; then
  echo "serve: warning: www/pkg/hlcviz.js missing - run scripts/build-web.sh" >&2
fi

echo
echo "serve: serving $ROOT"
echo "serve: open http://localhost:$port/   (Ctrl-C to stop)"
echo
exec python3 - "$port" "$ROOT" <<'PY'
import functools, http.server, sys

port, root = int(sys.argv[1]), sys.argv[2]

class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".html": "text/html",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".png": "image/png",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

try:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(Handler, directory=root))
except OSError as e:
    sys.exit(f"serve: cannot listen on 127.0.0.1:{port}: {e.strerror} (try --port N)")
try:
    server.serve_forever()
except KeyboardInterrupt:
    print("\nserve: stopped")
PY
