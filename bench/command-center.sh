#!/usr/bin/env bash
# The command center over a big marketplace, on SQLite and on PostgreSQL: launch readiness, today's
# work, the KPI cards and trend charts, and a background export of every ledger posting.
#
#   bench/command-center.sh                  # both backends
#   bench/command-center.sh sqlite           # or: postgres
#   BENCH_CC_LISTINGS=1000000 BENCH_CC_ORDERS=1000000 BENCH_CC_N=400 BENCH_CC_C=8 bench/command-center.sh
#
# Per backend: a fresh database, `agora-server migrate`, the bench super admin, then
# bench/seed-catalog.sh (BENCH_CC_LISTINGS listings, 1,000,000 by default; no search index) and
# bench/seed-orders.sh (BENCH_CC_ORDERS orders over 400 days, 1,000,000 by default: about 1.75 million
# ledger postings with 4.1 million entries), then the server. The admin signs in, and:
#
#   first KPI rollup    seconds from the server being ready until it has rolled up the seeded
#                       history by quarter hour (what the KPI cards and charts read)
#   readiness page      GET /console/readiness, the whole server-rendered page, one request at a time
#                       (BENCH_CC_TTFB_RUNS, 20): time to first byte, median and max  <- the headline
#   readiness checks    POST /api/get_readiness (every check measured), BENCH_CC_C connections
#   KPI cards, 30 days  POST /api/command_center_kpis period=30d                    <- the headline
#   KPI cards, custom   period=custom over the whole year
#   trend chart, 30 d   POST /api/command_center_trends days=30
#   today's work        POST /api/command_center_work (every queue: count, oldest, SLA)
#   command center      GET /console (the page, signed in)
#   ledger export       exports the ledger postings of the last 102 days (about a million rows), then
#                       of the whole history, with their entries as CSV, in the background
#                       (over 100,000 rows): seconds from the request to the finished file, the
#                       file's rows and size, and the server's peak RSS growth meanwhile (sampled
#                       every 50 ms from /proc)                                    <- the headline
# PostgreSQL is ANALYZEd after seeding and has shared_buffers of 1GB (bench_pg_start); SQLite is left
# as the application leaves it.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init command-center
bench_require_oha
command -v sqlite3 >/dev/null || bench_die "sqlite3 is not installed: run bench/install.sh"

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
listings=${BENCH_CC_LISTINGS:-1000000}
orders=${BENCH_CC_ORDERS:-1000000}
n=${BENCH_CC_N:-400}
c=${BENCH_CC_C:-8}
ttfb_runs=${BENCH_CC_TTFB_RUNS:-20}
# BENCH_CC_KEEP=DIR keeps the seeded SQLite database in DIR and reuses it on the next run (seeding a
# million listings and orders takes minutes); PostgreSQL is always seeded afresh.
keep=${BENCH_CC_KEEP:-}

# post ENDPOINT BODY: one signed-in server function call; dies unless it answers 200.
post() {
  local out="$BENCH_TMP/post.json" status
  status=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$BASE/api/$1" -H "Origin: $BASE" -H "Cookie: $cookie" \
    -H 'Content-Type: application/x-www-form-urlencoded' --data "$2")
  [ "$status" = 200 ] || { head -c 500 "$out" >&2; bench_die "$1 answered $status"; }
  cat "$out"
}

# ttfb PATH: time to first byte of a signed-in GET, BENCH_CC_TTFB_RUNS times in a row; the median
# and the max, in ms.
ttfb() {
  local path=$1 i times=()
  for i in $(seq "$ttfb_runs"); do
    times+=("$(curl -sS -o /dev/null -w '%{http_code} %{time_starttransfer}' -H "Cookie: $cookie" "$BASE$path")")
  done
  printf '%s\n' "${times[@]}" | sort -k2 -n | awk -v path="$path" '
    $1 != 200 { bad++ }
    { t[NR] = $2 * 1000 }
    END {
      printf "%s: time to first byte median %.1f ms, max %.1f ms over %d requests%s\n", path, t[int((NR + 1) / 2)], t[NR], NR, bad ? ", " bad " not 200" : ""
    }'
}


# rss_kb: the server's resident set, in KB.
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }

