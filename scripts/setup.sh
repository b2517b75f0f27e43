#!/usr/bin/env bash
# Installs every tool the demo, the build and the tests need. Idempotent: each step
# skips itself when its tool is already present at the right version.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml | head -n1)
: "${WASM_BINDGEN_VERSION:?could not read the pinned wasm-bindgen version from Cargo.toml}"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n== setup: %s\n' "$*" >&2; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The npm package's wasm is built with a pinned nightly and its own std (build-std,
# panic=immediate-abort: no panic or formatting machinery in the shipped wasm); see
# scripts/build.sh. Rust users of the crate and every test use stable.
NIGHTLY=$(sed -n 's/^NIGHTLY=//p' scripts/build.sh | head -n1)
: "${NIGHTLY:?could not read the pinned nightly from scripts/build.sh}"
if ! rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src'; then
  step "rustup toolchain install $NIGHTLY --component rust-src"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src
fi

missing_pkgs=()
command -v chromium >/dev/null || missing_pkgs+=(chromium)
command -v chromedriver >/dev/null || missing_pkgs+=(chromium-driver)
command -v firefox-esr >/dev/null || command -v firefox >/dev/null || missing_pkgs+=(firefox-esr)
if [ ${#missing_pkgs[@]} -gt 0 ]; then
  step "apt-get install ${missing_pkgs[*]}"
  sudo_ apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_pkgs[@]}" >/dev/null
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 7 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v wasm-pack >/dev/null; then
  step "cargo install wasm-pack (about 3.5 minutes)"
  cargo install wasm-pack
fi

if ! command -v geckodriver >/dev/null; then
  step "cargo install geckodriver (about 2.5 minutes)"
  cargo install geckodriver
fi

# npm dependencies (Playwright driver, binaryen's wasm-opt, TypeScript). `npm ci` only
# when the lock file changed since the last install.
if [ -f package-lock.json ]; then
  stamp=node_modules/.ziwo-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    step "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json "$stamp"
  fi
fi
