#!/usr/bin/env bash
# Sign-in latency: POST /api/sign_in with the right password, 4 concurrent clients (SQLite).
#
#   bench/signin.sh                      # AGORA_BIN defaults to the release build
#   AGORA_BIN=$CARGO_TARGET_DIR/debug/agora-server bench/signin.sh
#   BENCH_SIGNIN_N=400 BENCH_SIGNIN_C=4 bench/signin.sh
#
# Creates one account through POST /api/sign_up on a fresh SQLite database, then has oha send
# BENCH_SIGNIN_N (200) sign-ins over BENCH_SIGNIN_C (4) connections. Each sign-in verifies an argon2id
# hash (m=19456 KiB, t=2, p=1) on the blocking pool and writes the throttle rows and a new session, so
# the figure is mostly argon2 on 2 cores. The right password is used throughout: a success resets the
# account's failure counter, and at most 4 attempts are in flight, below the 5 free failures, so the
# throttle never answers 429 (any non-2xx fails the run).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init signin
bench_require_oha

n=${BENCH_SIGNIN_N:-200}
c=${BENCH_SIGNIN_C:-4}
email=signin-bench@example.test

db_dir=$BENCH_TMP/signin-db
mkdir -p "$db_dir"
bench_start_server signin "sqlite://$db_dir/agora.db"
status=$(curl -sS -o "$BENCH_TMP/sign_up.json" -w '%{http_code}' -X POST "$BASE/api/sign_up" -H "Origin: $BASE" \
  --data-urlencode "email=$email" --data-urlencode "display_name=Sign-in Bench" --data-urlencode "password=$BENCH_PASSWORD")
[ "$status" = 200 ] || { cat "$BENCH_TMP/sign_up.json" >&2; bench_die "sign_up answered $status"; }

body="email=$(jq -rn --arg v "$email" '$v|@uri')&password=$(jq -rn --arg v "$BENCH_PASSWORD" '$v|@uri')"
# A few warm-up sign-ins (connection pools, the argon2 blocking threads, page cache), not measured.
bench_warmup -n 8 -c "$c" -m POST -H "Origin: $BASE" -T application/x-www-form-urlencoded -d "$body" "$BASE/api/sign_in"
bench_oha "sign-in, SQLite, $c clients, $n requests" \
  -n "$n" -c "$c" -m POST -H "Origin: $BASE" -T application/x-www-form-urlencoded -d "$body" "$BASE/api/sign_in"
bench_detail "server: $AGORA_BIN_ORIGINAL on $BASE, sqlite://$db_dir/agora.db, AGORA_ENVIRONMENT=${BENCH_ENVIRONMENT:-production}"
bench_stop_server
bench_finish
