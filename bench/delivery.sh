#!/usr/bin/env bash
# Delivery throughput through the outbox worker, on SQLite (one server) and PostgreSQL (two servers
# sharing the database, competing for the same rows):
#
#   bench/delivery.sh                    # both backends
#   bench/delivery.sh sqlite             # or: postgres
#   BENCH_DELIVERIES=10000 bench/delivery.sh
#
# Per backend: a fresh database, `agora-server migrate` and `admin create`, a real SMTP server
# (end2end/fixtures/mail-server.mjs) and a real webhook receiver (end2end/fixtures/webhook-receiver.mjs,
# which checks every signature with npm standardwebhooks), and the server(s) in development mode with
# clock control (to pass the retry schedule's delays without waiting them) and loopback endpoints
# allowed. Two webhook endpoints are inserted by SQL: one at the receiver's /ok path, one at its
# /fail-half path (500 and 200 alternately). N outbox rows are inserted per phase, as a change would
# write them, and the phase lasts until none is pending:
#
#   webhooks     N signed POSTs to /ok                        <- deliveries/s
#   email        N mails (payments.approved, rendered from the template) to the SMTP server <- mails/s
#   fail-half    N POSTs to /fail-half: the first pass is timed; then the clock is moved past each
#                retry delay until nothing is pending. Checked: every message was accepted by the
#                receiver exactly once (by webhook-id) or is exhausted and visible; the exhausted ones
#                (about N / 2^8 with a coin-flip receiver) are replayed and then accepted once too.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init delivery
command -v sqlite3 >/dev/null || bench_die "sqlite3 is not installed: run bench/install.sh"
command -v node >/dev/null || bench_die "node is not installed"
[ -d "$REPO/node_modules/standardwebhooks" ] || bench_die "npm packages missing: run npm install"

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
n=${BENCH_DELIVERIES:-10000}
SECRET="whsec_$(head -c 32 /dev/urandom | base64 | tr -d '\n')"

now_ms() { date +%s%3N; }

# sql BACKEND DB_URL: runs stdin against the database, prints the first column of the result.
sql() {
  case $1 in
    sqlite) sqlite3 "${2#sqlite://}" ;;
    postgres) psql -qtAX "$2" ;;
  esac
}

# A node helper started in the background whose first stdout line is {"port":N}; sets HELPER_PORT.
# Its stdin is a FIFO this script holds open: the mail server exits when its stdin closes, so it goes
# away with the script.
start_helper() {
  local name=$1 _ fd
  shift
  rm -f "$BENCH_TMP/$name.in"
  mkfifo "$BENCH_TMP/$name.in"
  exec {fd}<>"$BENCH_TMP/$name.in"
  node "$@" <"$BENCH_TMP/$name.in" >"$BENCH_TMP/$name.out" 2>"$BENCH_TMP/$name.err" &
  BENCH_PIDS+=("$!")
  for _ in $(seq 100); do
    HELPER_PORT=$(sed -n '1s/.*"port":\([0-9]*\).*/\1/p' "$BENCH_TMP/$name.out")
    [ -n "$HELPER_PORT" ] && return 0
    sleep 0.1
  done
  bench_die "$name did not start: $(cat "$BENCH_TMP/$name.err")"
}

# start_app NAME DB_URL: agora-server serve in development, clock control on, mail to the SMTP server.
start_app() {
  local name=$1 url=$2 port envs _
  port=$(bench_free_port)
  mapfile -t envs < <(bench_env "$url" "$port")
  (cd "$REPO" && exec env "${envs[@]}" AGORA_ENVIRONMENT=development AGORA_CLOCK_CONTROL=true \
    AGORA_WEBHOOK_ALLOW_PRIVATE_TARGETS=true AGORA_SMTP_HOST=127.0.0.1 AGORA_SMTP_PORT="$MAIL_PORT" \
    AGORA_SMTP_SECURITY=none AGORA_OUTBOX_INTERVAL_MS=100 AGORA_DATABASE_MAX_CONNECTIONS=20 \
    "$AGORA_BIN" --config "$REPO/Leptos.toml" serve) >"$BENCH_TMP/$name.log" 2>&1 &
  BENCH_PIDS+=("$!")
  APP_PORTS+=("$port")
  for _ in $(seq 1200); do
    [ "$(bench_http_status "$port" /readyz)" = 200 ] && return 0
    sleep 0.1
  done
  cat "$BENCH_TMP/$name.log" >&2
  bench_die "$name did not become ready"
}

