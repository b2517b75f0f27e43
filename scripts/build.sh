#!/usr/bin/env bash
# Builds the npm package into dist/: the crate's browser layer (the `js` feature: its
# wasm-bindgen exports, src/browser/bindings.rs) compiled on stable Rust, the glue that
# wasm-bindgen generates for it, and the thin facade (js/*.js) with its types.
#   dist/index.js   entry `ziwo-webphone`: the web phone companion
#   dist/full.js    entry `ziwo-webphone/full`: the companion and the REST client; the same
#                   facade and glue (a page that imports both loads one wasm, the full
#                   one, and has one logger and one set of phones)
#   dist/ziwo_webphone.js, dist/ziwo_webphone_bg.wasm: the glue, with the one JS snippet
#                   the crate imports (js/events.js) bundled in, and the module (wasm-opt
#                   -Oz, its imports from the glue renamed short by scripts/short-imports.mjs)
#   dist/ziwo_webphone_companion_bg.wasm: the same module without the REST client
#                   (scripts/companion-wasm.mjs), loaded by pages that do not import
#                   ziwo-webphone/full
#   dist/ziwo-webphone.global.js  the <script>-tag build of the companion
#   dist/simulator/ entry `ziwo-webphone/simulator`: the web phone simulator (jorel.js)
#                   and its typed driver
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

target=target/npm
cargo build --quiet --release --target wasm32-unknown-unknown --features js --target-dir "$target"
rm -rf dist && mkdir -p dist
wasm-bindgen --target web --no-typescript --out-dir dist --out-name ziwo_webphone \
  "$target/wasm32-unknown-unknown/release/ziwo_webphone.wasm"
# Rust 1.87+ emits bulk-memory and non-trapping float-to-int instructions.
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
  --enable-multivalue --enable-reference-types)
wasm-opt -Oz --converge --strip-debug --strip-producers "${features[@]}" \
  dist/ziwo_webphone_bg.wasm -o dist/ziwo_webphone_bg.wasm
# The glue's imports get short names in the wasm and the glue (their hashed names do not
# compress: -4.3 KB gzipped).
node scripts/short-imports.mjs dist/ziwo_webphone_bg.wasm dist/ziwo_webphone.js
# The companion's copy of the module, without the REST client's exports and the code only
# they reach: what a page loads when it does not import ziwo-webphone/full.
node scripts/companion-wasm.mjs dist/ziwo_webphone_bg.wasm dist/ziwo_webphone_companion_bg.wasm "${features[@]}"
# The glue and the one snippet it imports (js/events.js, under dist/snippets/) as one
# module: a page fetches index.js and the glue, not a third module after them. The wasm's
# imports keep the snippet's path as their module name (a string, unchanged).
esbuild dist/ziwo_webphone.js --bundle --format=esm --target=es2022 --log-level=error \
  --log-override:duplicate-object-key=silent --allow-overwrite --outfile=dist/ziwo_webphone.js
rm -rf dist/snippets
cp js/index.js js/api.js js/full.js js/index.d.ts js/api.d.ts js/full.d.ts dist/
# The web phone simulator, for CRM teams' own tests (`ziwo-webphone/simulator`): the same
# script the project's demo and tests run, and its typed driver.
mkdir -p dist/simulator
cp www/sim/jorel.js dist/simulator/jorel.js
cp js/simulator.js dist/simulator/index.js
cp js/simulator.d.ts dist/simulator/index.d.ts
# The <script>-tag build (global `ZiwoWebPhone`), when its builder is present.
if [ -f scripts/build-global.mjs ]; then node scripts/build-global.mjs; fi
echo "built dist/"