# export_ledger LABEL DAYS: the ledger entries (with their postings) of the last DAYS days as a
# background CSV export: seconds from the request to the finished file, and the server's peak RSS
# growth meanwhile. 102 days of the seeded history are about a million rows; 400 are all of it.
export_ledger() {
  local db=$1 days=$2 from to status t0 rss0 peak rss row state="" secs
  from=$(date -u -d '@'$(((now - days * 86400000) / 1000)) +%F)
  to=$(date -u -d '@'$((now / 1000)) +%F)
  rss0=$(rss_kb)
  peak=$rss0
  t0=$EPOCHREALTIME
  status=$(curl -sS -o "$BENCH_TMP/export.out" -w '%{http_code}' -X POST "$BASE/console/exports/run" -H "Origin: $BASE" \
    -H "Cookie: $cookie" --data "dataset=ledger&period=custom&from=$from&to=$to")
  [ "$status" = 303 ] || { head -c 500 "$BENCH_TMP/export.out" >&2; bench_die "the ledger export answered $status, not 303 (a background job)"; }
  local i=0
  while [ "$state" != ready ]; do
    sleep 0.05
    rss=$(rss_kb)
    [ "$rss" -gt "$peak" ] && peak=$rss
    i=$((i + 1))
    if [ $((i % 10)) = 0 ]; then
      row=$(post my_exports "" | jq -c '.rows[0]')
      state=$(jq -r ".status | ascii_downcase" <<<"$row")
      [ "$state" = failed ] && bench_die "the ledger export failed: $row"
      [ $i -gt 12000 ] && bench_die "the ledger export did not finish in 10 minutes: $row"
    fi
  done
  secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  bench_summary "$db ledger export (background), last $days days: $(jq -r .rows_total <<<"$row") rows in $secs s (request to file ready, polled every 0.5 s), $(q "SELECT file_bytes FROM data_exports ORDER BY id DESC LIMIT 1") bytes, server RSS $((rss0 / 1024)) MB -> peak $((peak / 1024)) MB (growth $(((peak - rss0) / 1024)) MB)"
}

# wait_for_rollup LABEL: the server rolls the KPI figures up by quarter hour as it starts (the
# seeded year has never been rolled up); the figures are exact meanwhile, but the bench measures the
# rolled-up reads, so it waits, and reports how long the first rollup of the whole history took.
wait_for_rollup() {
  local t0=$EPOCHREALTIME until target
  target=$(($(date +%s%3N) - 30 * 60000))
  for _ in $(seq 6000); do
    until=$(q "SELECT COALESCE(rolled_until, 0) FROM kpi_rollup")
    [ "$until" -ge "$target" ] && break
    sleep 0.1
  done
  [ "$until" -ge "$target" ] || bench_die "the KPI rollup did not catch up in 10 minutes"
  bench_summary "$1 first KPI rollup of the seeded history: $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s after the server was ready, $(q "SELECT COUNT(*) FROM kpi_buckets") quarter-hour buckets"
}

