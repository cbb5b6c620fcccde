#!/usr/bin/env bash
# Review queue latency with 1,000,000 listings, on SQLite and on PostgreSQL.
#
#   bench/review-queue.sh                    # both backends
#   bench/review-queue.sh sqlite             # or: postgres
#   BENCH_LISTINGS=1000000 BENCH_QUEUE_N=2000 BENCH_QUEUE_C=8 bench/review-queue.sh
#
# Per backend: a fresh database, `agora-server migrate`, `agora-server admin create` (the bench super
# admin, who may read the queue), then the seed below by plain SQL, then the server; the admin signs in
# and oha sends POST /api/list_review_queue (the server function behind /console/reviews) with the
# session cookie, BENCH_QUEUE_C (8) connections, BENCH_QUEUE_N (2000) requests per scenario:
#
#   first page                 (no filter)                 <- the headline figure
#   first page, high risk      risk=high
#   first page, overdue        sla=overdue
#   deep page                  cursor=<the key of the pending version in the middle of the queue>
#   counters                   POST /api/review_counters   (counts over every pending version)
#
# The seed (n = 1..N; ids ascend with n; 100 sellers owned by the admin):
#   N listings, each with version 1. 5% of the listings have a version in review:
#     n % 40 = 20   a new listing in review (listing pending_review, version 1 pending_review)
#     n % 40 = 0    a live listing with an edit in review (version 1 approved and live, version 2 pending)
#     otherwise     a live listing (version 1 approved)
#   Pending versions were submitted 0..30 h before the run (spread by n * 7990271), due 24 h after that
#   (so about a fifth are overdue), risk high / low / medium by n % 3 (high has one blocking finding,
#   medium one warning).
# PostgreSQL is ANALYZEd after seeding; SQLite is left as the application leaves it.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init review-queue
bench_require_oha
command -v sqlite3 >/dev/null || bench_die "sqlite3 is not installed: run bench/install.sh"

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
listings=${BENCH_LISTINGS:-1000000}
n=${BENCH_QUEUE_N:-2000}
c=${BENCH_QUEUE_C:-8}
day=86400000

# seed_sql NOW_MS: the SQL shared by both databases, for rows n in `seq`. The caller supplies `seq(n)`
# (a recursive CTE on SQLite, generate_series on PostgreSQL) and the admin's id as `admin(id)`.
risk_case="CASE n % 3 WHEN 0 THEN 'high' WHEN 1 THEN 'low' ELSE 'medium' END"
variants="'[{\"sku\":\"default\",\"options\":[],\"price_minor\":' || (500 + (n * 7919) % 20000) || ',\"compare_at_minor\":null,\"stock\":5}]'"

seed_sqlite() {
  local file=$1 now=$2
  sqlite3 -bail "$file" <<SQL
.timeout 10000
BEGIN;
CREATE TEMP TABLE admin AS SELECT id FROM users WHERE email = '$BENCH_ADMIN_EMAIL';
WITH RECURSIVE k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k WHERE k < 100)
INSERT INTO organisations (id, name, kind, status, region, owner_user_id, created_at, updated_at)
SELECT 900000 + k, 'Review Seller ' || k, 'seller', 'active', 'CN', (SELECT id FROM admin), 1700000000000, 1700000000000 FROM k;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $listings)
INSERT INTO listings (id, organisation_id, status, title, description, category_id, price_minor, compare_at_minor,
  currency, weight_grams, options_json, images_json, stock_total, featured, live_version_id, pending_version_id,
  created_by, created_at, updated_at, published_at)
SELECT 7000000000 + n, 900000 + n % 100 + 1, CASE WHEN n % 40 = 20 THEN 'pending_review' ELSE 'active' END,
       'Listing ' || n, 'Bench listing number ' || n || '.', NULL, 500 + (n * 7919) % 20000, NULL, 'USD', 300, '[]', '[]', 5, 0,
       CASE WHEN n % 40 = 20 THEN NULL ELSE 8000000000 + n END,
       CASE WHEN n % 40 = 20 THEN 8000000000 + n WHEN n % 40 = 0 THEN 8000000000 + $listings + n END,
       (SELECT id FROM admin), 1700000000000 + n, 1700000000000 + n, CASE WHEN n % 40 = 20 THEN NULL ELSE 1700000000000 + n END
