#!/usr/bin/env bash
# Runs every test: formatting and lints, the pure core natively (unit, property and doc
# tests), the release build and its size report, the TypeScript types, the examples'
# builds, the browser layer in headless Chromium and Firefox (wasm-pack test), and the
# pages end to end with Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native and wasm32, every feature set)"
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --all-targets --all-features -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-features --lib --tests -- -D warnings
# The core alone (no browser layer), and the npm wasm's configuration (the layer and its
# wasm-bindgen exports).
cargo clippy --quiet --all-targets --no-default-features -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --features js --lib -- -D warnings

step "cargo test (pure core: unit, property and doc tests) and cargo doc"
cargo test --quiet --all-features
cargo test --quiet --no-default-features --lib
RUSTDOCFLAGS="-D warnings" cargo doc --quiet --no-deps --all-features --target wasm32-unknown-unknown

step "release build and size"
./scripts/build.sh
node scripts/size.mjs

step "TypeScript: README blocks and type tests (tsc --strict)"
./scripts/check-types.sh

step "examples: npm pack, install into the Vite and React apps, vite build"
./scripts/build-examples.sh

# The browser tests load the web phone simulator and call the API stand-in over HTTP.
SIM_PORT="${ZIWO_TEST_PORT:-47881}"
API_PORT="${ZIWO_API_PORT:-47882}"
export ZIWO_SIM_ORIGIN="http://127.0.0.1:$SIM_PORT"
export ZIWO_API_ORIGIN="http://127.0.0.1:$API_PORT"
node scripts/serve.mjs --port "$SIM_PORT" --root www >/dev/null &
SIM_SERVER=$!
node scripts/api-server.mjs --port "$API_PORT" >/dev/null &
API_SERVER=$!
trap 'kill $SIM_SERVER $API_SERVER 2>/dev/null || true' EXIT
# Wait for both (with Node, which the machine has; curl may not be installed).
node -e '
  const urls = process.argv.slice(1);
  const deadline = Date.now() + 10000;
  (async () => {
    for (const url of urls) {
      for (;;) {
        try { if ((await fetch(url)).ok) break; } catch {}
        if (Date.now() > deadline) { console.error(`test: ${url} did not answer (port in use?)`); process.exit(1); }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  })();
' "$ZIWO_SIM_ORIGIN/sim/jorel.js" "$ZIWO_API_ORIGIN/__control/requests"

FEATURES=js,serde
# Headless Chromium sometimes never finishes loading a wasm-bindgen-test page (wasm-pack
# issue #783: chromedriver logs "Timed out receiving message from renderer", the runner
# "Failed to detect test as having been run"). Here it came with the number of JS snippet
# files the test page imports (three: two runs in three hung; one: none in nine), so the
# crate keeps its JS in one snippet (js/events.js). As a guard, webdriver.json caps a
# page load at 60 s and such a run is tried once more; a test that fails, fails at once
# (a run with a failed test is not tried again, even when a later test then hung).
wasm_pack_test() {
  local log status=0
  log=$(mktemp)
  timeout 600 wasm-pack test --headless "$@" -- --features "$FEATURES" 2>&1 | tee "$log" || status=$?
  if [ "$status" != 0 ] && ! grep -q ' \.\.\. FAIL$\|panicked at' "$log" &&
    grep -q "Failed to detect test as having been run\|Timed out receiving message from renderer\|Timeout loading page" "$log" ||
    [ "$status" = 124 ]; then
    echo "test: 'wasm-pack test $*' hung (a page that never loaded, or status $status); trying once more" >&2
    status=0
    timeout 600 wasm-pack test --headless "$@" -- --features "$FEATURES" || status=$?
  fi
  rm -f "$log"
  return "$status"
}
step "wasm-pack test --headless --chrome"
CHROMEDRIVER=/usr/bin/chromedriver wasm_pack_test --chrome
step "wasm-pack test --headless --firefox"
GECKODRIVER="$(command -v geckodriver)" wasm_pack_test --firefox

step "Playwright (Chromium), WebDriver (Firefox) and Node: simulator, API stand-in, JS API, REST client, demo, tabs, examples"
node --test --test-reporter=spec e2e/