pending() { echo "SELECT COUNT(*) FROM outbox WHERE status = 'pending';" | sql "$1" "$2"; }

# wait_drained BACKEND URL: until nothing is pending or nothing moved for 3 s (only delays left).
wait_drained() {
  local last=-1 still=0 p
  while :; do
    p=$(pending "$1" "$2")
    [ "$p" = 0 ] && return 0
    if [ "$p" = "$last" ]; then still=$((still + 1)); else still=0; fi
    [ "$still" -ge 30 ] && return 1
    last=$p
    sleep 0.1
  done
}

# insert_rows BACKEND URL CHANNEL EVENT ENDPOINT USER: N pending outbox rows, due now.
insert_rows() {
  local at
  at=$(echo "SELECT COALESCE(MAX(created_at), 0) FROM outbox;" | sql "$1" "$2")
  [ "$at" != 0 ] || at=$(now_ms)
  local series
  case $1 in
    sqlite) series="WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $n) SELECT i FROM s" ;;
    postgres) series="SELECT generate_series(1, $n) AS i" ;;
  esac
  # Due at the earliest time: the servers' clocks may have been moved ahead.
  sql "$1" "$2" <<SQL >/dev/null
INSERT INTO outbox (created_at, event_type, channel, recipient_user_id, recipient_address, endpoint_id, payload_json,
  status, attempts, next_attempt_at, updated_at)
SELECT $at, '$4', '$3', $6, NULL, $5,
  '{"type":"$4","timestamp":"2026-12-05T00:00:00Z","data":{"n":' || i || '},"reference":"BENCH-' || i || '","amount":"10.00"}',
  'pending', 0, 0, $at FROM ($series) s;
SQL
}

run_backend() {
  local backend=$1 url
  APP_PORTS=()
  case $backend in
    sqlite)
      mkdir -p "$BENCH_TMP/db-delivery"
      rm -f "$BENCH_TMP/db-delivery/agora.db"*
      url="sqlite://$BENCH_TMP/db-delivery/agora.db"
      ;;
    postgres)
      bench_pg_start
      url=$BENCH_PG_URL
      ;;
  esac
  bench_agora "$url" migrate >/dev/null
  printf '%s\n' "$BENCH_PASSWORD" | bench_agora "$url" admin create --email "$BENCH_ADMIN_EMAIL" --name "Bench Admin" >/dev/null
  local admin
  admin=$(echo "SELECT id FROM users WHERE email = '$BENCH_ADMIN_EMAIL';" | sql "$backend" "$url")

  rm -rf "$BENCH_TMP/mail" "$BENCH_TMP/receiver.jsonl"
  mkdir -p "$BENCH_TMP/mail"
  start_helper mail "$REPO/end2end/fixtures/mail-server.mjs" "$BENCH_TMP/mail" 0
  MAIL_PORT=$HELPER_PORT
  start_helper receiver "$REPO/end2end/fixtures/webhook-receiver.mjs" "$BENCH_TMP/receiver.jsonl"
  local rx=$HELPER_PORT
  curl -sS -X POST "http://127.0.0.1:$rx/_secrets" -d "[\"$SECRET\"]" >/dev/null
  local t
  t=$(now_ms)
  sql "$backend" "$url" <<SQL >/dev/null
INSERT INTO webhook_endpoints (id, organisation_id, url, description, event_types, status, secret, created_at, created_by, updated_at)
VALUES (1, NULL, 'http://127.0.0.1:$rx/ok/bench', 'bench ok', '', 'active', '$SECRET', $t, $admin, $t),
       (2, NULL, 'http://127.0.0.1:$rx/fail-half/bench', 'bench fail-half', '', 'active', '$SECRET', $t, $admin, $t);
