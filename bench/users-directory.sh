#!/usr/bin/env bash
# Users directory latency with 100,000 users, on SQLite and on PostgreSQL.
#
#   bench/users-directory.sh                 # both backends
#   bench/users-directory.sh sqlite          # or: postgres
#   BENCH_USERS=100000 BENCH_DIR_N=2000 BENCH_DIR_SCAN_N=300 BENCH_DIR_C=8 bench/users-directory.sh
#
# Per backend: a fresh database (a temp SQLite file, or a throwaway cluster from scripts/pg-temp.sh),
# `agora-server migrate`, `agora-server admin create` (the bench super admin), bench/seed-users.sh
# (100,000 users, 5% banned, 1% with an operator role), then the server; the super admin signs in and
# oha sends POST /api/list_users (the server function behind /console/users) with the session cookie,
# BENCH_DIR_C (8) connections. Scenarios (form fields q, status, role, cursor):
#
#   keyset deep page + filter   status=active&q=ann&cursor=<id in the middle>   <- the headline figure
#   first page + filter         status=active&q=ann
#   first page, status only     status=active                  (index walk on users_status_id)
#   first page, role            role=support                   (user_roles_role)
#   q=user1 (clustered match)   status=active&q=user1          the matches are old ids: ~80k rows read
#   q without a match           q=zz-no-match                  worst case: every row read
#   SSR page                    GET /console/users?status=active&q=ann (HTML, data rendered inline)
#
# The two scan-heavy scenarios send BENCH_DIR_SCAN_N (300) requests, the rest BENCH_DIR_N (2000).
# Before measuring, each scenario is requested once and its page checked (rows, next cursor).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init users-directory
bench_require_oha
command -v sqlite3 >/dev/null || bench_die "sqlite3 is not installed: run bench/install.sh"

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
users=${BENCH_USERS:-100000}
n=${BENCH_DIR_N:-2000}
scan_n=${BENCH_DIR_SCAN_N:-300}
c=${BENCH_DIR_C:-8}

# check_page LABEL BODY: one request; records the page's shape; dies unless 200 with rows.
check_page() {
  local label=$1 body=$2 out=$BENCH_TMP/page.json status rows next
  status=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$BASE/api/list_users" -H "Origin: $BASE" -H "Cookie: $cookie" \
    -H 'Content-Type: application/x-www-form-urlencoded' --data "$body")
  [ "$status" = 200 ] || { head -c 500 "$out" >&2; bench_die "$label: list_users answered $status"; }
  rows=$(jq '.rows | length' "$out")
  next=$(jq -r '.next // "none"' "$out")
  [ "$rows" -gt 0 ] || [ "$label" = "q without a match (full scan)" ] || bench_die "$label: the page is empty"
  bench_detail "$label [$body]: $rows rows, next cursor $next, first id $(jq -r '.rows[0].id // "-"' "$out"), $(wc -c <"$out") bytes"
}

# measure BACKEND_LABEL: the scenarios against the running server.
measure() {
  local db=$1 mid=$2 mid_pair=$3
  local -a scenarios=(
    "keyset deep page + filter|status=active&q=ann&cursor=$mid|$n"
    "first page + filter|status=active&q=ann|$n"
    "first page, status only|status=active|$n"
    "first page, role|role=support|$n"
    "q=user1 (clustered match)|status=active&q=user1|$scan_n"
    "q without a match (full scan)|q=zz-no-match|$scan_n"
    "tag + sign-up range|tag=vip&from=$range_from&to=$range_to|$n"
    "tag + sign-up range, deep page|tag=wholesale&from=$range_from&to=$range_to&cursor=$mid_pair|$n"
    "sign-up range only|from=$range_from&to=$range_to|$n"
    "status + sign-up range|status=active&from=$range_from&to=$range_to|$n"
  )
  local s label body count
  for s in "${scenarios[@]}"; do
    IFS='|' read -r label body count <<<"$s"
    check_page "$label" "$body"
  done
  # Warm-up: pools, page cache, prepared statements. Not measured.
  bench_warmup -n 200 -c "$c" -m POST -H "Origin: $BASE" -H "Cookie: $cookie" \
    -T application/x-www-form-urlencoded -d "status=active&q=ann" "$BASE/api/list_users"
  for s in "${scenarios[@]}"; do
    IFS='|' read -r label body count <<<"$s"
    bench_oha "users $db: $label" -n "$count" -c "$c" -m POST -H "Origin: $BASE" -H "Cookie: $cookie" \
      -T application/x-www-form-urlencoded -d "$body" "$BASE/api/list_users"
  done
  local page="$BASE/console/users?status=active&q=ann"
  local status
  status=$(curl -sS -o "$BENCH_TMP/page.html" -w '%{http_code}' -H "Cookie: $cookie" "$page")
  [ "$status" = 200 ] || bench_die "GET $page answered $status"
  # A page of 25 users holds 25 addresses and a handful of serialised resources (viewer, console
  # overview, unread count, the list); many more mean the resources ran again and again during the render.
  bench_detail "SSR page $page: $(wc -c <"$BENCH_TMP/page.html") bytes, $(grep -o '@example.test' "$BENCH_TMP/page.html" | wc -l) addresses, $(grep -o '__RESOLVED_RESOURCES\[[0-9]*\] =' "$BENCH_TMP/page.html" | wc -l) serialised resources"
  # Soft: a hung server (see README, "known issue") is reported as FAILED and the run goes on.
  BENCH_SOFT=1 bench_oha "users $db: SSR page GET /console/users?status=active&q=ann" -n "$n" -c "$c" -H "Cookie: $cookie" "$page" ||
    bench_log "the SSR page measurement failed on $db; continuing"
}

