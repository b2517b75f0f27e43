#!/usr/bin/env bash
# Builds the npm package into dist/: release wasm, wasm-bindgen's ES module glue,
# wasm-opt -Oz, and the hand-written entry (js/index.js, js/index.d.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

cargo build --quiet --release --target wasm32-unknown-unknown --features js
rm -rf dist && mkdir -p dist
wasm-bindgen target/wasm32-unknown-unknown/release/ziwo_webphone.wasm \
  --out-dir dist --target web --no-typescript-emit-description 2>/dev/null \
  || wasm-bindgen target/wasm32-unknown-unknown/release/ziwo_webphone.wasm --out-dir dist --target web
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  dist/ziwo_webphone_bg.wasm -o dist/ziwo_webphone_bg.wasm
cp js/index.js js/index.d.ts dist/
rm -f dist/.gitignore
# The <script>-tag build (global `ZiwoWebPhone`), when its builder is present.
if [ -f scripts/build-global.mjs ]; then node scripts/build-global.mjs; fi
echo "built dist/: $(ls dist | tr '\n' ' ')"
