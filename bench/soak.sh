#!/usr/bin/env bash
# Soak: mixed storefront, seller center and console pages, signed in and anonymous, for a long time.
# Passes when no request took over 10 s, none failed and none answered 5xx (or anything but 2xx).
#
#   bench/soak.sh                         # both backends, 30 minutes each
#   bench/soak.sh sqlite                  # or: postgres
#   BENCH_SOAK_DURATION=5m BENCH_SOAK_C=64 BENCH_LISTINGS=20000 bench/soak.sh sqlite
#
# Per backend: a fresh database, `agora-server migrate`, bench/seed-catalog.sh (BENCH_LISTINGS, default
# 20,000), the bench super admin (`agora-server admin create`) made owner of a seeded seller, then three
# oha runs at once for BENCH_SOAK_DURATION, sharing BENCH_SOAK_C (64) connections: anonymous
# storefront pages (half the connections), the admin's console pages and the admin's seller-center
# pages (a quarter each). Each run cycles through its list of URLs (oha --urls-from-file). A request
# may take BENCH_SOAK_TIMEOUT (10s) at most: a slower one counts as an error, so it fails the soak.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init soak
bench_require_oha
command -v sqlite3 >/dev/null || bench_die "sqlite3 is not installed: run bench/install.sh"

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
listings=${BENCH_LISTINGS:-20000}
duration=${BENCH_SOAK_DURATION:-30m}
c=${BENCH_SOAK_C:-64}
timeout=${BENCH_SOAK_TIMEOUT:-10s}

# urls FILE PATH...: one absolute URL per line.
urls() {
  local file=$1
  shift
  printf "$BASE%s\n" "$@" >"$file"
}

# soak_run LABEL CONNECTIONS URLFILE [oha args]: one of the three concurrent runs; JSON into $BENCH_TMP.
soak_run() {
  local label=$1 conns=$2 file=$3
  shift 3
  oha --no-tui --output-format json -t "$timeout" -z "$duration" -w -c "$conns" --urls-from-file "$@" "$file" \
    >"$BENCH_TMP/soak-$label.json"
}

# soak_check NAME LABEL: a summary line per run; returns 1 when the run does not pass.
soak_check() {
  local name=$1 label=$2 json=$BENCH_TMP/soak-$2.json total ok errors slowest p99 rps
  total=$(jq '[.statusCodeDistribution[]] | add // 0' "$json")
  ok=$(jq '[.statusCodeDistribution | to_entries[] | select(.key | startswith("2")) | .value] | add // 0' "$json")
  errors=$(jq '[.errorDistribution | to_entries[] | select(.key | test("deadline") | not) | .value] | add // 0' "$json")
  slowest=$(jq '(.summary.slowest // 0) * 1000' "$json")
  p99=$(jq '.latencyPercentiles.p99 * 1000' "$json")
  rps=$(jq '.summary.requestsPerSec' "$json")
  bench_detail "### $name $label" "$(jq -c '{statusCodeDistribution, errorDistribution, summary, latencyPercentiles}' "$json")"
  bench_summary "$(printf '%-34s %8d requests  %6.1f req/s  p99 %8.2f ms  slowest %9.2f ms  non-2xx %d  errors %d' \
    "$name $label" "$total" "$rps" "$p99" "$slowest" "$((total - ok))" "$errors")"
  [ "$total" -gt 0 ] && [ "$ok" = "$total" ] && [ "$errors" = 0 ] && awk -v s="$slowest" 'BEGIN { exit !(s <= 10000) }'
}

failed=0
for backend in "${backends[@]}"; do
  case $backend in
    sqlite)
      mkdir -p "$BENCH_TMP/soak-sqlite"
      url="sqlite://$BENCH_TMP/soak-sqlite/agora.db"
      label=SQLite
      q() { sqlite3 "$BENCH_TMP/soak-sqlite/agora.db" "$1"; }
      ;;
    postgres | pg)
      command -v psql >/dev/null || bench_die "psql not found (scripts/install-tools.sh installs PostgreSQL)"
      bench_pg_start
      url=$BENCH_PG_URL
      label=PostgreSQL
      q() { psql -X -qAt "$url" -c "$1"; }
      ;;
    *) bench_die "unknown backend $backend (sqlite or postgres)" ;;
  esac
  bench_log "$label: migrate, seed $listings listings, the admin"
  bench_agora "$url" migrate >/dev/null
  "$BENCH_DIR/seed-catalog.sh" "$url" "$listings"
  AGORA_ADMIN_PASSWORD=$BENCH_PASSWORD bench_agora "$url" admin create --email "$BENCH_ADMIN_EMAIL" --name "Bench Admin" >/dev/null
  org=$(q "SELECT id FROM organisations WHERE status = 'active' ORDER BY id LIMIT 1")
  admin=$(q "SELECT id FROM users WHERE email = '$BENCH_ADMIN_EMAIL'")
  q "INSERT INTO organisation_members (organisation_id, user_id, role, added_at) VALUES ($org, $admin, 'owner', 0)" >/dev/null
  product=$(q "SELECT id FROM listings WHERE organisation_id = $org AND status = 'active' ORDER BY id LIMIT 1")
  listing=$product
  category=$(q "SELECT slug FROM categories ORDER BY id LIMIT 1")

  bench_start_server "soak-$backend" "$url"
  cookie=$(bench_sign_in "$BENCH_ADMIN_EMAIL" "$BENCH_PASSWORD")
  urls "$BENCH_TMP/store.urls" / "/p/$product" "/search?q=mug" "/search?q=%E6%89%8B%E5%B7%A5" \
    "/search?sort=price_asc&min=10&max=90" "/c/$category" "/s/$org" /signin /signup /cart
  urls "$BENCH_TMP/console.urls" /console /console/audit /console/users /console/reviews /console/sellers \
    /console/orders /console/payments /console/refunds /console/disputes /console/payouts /console/ledger \
    /console/categories /console/commission /console/reports "/console/sellers/$org" "/console/users/$admin"
  urls "$BENCH_TMP/seller.urls" /seller /seller/orders /seller/refunds /seller/balance /seller/payouts \
    /seller/team "/seller/listings/$listing" /seller/listings/new /account /notifications /orders
  for f in store console seller; do
    while read -r u; do
      if [ "$f" = store ]; then s=$(curl -s -o /dev/null -w '%{http_code}' "$u"); else s=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$u"); fi
      [ "$s" = 200 ] || bench_die "$u answered $s before the soak"
    done <"$BENCH_TMP/$f.urls"
  done

  bench_log "$label: soaking for $duration at $c connections"
  soak_run store $((c / 2)) "$BENCH_TMP/store.urls" &
  p1=$!
  soak_run console $((c / 4)) "$BENCH_TMP/console.urls" -H "Cookie: $cookie" &
  p2=$!
  soak_run seller $((c - c / 2 - c / 4)) "$BENCH_TMP/seller.urls" -H "Cookie: $cookie" &
  p3=$!
  wait $p1 $p2 $p3
  for run in store console seller; do
    soak_check "$label" "$run" || failed=1
  done
  bench_detail "server log lines at warn or above: $(grep -c -E 'WARN|ERROR' "$BENCH_TMP/soak-$backend.log" || true)"
  bench_stop_server
  bench_pg_stop
done
bench_finish
[ $failed = 0 ] || bench_die "the soak failed: see the summary"