FROM seq;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $listings)
INSERT INTO listing_versions (id, listing_id, number, status, title, description, category_id, price_minor,
  compare_at_minor, currency, weight_grams, options_json, variants_json, images_json, risk, checks_json,
  warning_count, blocking_count, created_by, created_at, updated_at, submitted_at, sla_due_at, decided_at, decided_by)
SELECT 8000000000 + n, 7000000000 + n, 1, CASE WHEN n % 40 = 20 THEN 'pending_review' ELSE 'approved' END,
       'Listing ' || n, 'Bench listing number ' || n || '.', NULL, 500 + (n * 7919) % 20000, NULL, 'USD', 300, '[]',
       $variants, '[]',
       CASE WHEN n % 40 = 20 THEN $risk_case ELSE 'low' END, '[]',
       CASE WHEN n % 40 = 20 AND n % 3 = 2 THEN 1 ELSE 0 END, CASE WHEN n % 40 = 20 AND n % 3 = 0 THEN 1 ELSE 0 END,
       (SELECT id FROM admin), 1700000000000 + n, 1700000000000 + n,
       CASE WHEN n % 40 = 20 THEN $now - (n * 7990271) % 108000000 ELSE 1700000000000 + n END,
       CASE WHEN n % 40 = 20 THEN $now - (n * 7990271) % 108000000 + $day ELSE 1700000000000 + n + $day END,
       CASE WHEN n % 40 = 20 THEN NULL ELSE 1700000000000 + n + 1000 END,
       CASE WHEN n % 40 = 20 THEN NULL ELSE (SELECT id FROM admin) END
FROM seq;
WITH RECURSIVE seq(n) AS (SELECT 40 UNION ALL SELECT n + 40 FROM seq WHERE n + 40 <= $listings)
INSERT INTO listing_versions (id, listing_id, number, status, title, description, category_id, price_minor,
  compare_at_minor, currency, weight_grams, options_json, variants_json, images_json, risk, checks_json,
  warning_count, blocking_count, created_by, created_at, updated_at, submitted_at, sla_due_at)
SELECT 8000000000 + $listings + n, 7000000000 + n, 2, 'pending_review', 'Listing ' || n || ' (edited)',
       'Bench listing number ' || n || ', edited.', NULL, 600 + (n * 7919) % 20000, NULL, 'USD', 300, '[]', $variants, '[]',
       $risk_case, '[]', CASE WHEN n % 3 = 2 THEN 1 ELSE 0 END, CASE WHEN n % 3 = 0 THEN 1 ELSE 0 END,
       (SELECT id FROM admin), $now, $now, $now - (n * 7990271) % 108000000, $now - (n * 7990271) % 108000000 + $day
FROM seq;
COMMIT;
SQL
}

