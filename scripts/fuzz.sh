#!/usr/bin/env bash
# A long property-testing campaign of every parser and validator of the pure core (event
# names and details, numbers, contact-center names, tokens and stored sessions, the
# tracker against its reference model, pop-up claims, API requests and envelopes).
# CI runs the same properties with proptest's default 256 cases each; this runs many more:
#
#   ./scripts/fuzz.sh              # 50,000 cases per property (a few minutes)
#   CASES=1000000 ./scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PROPTEST_CASES="${CASES:-50000}"
echo "fuzz: $PROPTEST_CASES cases per property"
cargo test --release --all-features --test core_properties -- --test-threads=2
