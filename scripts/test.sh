#!/usr/bin/env bash
# Runs every test: formatting and lints, the pure core natively (unit, property and doc
# tests), the release build and its size budget, the browser layer in headless Chromium
# and Firefox (wasm-pack test), and the pages end to end with Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native and wasm32, all features)"
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --all-targets --all-features -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown --all-features --lib --tests -- -D warnings

step "cargo test (pure core: unit, property and doc tests)"
cargo test --quiet

step "release build and size"
./scripts/build.sh
node scripts/size.mjs

# The browser tests load the web phone simulator over HTTP: serve www/ on loopback.
PORT="${ZIWO_TEST_PORT:-47881}"
export ZIWO_SIM_ORIGIN="http://127.0.0.1:$PORT"
node scripts/serve.mjs --port "$PORT" --root www >/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "$ZIWO_SIM_ORIGIN/sim/jorel.js" >/dev/null && break; sleep 0.1; done

step "wasm-pack test --headless --chrome"
CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome -- --features js
step "wasm-pack test --headless --firefox"
GECKODRIVER="$(command -v geckodriver)" wasm-pack test --headless --firefox -- --features js

step "Playwright (Chromium): simulator and demo end to end"
node --test --test-reporter=spec e2e/
