#!/usr/bin/env bash
# Builds every example against the library in dist/ (run ./scripts/build.sh first), as a
# user would: `npm pack` of the repository, the tarball installed into the Vite and React
# apps (file:../packed/ziwo-webphone.tgz), `npm run build` (tsc, then vite build).
#
# Idempotent and quick when nothing changed: the tarball is replaced only when its bytes
# differ (npm pack is reproducible), and an app's dependencies are installed only when its
# package.json, package-lock.json or the tarball changed since its last install. The
# script-tag and CSP examples need no build (they use dist/ as it is).
#
# npm keeps the tarball's hash in each lock file; it is taken out again after an install,
# so that a rebuilt dist/ does not change the committed lock files.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

[ -f dist/index.js ] && [ -f dist/ziwo-webphone.global.js ] || {
  echo "build-examples: dist/ is not built: run ./scripts/build.sh first" >&2
  exit 1
}

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
npm pack --silent --pack-destination "$TMP" >/dev/null
mkdir -p examples/packed
PACKED=examples/packed/ziwo-webphone.tgz
if ! cmp -s "$TMP"/ziwo-webphone-*.tgz "$PACKED"; then
  cp "$TMP"/ziwo-webphone-*.tgz "$PACKED"
  echo "build-examples: packed $(tar tzf "$PACKED" | wc -l) files into $PACKED"
fi

# Removes the integrity hash of the local tarball from a lock file (see above).
strip_tarball_integrity() {
  node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
    const entry = lock.packages?.["node_modules/ziwo-webphone"];
    if (entry && "integrity" in entry) {
      delete entry.integrity;
      fs.writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
    }'
}

stamp() { cat package.json package-lock.json "$ROOT/$PACKED" 2>/dev/null | sha256sum | cut -d' ' -f1; }

for app in vite react; do
  (
    cd "examples/$app"
    if [ ! -f node_modules/.ziwo-stamp ] || [ "$(cat node_modules/.ziwo-stamp)" != "$(stamp)" ]; then
      echo "build-examples: npm install in examples/$app"
      # Naming the tarball makes npm unpack it again even when its version did not change.
      npm install --no-audit --no-fund --loglevel=error ../packed/ziwo-webphone.tgz
      strip_tarball_integrity
      stamp >node_modules/.ziwo-stamp
    fi
    npm run --silent build -- --logLevel warn
    echo "build-examples: built examples/$app/dist"
  )
done
