#!/usr/bin/env bash
# A copy of the companion build (dist/) whose wasm keeps its function names, for CPU
# profiles that say which Rust function the time goes to:
#
#   ./scripts/build.sh && ./bench/names-build.sh
#   node bench/run.mjs --only events --profile --dist bench/.cache/dist-names
#
# Same cargo output and the same `wasm-opt -Oz` as scripts/build.sh, plus `-g` (keep the
# name section), so the code profiled is the code shipped, with names.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

wasm=""
for candidate in target/wasm-js/wasm32-unknown-unknown/release/ziwo_webphone.wasm; do
  if [ -f "$candidate" ]; then wasm=$candidate; break; fi
done
[ -n "$wasm" ] || { echo "no release wasm under target/: run ./scripts/build.sh first" >&2; exit 1; }
[ -f dist/index.js ] || { echo "dist/ is missing: run ./scripts/build.sh first" >&2; exit 1; }

out=bench/.cache/dist-names
rm -rf "$out" && mkdir -p "$out"
wasm-opt -Oz --converge -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-multivalue "$wasm" -o "$out/ziwo_webphone_bg.wasm"
# The facade modules (everything dist/index.js imports).
for f in dist/*.js; do
  case "$f" in *.global.js|*.global.min.js) ;; *) cp "$f" "$out/" ;; esac
done
echo "built $out/ from $wasm"
