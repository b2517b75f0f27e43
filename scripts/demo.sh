#!/usr/bin/env bash
# Runs the demo: installs what is missing, builds the library, serves the demo CRM page
# with the web phone simulator on http://127.0.0.1:${PORT:-8080}/ (offline).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
exec node scripts/serve.mjs --port "${PORT:-8080}" --root www
