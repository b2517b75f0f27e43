#!/usr/bin/env bash
# Runs the demo: installs what is missing, builds the library, and serves the demo CRM
# page with the web phone simulator on http://127.0.0.1:${PORT:-8080}/ and the stand-in of
# ZIWO's REST API on http://127.0.0.1:${API_PORT:-8081}/ (offline; Ctrl-C stops both).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
PORT="${PORT:-8080}"
API_PORT="${API_PORT:-8081}"
# The demo agent's token (www/demo.js): the stand-in API accepts it.
node scripts/api-server.mjs --port "$API_PORT" --token demo-0b5e2c1a-9d7f-4e61-a3c2-5f8e7d6c4b3a &
API=$!
trap 'kill $API 2>/dev/null || true' EXIT
echo "Demo: http://127.0.0.1:$PORT/ (with the API stand-in on port $API_PORT: open http://127.0.0.1:$PORT/?api=http://127.0.0.1:$API_PORT if you change it)"
node scripts/serve.mjs --port "$PORT" --root www