seed_postgres() {
  local url=$1 now=$2
  psql -X -q -v ON_ERROR_STOP=1 "$url" <<SQL
BEGIN;
CREATE TEMP TABLE admin AS SELECT id FROM users WHERE email = '$BENCH_ADMIN_EMAIL';
INSERT INTO organisations (id, name, kind, status, region, owner_user_id, created_at, updated_at)
SELECT 900000 + k, 'Review Seller ' || k, 'seller', 'active', 'CN', (SELECT id FROM admin), 1700000000000, 1700000000000
FROM generate_series(1, 100) AS k;
INSERT INTO listings (id, organisation_id, status, title, description, category_id, price_minor, compare_at_minor,
  currency, weight_grams, options_json, images_json, stock_total, featured, live_version_id, pending_version_id,
  created_by, created_at, updated_at, published_at)
SELECT 7000000000 + n, 900000 + n % 100 + 1, CASE WHEN n % 40 = 20 THEN 'pending_review' ELSE 'active' END,
       'Listing ' || n, 'Bench listing number ' || n || '.', NULL, 500 + (n * 7919) % 20000, NULL, 'USD', 300, '[]', '[]', 5, 0,
       CASE WHEN n % 40 = 20 THEN NULL ELSE 8000000000 + n END,
       CASE WHEN n % 40 = 20 THEN 8000000000 + n WHEN n % 40 = 0 THEN 8000000000 + $listings + n END,
       (SELECT id FROM admin), 1700000000000 + n, 1700000000000 + n, CASE WHEN n % 40 = 20 THEN NULL ELSE 1700000000000 + n END
FROM generate_series(1::bigint, $listings) AS n;
INSERT INTO listing_versions (id, listing_id, number, status, title, description, category_id, price_minor,
  compare_at_minor, currency, weight_grams, options_json, variants_json, images_json, risk, checks_json,
  warning_count, blocking_count, created_by, created_at, updated_at, submitted_at, sla_due_at, decided_at, decided_by)
SELECT 8000000000 + n, 7000000000 + n, 1, CASE WHEN n % 40 = 20 THEN 'pending_review' ELSE 'approved' END,
       'Listing ' || n, 'Bench listing number ' || n || '.', NULL, 500 + (n * 7919) % 20000, NULL, 'USD', 300, '[]',
       $variants, '[]',
       CASE WHEN n % 40 = 20 THEN $risk_case ELSE 'low' END, '[]',
       CASE WHEN n % 40 = 20 AND n % 3 = 2 THEN 1 ELSE 0 END, CASE WHEN n % 40 = 20 AND n % 3 = 0 THEN 1 ELSE 0 END,
       (SELECT id FROM admin), 1700000000000 + n, 1700000000000 + n,
       CASE WHEN n % 40 = 20 THEN $now - (n * 7990271) % 108000000 ELSE 1700000000000 + n END,
       CASE WHEN n % 40 = 20 THEN $now - (n * 7990271) % 108000000 + $day ELSE 1700000000000 + n + $day END,
       CASE WHEN n % 40 = 20 THEN NULL ELSE 1700000000000 + n + 1000 END,
       CASE WHEN n % 40 = 20 THEN NULL ELSE (SELECT id FROM admin) END
FROM generate_series(1::bigint, $listings) AS n;
INSERT INTO listing_versions (id, listing_id, number, status, title, description, category_id, price_minor,
  compare_at_minor, currency, weight_grams, options_json, variants_json, images_json, risk, checks_json,
  warning_count, blocking_count, created_by, created_at, updated_at, submitted_at, sla_due_at)
SELECT 8000000000 + $listings + n, 7000000000 + n, 2, 'pending_review', 'Listing ' || n || ' (edited)',
       'Bench listing number ' || n || ', edited.', NULL, 600 + (n * 7919) % 20000, NULL, 'USD', 300, '[]', $variants, '[]',
       $risk_case, '[]', CASE WHEN n % 3 = 2 THEN 1 ELSE 0 END, CASE WHEN n % 3 = 0 THEN 1 ELSE 0 END,
       (SELECT id FROM admin), $now, $now, $now - (n * 7990271) % 108000000, $now - (n * 7990271) % 108000000 + $day
FROM generate_series(40::bigint, $listings, 40) AS n;
COMMIT;
ANALYZE;
SQL
}

