#!/usr/bin/env bash
# A copy of the build (dist/) whose wasm modules keep their function names, for CPU
# profiles that say which Rust function the time goes to:
#
#   ./scripts/build.sh && ./bench/names-build.sh
#   node bench/run.mjs --only events --profile --dist bench/.cache/dist-names
#
# Same cargo output, the same wasm-bindgen run and the same `wasm-opt -Oz` as
# scripts/build.sh, plus `-g` (keep the name section), so the code profiled is the code
# shipped, with names. The glue and its snippet come from this wasm-bindgen run (they must
# match the wasm); the facade modules are dist/'s.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

wasm=target/npm/wasm32-unknown-unknown/release/ziwo_webphone.wasm
[ -f "$wasm" ] || { echo "no release wasm at $wasm: run ./scripts/build.sh first" >&2; exit 1; }
[ -f dist/index.js ] || { echo "dist/ is missing: run ./scripts/build.sh first" >&2; exit 1; }

out=bench/.cache/dist-names
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name ziwo_webphone "$wasm"
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
  --enable-multivalue --enable-reference-types)
wasm-opt -Oz --converge -g --strip-producers "${features[@]}" \
  "$out/ziwo_webphone_bg.wasm" -o "$out/ziwo_webphone_bg.wasm"
# As scripts/build.sh: short import names, and the companion's copy (names kept: -g).
node scripts/short-imports.mjs "$out/ziwo_webphone_bg.wasm" "$out/ziwo_webphone.js"
node scripts/companion-wasm.mjs "$out/ziwo_webphone_bg.wasm" "$out/ziwo_webphone_companion_bg.wasm" -g "${features[@]}"
# The facade modules (index.js, api.js, full.js); the glue and snippets/ are this run's.
for f in dist/*.js; do
  case "$f" in *.global.js|*.global.min.js|dist/ziwo_webphone.js) ;; *) cp "$f" "$out/" ;; esac
done
echo "built $out/ from $wasm"
