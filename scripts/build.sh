#!/usr/bin/env bash
# Builds the npm package into dist/: the crate's browser layer (the `js` feature: its
# wasm-bindgen exports, src/browser/bindings.rs) compiled on stable Rust, the glue that
# wasm-bindgen generates for it, and the thin facade (js/*.js) with its types.
#   dist/index.js   entry `ziwo-webphone`: the web phone companion
#   dist/full.js    entry `ziwo-webphone/full`: the companion and the REST client; the same
#                   facade and glue (a page that imports both loads one wasm, the full
#                   one, and has one logger and one set of phones)
#   dist/ziwo_webphone.js, dist/ziwo_webphone_bg.wasm, dist/ziwo_webphone_companion_bg.wasm:
#                   the glue (with the crate's one JS snippet, js/events.js, bundled in),
#                   the module, and its copy without the REST client for pages that do not
#                   import ziwo-webphone/full (scripts/wasm-package.sh)
#   dist/ziwo-webphone.global.js  the <script>-tag build of the companion
#   dist/simulator/ entry `ziwo-webphone/simulator`: the web phone simulator (jorel.js)
#                   and its typed driver
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

target=target/npm
cargo build --quiet --release --target wasm32-unknown-unknown --features js --target-dir "$target"
rm -rf dist && mkdir -p dist
scripts/wasm-package.sh "$target/wasm32-unknown-unknown/release/ziwo_webphone.wasm" dist
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