SQL

  start_app "$backend-a" "$url"
  [ "$backend" = postgres ] && start_app "$backend-b" "$url"
  local servers=${#APP_PORTS[@]}

  # Webhooks to a receiver that accepts everything.
  insert_rows "$backend" "$url" webhook webhook.test 1 NULL
  local t0 t1
  t0=$(now_ms)
  wait_drained "$backend" "$url" || bench_die "webhooks did not drain: $(echo "SELECT status, attempts, last_error, COUNT(*) FROM outbox GROUP BY 1, 2, 3;" | sql "$backend" "$url")"
  t1=$(now_ms)
  local ok_ids
  ok_ids=$(node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const ok = lines.filter(l => l.path === "/ok/bench");
    const bad = ok.filter(l => !l.verified[0]).length;
    console.log(new Set(ok.map(l => l.id)).size + " " + ok.length + " " + bad);' "$BENCH_TMP/receiver.jsonl")
  read -r unique total unverified <<<"$ok_ids"
  [ "$unique" = "$n" ] && [ "$total" = "$n" ] && [ "$unverified" = 0 ] ||
    bench_fail "$backend webhooks" "$unique ids, $total requests, $unverified unverified (want $n, $n, 0)"
  bench_summary "$backend ($servers server(s)): $n webhooks to /ok in $((t1 - t0)) ms: $((n * 1000 / (t1 - t0 + 1)))/s, every signature verified, each id once"

  # Email through the SMTP server.
  insert_rows "$backend" "$url" email payments.approved NULL "$admin"
  t0=$(now_ms)
  wait_drained "$backend" "$url" || bench_die "mail did not drain: $(echo "SELECT status, attempts, last_error, COUNT(*) FROM outbox WHERE channel = 'email' GROUP BY 1, 2, 3;" | sql "$backend" "$url")"
  t1=$(now_ms)
  local mails
  mails=$(find "$BENCH_TMP/mail" -name '*.json' | wc -l)
  [ "$mails" = "$n" ] || bench_fail "$backend email" "$mails mails received, want $n"
  bench_summary "$backend ($servers server(s)): $n mails in $((t1 - t0)) ms: $((n * 1000 / (t1 - t0 + 1)))/s ($mails received)"

  # A receiver failing half its requests.
  insert_rows "$backend" "$url" webhook webhook.test 2 NULL
  t0=$(now_ms)
  wait_drained "$backend" "$url" || true
  t1=$(now_ms)
  local first_pass=$((t1 - t0)) rounds=0
  while [ "$(pending "$backend" "$url")" != 0 ]; do
    rounds=$((rounds + 1))
    [ "$rounds" -le 20 ] || bench_die "fail-half: still pending after 20 clock moves"
    for port in "${APP_PORTS[@]}"; do
      curl -sS -X POST "http://127.0.0.1:$port/__dev/clock/advance?ms=46800000" >/dev/null
    done
    wait_drained "$backend" "$url" || true
  done
  local exhausted
  exhausted=$(echo "SELECT COUNT(*) FROM outbox WHERE endpoint_id = 2 AND status = 'exhausted';" | sql "$backend" "$url")
  # The exhausted ones are replayed as the desk does (same rows, same webhook-id), then drained.
  echo "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = 0, lease_owner = NULL, lease_until = NULL
        WHERE endpoint_id = 2 AND status = 'exhausted';" | sql "$backend" "$url" >/dev/null
  while [ "$(pending "$backend" "$url")" != 0 ]; do
    for port in "${APP_PORTS[@]}"; do
      curl -sS -X POST "http://127.0.0.1:$port/__dev/clock/advance?ms=46800000" >/dev/null
    done
    wait_drained "$backend" "$url" || true
  done
  local check
  check=$(node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const fh = lines.filter(l => l.path === "/fail-half/bench");
    const accepted = new Map();
    for (const l of fh) if (l.status === 200) accepted.set(l.id, (accepted.get(l.id) || 0) + 1);
    const twice = [...accepted.values()].filter(c => c > 1).length;
    const bad = fh.filter(l => !l.verified[0]).length;
    console.log(accepted.size + " " + twice + " " + fh.length + " " + bad);' "$BENCH_TMP/receiver.jsonl")
  read -r accepted twice requests unverified <<<"$check"
  local left
  left=$(echo "SELECT COUNT(*) FROM outbox WHERE endpoint_id = 2 AND status <> 'delivered';" | sql "$backend" "$url")
  [ "$accepted" = "$n" ] && [ "$twice" = 0 ] && [ "$left" = 0 ] && [ "$unverified" = 0 ] ||
    bench_fail "$backend fail-half" "$accepted accepted, $twice accepted twice, $left not delivered, $unverified unverified"
  bench_summary "$backend ($servers server(s)): $n webhooks to a receiver failing half: first pass $first_pass ms, $rounds clock moves through the retries, $requests requests, $exhausted exhausted after 8 attempts then replayed; $accepted accepted, $twice twice, 0 lost"

  local pid
  for pid in "${BENCH_PIDS[@]}"; do bench_stop_pid "$pid"; done
  BENCH_PIDS=()
  [ "$backend" = postgres ] && bench_pg_stop
  return 0
}

for backend in "${backends[@]}"; do
  bench_log "delivery on $backend ($n per phase)"
  run_backend "$backend"
done
bench_finish
