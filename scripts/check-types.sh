#!/usr/bin/env bash
# Type-checks, with the project's TypeScript (`tsc --strict`), against the built package
# (dist/, from ./scripts/build.sh) resolved through package.json's "exports":
#   - every js/ts code block of README.md (copied into types-test/readme/);
#   - types-test/usage.ts: the whole API used as documented;
#   - types-test/errors.ts and global.ts: mistakes (wrong state names, misspelt payload
#     fields, wrong install options, wrong listener payloads) that must not compile.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/index.d.ts ] && [ -f dist/ziwo-webphone.global.d.ts ] || {
  echo "check-types: dist/ is not built: run ./scripts/build.sh first" >&2
  exit 1
}
node types-test/extract-readme.mjs
node_modules/.bin/tsc -p types-test
echo "check-types: README blocks and type tests compile as expected ($(node_modules/.bin/tsc --version))"
