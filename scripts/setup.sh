#!/usr/bin/env bash
# Installs every tool the demo, the build and the tests need. Idempotent: each step
# skips itself when its tool is already present at the right version.
set -euo pipefail
cd "$(dirname "$0")/.."

# The wasm-bindgen CLI must be the version of the crate in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
: "${WASM_BINDGEN_VERSION:?could not read the wasm-bindgen version from Cargo.lock}"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n== setup: %s\n' "$*" >&2; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
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
