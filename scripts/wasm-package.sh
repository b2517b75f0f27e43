#!/usr/bin/env bash
# The npm package's wasm and glue from the crate's release wasm, into DIR: what
# scripts/build.sh ships, and bench/names-build.sh profiles (with --names: the name
# section kept).
#
#   scripts/wasm-package.sh <release .wasm> <DIR> [--names]
#
#   DIR/ziwo_webphone_bg.wasm            the module (wasm-opt -Oz), its imports from the glue,
#                                        their modules and its closures' exports renamed
#                                        short (scripts/short-imports.mjs: hashed names do
#                                        not compress, -4.8 KB gzipped)
#   DIR/ziwo_webphone_companion_bg.wasm  the same module without the REST client's exports
#                                        and the code only they reach
#                                        (scripts/companion-wasm.mjs): what a page loads
#                                        when it does not import ziwo-webphone/full
#   DIR/ziwo_webphone.js                 the wasm-bindgen glue, with the one snippet it
#                                        imports (js/events.js) bundled in: a page fetches
#                                        index.js and the glue, not a third module after them
#                                        (the wasm's imports keep the snippet's path as their
#                                        module name, a string)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
wasm=$1 out=$2
names=(--strip-debug)
[ "${3:-}" = --names ] && names=(-g)

wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name ziwo_webphone "$wasm"
# Rust 1.87+ emits bulk-memory and non-trapping float-to-int instructions.
features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
  --enable-multivalue --enable-reference-types)
wasm-opt -Oz --converge "${names[@]}" --strip-producers "${features[@]}" \
  "$out/ziwo_webphone_bg.wasm" -o "$out/ziwo_webphone_bg.wasm"
node scripts/short-imports.mjs "$out/ziwo_webphone_bg.wasm" "$out/ziwo_webphone.js"
companion=("${features[@]}")
[ "${3:-}" = --names ] && companion+=(-g)
node scripts/companion-wasm.mjs "$out/ziwo_webphone_bg.wasm" "$out/ziwo_webphone_companion_bg.wasm" "${companion[@]}"
esbuild "$out/ziwo_webphone.js" --bundle --format=esm --target=es2022 --log-level=error \
  --log-override:duplicate-object-key=silent --allow-overwrite --outfile="$out/ziwo_webphone.js"
rm -rf "$out/snippets"
if grep -q '^import ' "$out/ziwo_webphone.js"; then echo "wasm-package: the glue still imports a module" >&2; exit 1; fi
