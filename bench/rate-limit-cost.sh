#!/usr/bin/env bash
# What the rate limits (issue 15) cost a request: in process, the classification of every request (an
# unlimited one pays only that) and, for a limited one, the decision for its IP and account buckets and
# its headers, in nanoseconds; then the database upsert that counts a limited request, in microseconds,
# on a fresh SQLite file (one request at a time). A release build of the server's unit tests; prints
# three lines.
#
#   bench/rate-limit-cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh release >/dev/null
cargo test --release -p agora-server --lib -- --ignored rate_limit_cost_per_request --nocapture 2>&1 \
  | grep "rate limits in"
