#!/usr/bin/env bash
# Builds the npm package into dist/:
#   dist/       the web phone companion (entry `ziwo-webphone`): the release wasm of the
#               core's decisions (`--features js`, wasm-opt -Oz), js/wasm.js that drives
#               it, and the hand-written facade;
#   dist/full/  the companion and the REST client (entry `ziwo-webphone/full`);
#   dist/ziwo-webphone.global.js  the <script>-tag build of the companion.
# The npm wasm has no wasm-bindgen: it imports nothing and exports a small C ABI
# (src/js/mod.rs), so no generated glue is shipped. The wasm-bindgen CLI serves the
# Rust browser layer's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The shipped wasm is built by this pinned nightly with its own std: `panic=immediate-abort`
# drops the panic and formatting machinery that std's panic handler keeps alive even
# under `panic = "abort"`, `optimize_for_size` picks std's smaller code paths (BENCHMARKS.md,
# "Size"). scripts/setup.sh installs it.
NIGHTLY=nightly-2026-05-19
RUSTFLAGS_SIZE="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"

# One wasm build: cargo features $1 into directory $2.
build_wasm() {
  local features=$1 out=$2 target=target/wasm-$1
  RUSTFLAGS="$RUSTFLAGS_SIZE" cargo "+$NIGHTLY" build --quiet --release --target wasm32-unknown-unknown \
    --no-default-features --features "$features" --target-dir "$target" \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
  # --low-memory-unused: the low 1 KiB is the far end of the 1 MiB stack (Rust puts the
  # stack first), never reached; it lets wasm-opt fold constant offsets into loads (0.15 KB).
  wasm-opt -Oz --converge --low-memory-unused --strip-debug --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    --enable-multivalue "$target/wasm32-unknown-unknown/release/ziwo_webphone.wasm" -o "$out/ziwo_webphone_bg.wasm"
  # What js/wasm.js expects: no imports, the memory and the three functions.
  node -e '
    const m = new WebAssembly.Module(require("fs").readFileSync(process.argv[1]));
    const exports = WebAssembly.Module.exports(m).map((e) => e.name).sort().join(",");
    const imports = WebAssembly.Module.imports(m).map((i) => i.module + "." + i.name);
    if (imports.length || exports !== "memory,ziwo_input,ziwo_output,ziwo_run") {
      console.error(`build: ${process.argv[1]} imports [${imports}] and exports [${exports}]`);
      process.exit(1);
    }' "$out/ziwo_webphone_bg.wasm"
}

rm -rf dist && mkdir -p dist/full
build_wasm js dist
build_wasm api dist/full
cp js/index.js js/util.js js/wasm.js js/events.js js/index.d.ts dist/
cp js/index.js js/util.js js/wasm.js js/events.js js/api.js js/full.js js/index.d.ts js/api.d.ts js/full.d.ts dist/full/
# The <script>-tag build (global `ZiwoWebPhone`), when its builder is present.
if [ -f scripts/build-global.mjs ]; then node scripts/build-global.mjs; fi
echo "built dist/ and dist/full/"
