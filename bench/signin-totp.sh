#!/usr/bin/env bash
# Sign-in latency with a second factor (TOTP): the password, then the code, 4 concurrent clients,
# on SQLite and on PostgreSQL.
#
#   bench/signin-totp.sh                 # both backends; AGORA_BIN defaults to the release build
#   bench/signin-totp.sh sqlite          # or: postgres
#   BENCH_TOTP_USERS=400 BENCH_TOTP_C=4 bench/signin-totp.sh
#
# Per backend: a fresh database and server; bench/signin-totp-driver.mjs signs up BENCH_TOTP_USERS
# (200) accounts and enrols an authenticator key for each (not measured), then signs each in once
# from BENCH_TOTP_C (4) workers: POST /api/sign_in (argon2id on the blocking pool, the throttle rows,
# the challenge) then POST /api/sign_in_second_factor (the challenge, the throttle, the code, its step
# spent, the session). A code works once, so every sign-in is a different account.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init signin-totp

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
users=${BENCH_TOTP_USERS:-200}
c=${BENCH_TOTP_C:-4}

for backend in "${backends[@]}"; do
  case $backend in
    sqlite)
      mkdir -p "$BENCH_TMP/totp-db"
      url="sqlite://$BENCH_TMP/totp-db/agora.db"
      ;;
    postgres)
      bench_pg_start
      url=$BENCH_PG_URL
      ;;
    *) bench_die "unknown backend $backend (sqlite or postgres)" ;;
  esac
  bench_start_server "totp-$backend" "$url"
  label="sign-in with TOTP (password + code), $backend, $c clients"
  json=$BENCH_TMP/totp-$backend.json
  bench_log "$label: $users accounts"
  node "$BENCH_DIR/signin-totp-driver.mjs" "$BASE" "$users" "$c" "$BENCH_PASSWORD" >"$json" 2>"$BENCH_TMP/driver.err" ||
    { cat "$BENCH_TMP/driver.err" >&2; bench_die "$label: the driver failed"; }
  bench_detail "### $label" "$(cat "$json")"
  ok=$(jq .succeeded "$json")
  [ "$ok" = "$users" ] || bench_fail "$label" "FAILED: $((users - ok)) of $users sign-ins failed ($(jq -c '.statuses, .errors' "$json" | tr '\n' ' '))"
  bench_summary "$(jq -r --arg l "$label" '"\($l|.[0:58]|. + " " * (58 - length)) p50 \(.latency_ms.p50) ms   p99 \(.latency_ms.p99) ms   \(.sign_ins_per_s) sign-ins/s"' "$json")"
  bench_summary "$(jq -r '"    of which the code step                                   p50 \(.code_step_ms.p50) ms   p99 \(.code_step_ms.p99) ms"' "$json")"
  bench_stop_server
  [ "$backend" = postgres ] && bench_pg_stop
done
bench_detail "server: $AGORA_BIN_ORIGINAL, AGORA_ENVIRONMENT=${BENCH_ENVIRONMENT:-production}"
bench_finish