measure() {
  local db=$1 body
  body=$(post get_readiness "")
  bench_detail "$db readiness: $(jq -c '[.checks[] | {id, status}] | group_by(.status) | map({(.[0].status): length}) | add' <<<"$body" 2>/dev/null || head -c 300 <<<"$body")"
  bench_summary "$db $(ttfb /console/readiness)"
  bench_detail "$db $(ttfb /console)"
  post command_center_kpis "period=30d" >"$BENCH_TMP/kpis.json"
  bench_detail "$db KPIs 30d: $(head -c 1500 "$BENCH_TMP/kpis.json")"
  bench_warmup -n 50 -c "$c" -m POST -H "Origin: $BASE" -H "Cookie: $cookie" \
    -T application/x-www-form-urlencoded -d "period=30d" "$BASE/api/command_center_kpis"
  # `|| true`: with BENCH_SOFT=1 a failed run is reported as FAILED and the other figures still measured.
  bench_oha "command center $db: KPI cards, 30 days" -n "$n" -c "$c" -m POST -H "Origin: $BASE" -H "Cookie: $cookie" \
    -T application/x-www-form-urlencoded -d "period=30d" "$BASE/api/command_center_kpis" || true
  local from to
  from=$(date -u -d '@'$(((now - 364 * 86400000) / 1000)) +%F)
  to=$(date -u -d '@'$((now / 1000)) +%F)
  bench_oha "command center $db: KPI cards, custom $from..$to" -n "$((n / 4))" -c "$c" -m POST -H "Origin: $BASE" \
    -H "Cookie: $cookie" -T application/x-www-form-urlencoded -d "period=custom&from=$from&to=$to" \
    "$BASE/api/command_center_kpis" || true
  bench_oha "command center $db: trend chart, 30 days" -n "$n" -c "$c" -m POST -H "Origin: $BASE" -H "Cookie: $cookie" \
    -T application/x-www-form-urlencoded -d "days=30" "$BASE/api/command_center_trends" || true
  bench_oha "command center $db: today's work" -n "$n" -c "$c" -m POST -H "Origin: $BASE" -H "Cookie: $cookie" \
    -T application/x-www-form-urlencoded -d "" "$BASE/api/command_center_work" || true
  bench_oha "command center $db: readiness checks" -n "$((n / 4))" -c "$c" -m POST -H "Origin: $BASE" \
    -H "Cookie: $cookie" -T application/x-www-form-urlencoded -d "" "$BASE/api/get_readiness" || true
  export_ledger "$db" 102
  export_ledger "$db" 400
}

for backend in "${backends[@]}"; do
  case $backend in
    sqlite)
      seeded=${keep:-$BENCH_TMP}/cc-sqlite
      mkdir -p "$seeded"
      url="sqlite://$seeded/agora.db"
      label=SQLite
      ;;
    postgres | pg)
      command -v psql >/dev/null || bench_die "psql not found (scripts/install-tools.sh installs PostgreSQL)"
      bench_pg_start
      url=$BENCH_PG_URL
      seeded=$BENCH_TMP/cc-postgres
      mkdir -p "$seeded"
      label=PostgreSQL
      ;;
    *) bench_die "unknown backend $backend (sqlite or postgres)" ;;
  esac
  if [ -f "$seeded/now" ]; then
    # A database seeded by an earlier run (BENCH_CC_KEEP): migrated forward by this build.
    bench_log "$label: reusing the database seeded in $seeded"
    now=$(cat "$seeded/now")
    bench_agora "$url" migrate >/dev/null
    seed_s=0
  else
    bench_log "$label: migrate, create the admin, seed $listings listings and $orders orders"
    bench_agora "$url" migrate >/dev/null
    AGORA_ADMIN_PASSWORD=$BENCH_PASSWORD bench_agora "$url" admin create --email "$BENCH_ADMIN_EMAIL" --name "Bench Admin" >/dev/null
    now=$(date +%s%3N)
    t0=$EPOCHREALTIME
    SEED_SEARCH_INDEX=0 AGORA_BIN=$AGORA_BIN "$REPO/bench/seed-catalog.sh" "$url" "$listings" >/dev/null
    "$REPO/bench/seed-orders.sh" "$url" "$orders" "$now" >/dev/null
    seed_s=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
    [ -z "$keep" ] || echo "$now" >"$seeded/now"
  fi
  case $backend in
    sqlite) q() { sqlite3 "$seeded/agora.db" "$1"; } ;;
    *) q() { psql -X -qAt "$url" -c "$1"; } ;;
  esac
  bench_detail "## $label: $(q "SELECT COUNT(*) FROM listings") listings, $(q "SELECT COUNT(*) FROM orders") orders, $(q "SELECT COUNT(*) FROM ledger_postings") ledger postings, $(q "SELECT COUNT(*) FROM ledger_entries") entries; seeded in ${seed_s} s"
  # A reused database was rolled up by the last run: undo it, so the first rollup is measured again.
  q "DELETE FROM kpi_buckets" >/dev/null
  q "UPDATE kpi_rollup SET rolled_until = NULL" >/dev/null
  bench_start_server "cc-$backend" "$url"
  wait_for_rollup "$label"
  cookie=$(bench_sign_in "$BENCH_ADMIN_EMAIL" "$BENCH_PASSWORD")
  measure "$label"
  bench_stop_server
  bench_pg_stop
done
bench_finish