for backend in "${backends[@]}"; do
  case $backend in
    sqlite)
      mkdir -p "$BENCH_TMP/users-sqlite"
      url="sqlite://$BENCH_TMP/users-sqlite/agora.db"
      label=SQLite
      ;;
    postgres | pg)
      command -v psql >/dev/null || bench_die "psql not found (scripts/install-tools.sh installs PostgreSQL)"
      bench_pg_start
      url=$BENCH_PG_URL
      label=PostgreSQL
      ;;
    *) bench_die "unknown backend $backend (sqlite or postgres)" ;;
  esac
  bench_log "$label: migrate, create the admin, seed $users users"
  bench_agora "$url" migrate >/dev/null
  AGORA_ADMIN_PASSWORD=$BENCH_PASSWORD bench_agora "$url" admin create --email "$BENCH_ADMIN_EMAIL" --name "Bench Admin" >/dev/null
  t0=$EPOCHREALTIME
  "$BENCH_DIR/seed-users.sh" "$url" "$users"
  seed_s=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  case $backend in
    sqlite)
      q() { sqlite3 "$BENCH_TMP/users-sqlite/agora.db" "$1"; }
      db_size="$(du -h "$BENCH_TMP/users-sqlite/agora.db" | cut -f1) (file)"
      ;;
    *)
      q() { psql -X -qAt "$url" -c "$1"; }
      db_size="$(q "SELECT pg_size_pretty(pg_database_size(current_database()))") (database)"
      ;;
  esac
  total=$(q "SELECT COUNT(*) FROM users")
  [ "$total" -ge "$users" ] || bench_die "seeding left $total users, expected $users and more"
  mid=$(q "SELECT id FROM users ORDER BY id LIMIT 1 OFFSET $((total / 2))")
  # Pages of a sign-up range are ordered by (sign-up time, id): their cursor is `created_at:id`.
  mid_pair="$(q "SELECT created_at FROM users WHERE id = $mid"):$mid"
  # The sign-up range: the days of the seeded users a quarter and three quarters of the way in (seed
  # times are a fixed epoch plus one minute per user), so it holds half of them and the middle cursor.
  range_from=$(date -u -d "@$(((1700000000000 + total / 4 * 60000) / 1000))" +%F)
  range_to=$(date -u -d "@$(((1700000000000 + total * 3 / 4 * 60000) / 1000))" +%F)
  bench_detail "## $label: $total users ($(q "SELECT COUNT(*) FROM users WHERE status = 'banned'") banned, $(q "SELECT COUNT(*) FROM user_roles") role grants, $(q "SELECT COUNT(*) FROM user_tags") tags), sign-up range $range_from to $range_to, seeded in ${seed_s} s, size $db_size, middle cursor $mid"

  bench_start_server "users-$backend" "$url"
  cookie=$(bench_sign_in "$BENCH_ADMIN_EMAIL" "$BENCH_PASSWORD")
  measure "$label" "$mid" "$mid_pair"
  bench_stop_server
  bench_pg_stop
done
bench_finish
