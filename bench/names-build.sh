#!/usr/bin/env bash
# A copy of the build (dist/) whose wasm modules keep their function names, for CPU
# profiles that say which Rust function the time goes to:
#
#   ./scripts/build.sh && ./bench/names-build.sh
#   node bench/run.mjs --only events --profile --dist bench/.cache/dist-names
#
# Same cargo output and the same steps as scripts/build.sh (scripts/wasm-package.sh), with
# the name section kept, so the code profiled is the code shipped, with names. The glue (with its snippet) comes
# from this wasm-bindgen run (it must match the wasm); the facade modules are dist/'s.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

wasm=target/npm/wasm32-unknown-unknown/release/ziwo_webphone.wasm
[ -f "$wasm" ] || { echo "no release wasm at $wasm: run ./scripts/build.sh first" >&2; exit 1; }
[ -f dist/index.js ] || { echo "dist/ is missing: run ./scripts/build.sh first" >&2; exit 1; }

out=bench/.cache/dist-names
rm -rf "$out" && mkdir -p "$out"
scripts/wasm-package.sh "$wasm" "$out" --names
# The facade modules (index.js, api.js, full.js); the glue is this run's.
for f in dist/*.js; do
  case "$f" in *.global.js|*.global.min.js|dist/ziwo_webphone.js) ;; *) cp "$f" "$out/" ;; esac
done
echo "built $out/ from $wasm"
