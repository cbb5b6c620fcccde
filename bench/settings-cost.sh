#!/usr/bin/env bash
# What the settings centre costs every page request (issue 15), in nanoseconds: the settings snapshot,
# the maintenance announcement and every feature flag for a signed-in user (a rule with targets and a
# percentage). A release build of the app's unit tests; prints one line.
#
#   bench/settings-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh release >/dev/null
cargo test --release -p agora-app --features ssr --lib -- --ignored settings_cost_per_request --nocapture 2>&1 \
  | grep "settings per request"