check_page() {
  local label=$1 endpoint=$2 body=$3 out=$BENCH_TMP/page.json status
  status=$(curl -sS -o "$out" -w '%{http_code}' -X POST "$BASE/api/$endpoint" -H "Origin: $BASE" -H "Cookie: $cookie" \
    -H 'Content-Type: application/x-www-form-urlencoded' --data "$body")
  [ "$status" = 200 ] || { head -c 500 "$out" >&2; bench_die "$label: $endpoint answered $status"; }
  if [ "$endpoint" = list_review_queue ]; then
    [ "$(jq '.rows | length' "$out")" -gt 0 ] || bench_die "$label: the page is empty"
    bench_detail "$label [$body]: $(jq '.rows | length' "$out") rows, first version $(jq -r '.rows[0].version_id' "$out") due $(jq -r '.rows[0].sla_due_at_ms' "$out"), next $(jq -r '.next // "none"' "$out"), $(wc -c <"$out") bytes"
  else
    bench_detail "$label: $(jq -c . "$out")"
  fi
}

measure() {
  local db=$1 mid=$2
  local -a scenarios=(
    "first page|list_review_queue|"
    "first page, high risk|list_review_queue|risk=high"
    "first page, overdue|list_review_queue|sla=overdue"
    "deep page (middle of the queue)|list_review_queue|cursor=$mid"
    "counters|review_counters|"
  )
  local s label endpoint body
  for s in "${scenarios[@]}"; do
    IFS='|' read -r label endpoint body <<<"$s"
    check_page "$label" "$endpoint" "$body"
  done
  bench_warmup -n 200 -c "$c" -m POST -H "Origin: $BASE" -H "Cookie: $cookie" \
    -T application/x-www-form-urlencoded -d "" "$BASE/api/list_review_queue"
  for s in "${scenarios[@]}"; do
    IFS='|' read -r label endpoint body <<<"$s"
    local count=$n
    [ "$endpoint" = review_counters ] && count=$((n / 4))
    bench_oha "review queue $db: $label" -n "$count" -c "$c" -m POST -H "Origin: $BASE" -H "Cookie: $cookie" \
      -T application/x-www-form-urlencoded -d "$body" "$BASE/api/$endpoint"
  done
}

for backend in "${backends[@]}"; do
  case $backend in
    sqlite)
      mkdir -p "$BENCH_TMP/reviews-sqlite"
      url="sqlite://$BENCH_TMP/reviews-sqlite/agora.db"
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
  bench_log "$label: migrate, create the admin, seed $listings listings"
  bench_agora "$url" migrate >/dev/null
  AGORA_ADMIN_PASSWORD=$BENCH_PASSWORD bench_agora "$url" admin create --email "$BENCH_ADMIN_EMAIL" --name "Bench Admin" >/dev/null
  now=$(date +%s%3N)
  t0=$EPOCHREALTIME
  case $backend in
    sqlite)
      seed_sqlite "$BENCH_TMP/reviews-sqlite/agora.db" "$now"
      q() { sqlite3 "$BENCH_TMP/reviews-sqlite/agora.db" "$1"; }
      ;;
    *)
      seed_postgres "$url" "$now"
      q() { psql -X -qAt "$url" -c "$1"; }
      ;;
  esac
  seed_s=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  pending=$(q "SELECT COUNT(*) FROM listing_versions WHERE status = 'pending_review'")
  total=$(q "SELECT COUNT(*) FROM listings")
  [ "$total" -ge "$listings" ] || bench_die "seeding left $total listings, expected $listings"
  # The cursor of the pending version in the middle of the queue order (due time, then risk, then id).
  mid=$(q "SELECT sla_due_at || ':' || (CASE risk WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END) || ':' || id FROM listing_versions WHERE status = 'pending_review' ORDER BY sla_due_at, (CASE risk WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END) DESC, id LIMIT 1 OFFSET $((pending / 2))")
  bench_detail "## $label: $total listings, $(q "SELECT COUNT(*) FROM listing_versions") versions, $pending pending, seeded in ${seed_s} s, middle cursor $mid"

  bench_start_server "reviews-$backend" "$url"
  cookie=$(bench_sign_in "$BENCH_ADMIN_EMAIL" "$BENCH_PASSWORD")
  measure "$label" "$mid"
  bench_stop_server
  bench_pg_stop
done
bench_finish
