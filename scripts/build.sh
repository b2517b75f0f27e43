#!/usr/bin/env bash
# Builds the npm package into dist/:
#   dist/       the web phone companion (entry `ziwo-webphone`): release wasm,
#               wasm-bindgen's ES module glue, wasm-opt -Oz, the hand-written facade;
#   dist/full/  the companion and the REST client (entry `ziwo-webphone/full`);
#   dist/ziwo-webphone.global.js  the <script>-tag build of the companion.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The shipped wasm is built by this pinned nightly with its own std: `panic=immediate-abort`
# drops the panic and formatting machinery that std's panic handler keeps alive even
# under `panic = "abort"`, `optimize_for_size` picks std's smaller code paths. About
# 3 KB of the 26 KB gzipped companion (BENCHMARKS.md). scripts/setup.sh installs it.
NIGHTLY=nightly-2026-05-19
RUSTFLAGS_SIZE="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"

# One wasm build: cargo features $1 into directory $2.
build_wasm() {
  local features=$1 out=$2 target=target/wasm-$1
  RUSTFLAGS="$RUSTFLAGS_SIZE" cargo "+$NIGHTLY" build --quiet --release --target wasm32-unknown-unknown \
    --features "$features" --target-dir "$target" -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
  wasm-bindgen "$target/wasm32-unknown-unknown/release/ziwo_webphone.wasm" --out-dir "$out" --target web
  wasm-opt -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/ziwo_webphone_bg.wasm" -o "$out/ziwo_webphone_bg.wasm"
  rm -f "$out/.gitignore"
}

rm -rf dist && mkdir -p dist/full
build_wasm js dist
build_wasm api dist/full
cp js/index.js js/util.js js/index.d.ts dist/
cp js/index.js js/util.js js/api.js js/full.js js/index.d.ts js/api.d.ts js/full.d.ts dist/full/
# js/index.js imports './events.js': point it at the snippet copy that wasm-bindgen made
# and the glue imports, so that a page (and a bundle) holds the module once.
for dir in dist dist/full; do
  snippet=$(cd "$dir" && ls -d snippets/*/js/events.js)
  sed -i "s#from './events.js'#from './$snippet'#" "$dir/index.js"
  grep -q "from './$snippet'" "$dir/index.js" || { echo "build: could not point $dir/index.js at $snippet" >&2; exit 1; }
done
# The <script>-tag build (global `ZiwoWebPhone`), when its builder is present.
if [ -f scripts/build-global.mjs ]; then node scripts/build-global.mjs; fi
echo "built dist/ and dist/full/"
