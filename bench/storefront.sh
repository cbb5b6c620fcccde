#!/usr/bin/env bash
# Storefront latency over a seeded catalog (default 100,000 listings), on SQLite and on PostgreSQL.
#
#   bench/storefront.sh                  # both backends
#   bench/storefront.sh sqlite           # or: postgres
#   BENCH_LISTINGS=100000 BENCH_STORE_N=2000 BENCH_STORE_C=50 bench/storefront.sh
#
# Per backend: a fresh database (a temp SQLite file, or a throwaway cluster from scripts/pg-temp.sh),
# `agora-server migrate`, bench/seed-catalog.sh (sellers, categories, listings with variants and their
# search rows), then the server. oha sends GET requests of whole server-rendered pages (anonymous, as
# a buyer's browser or a crawler would), BENCH_STORE_C (50) connections:
#
#   product page        GET /p/<id>      the same listing again and again (warm)   <- headline: p50/p99, pages/s
#   home, category      GET /, GET /c/cat-3
#   search              GET /search?q=...  common word (mug: 1 in 24 listings), rare word (zephyr: 10
#                       listings), no match, common word + price range + in stock + price sort, a
#                       Chinese phrase, newest without text, a deep page (keyset cursor)
#   rendered            product, home, category, search `mug` again as a guest with a cart (cookie
#                       agora_cart): the page cache (server/src/http/page_cache.rs) keeps the browsing
#                       pages of visitors with no session and no cart, so the rows above measure it
#                       (but the deep page: a cursor); these measure the render that signed-in
#                       visitors and guests with a cart get every time
#
# Every URL sends BENCH_STORE_N (2000) requests. Before measuring, each URL is requested once and
# checked (200, and listings on the page unless it is the no-match search); the details record whether
# the page cache keeps it (its x-agora-page-cache header).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init storefront
bench_require_oha
command -v sqlite3 >/dev/null || bench_die "sqlite3 is not installed: run bench/install.sh"

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
listings=${BENCH_LISTINGS:-100000}
n=${BENCH_STORE_N:-2000}
search_n=${BENCH_STORE_SEARCH_N:-$n}
c=${BENCH_STORE_C:-50}

# check_url LABEL PATH [empty-ok] [HEADER]: one request; records the page's size, its listing count and
# whether the page cache would keep it (its x-agora-page-cache header: miss, hit, or none).
check_url() {
  local label=$1 path=$2 out=$BENCH_TMP/page.html status cards kept
  status=$(curl -sS -o "$out" -D "$BENCH_TMP/page.headers" -w '%{http_code}' ${4:+-H "$4"} "$BASE$path")
  kept=$(sed -n 's/^x-agora-page-cache: *\([a-z]*\).*/\1/Ip' "$BENCH_TMP/page.headers")
  [ "$status" = 200 ] || { head -c 500 "$out" >&2; bench_die "$label: GET $path answered $status"; }
  cards=$(grep -o 'data-testid="listing-card"' "$out" | wc -l || true)
  if [ "${3:-}" != empty-ok ] && [ "$cards" -eq 0 ] && ! grep -q 'data-testid="product"' "$out"; then
    bench_die "$label: GET $path shows no listing"
  fi
  bench_detail "$label: GET $path: $(wc -c <"$out") bytes, $cards listing cards, page cache: ${kept:-not kept}"
}

measure() {
  local db=$1 product=$2 deep=$3
  local -a pages=(
    "home|/|$search_n"
    "category page|/c/cat-3|$search_n"
    "search: common word (mug)|/search?q=mug|$search_n"
    "search: rare word (zephyr)|/search?q=zephyr|$search_n"
    "search: no match|/search?q=xylograph|$search_n"
    "search: common word + price + stock, price sort|/search?q=ceramic&min=20&max=80&in_stock=1&sort=price_asc|$search_n"
    "search: Chinese phrase|/search?q=%E5%8C%A0%E4%BA%BA%E7%B2%BE%E9%80%89|$search_n"
    "search: no text, newest|/search?sort=newest|$search_n"
    "search: no text, deep page|/search?sort=newest&cursor=$deep|$search_n"
  )
  check_url "product page" "/p/$product"
  local s label path count
  for s in "${pages[@]}"; do
    IFS='|' read -r label path count <<<"$s"
    if [ "$label" = "search: no match" ]; then check_url "$label" "$path" empty-ok; else check_url "$label" "$path"; fi
  done
  # Warm-up: pools, page cache, prepared statements. Not measured.
  bench_warmup -n 500 -c "$c" "$BASE/p/$product"
  bench_oha "storefront $db: product page GET /p/<id> (warm)" -n "$n" -c "$c" "$BASE/p/$product"
  for s in "${pages[@]}"; do
    IFS='|' read -r label path count <<<"$s"
    bench_oha "storefront $db: $label" -n "$count" -c "$c" "$BASE$path"
  done
  # A guest cart token's shape (64 hex digits) that names no cart: rendered, as with a real cart.
  local guest="cookie: agora_cart=$(printf '0%.0s' {1..64})"
  check_url "home, rendered" "/" "" "$guest"
  for s in "product page|/p/$product" "home|/" "category page|/c/cat-3" "search: common word (mug)|/search?q=mug"; do
    IFS='|' read -r label path <<<"$s"
    bench_oha "storefront $db: $label, rendered (guest with a cart)" -n "$n" -c "$c" -H "$guest" "$BASE$path"
  done
}

for backend in "${backends[@]}"; do
  case $backend in
    sqlite)
      mkdir -p "$BENCH_TMP/store-sqlite"
      url="sqlite://$BENCH_TMP/store-sqlite/agora.db"
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
  bench_log "$label: migrate, seed $listings listings"
  bench_agora "$url" migrate >/dev/null
  t0=$EPOCHREALTIME
  "$BENCH_DIR/seed-catalog.sh" "$url" "$listings"
  seed_s=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  case $backend in
    sqlite)
      q() { sqlite3 "$BENCH_TMP/store-sqlite/agora.db" "$1"; }
      db_size="$(du -h "$BENCH_TMP/store-sqlite/agora.db" | cut -f1) (file)"
      ;;
    *)
      q() { psql -X -qAt "$url" -c "$1"; }
      db_size="$(q "SELECT pg_size_pretty(pg_database_size(current_database()))") (database)"
      ;;
  esac
  total=$(q "SELECT COUNT(*) FROM listings")
  [ "$total" -ge "$listings" ] || bench_die "seeding left $total listings, expected $listings"
  # A visible listing with two variants in the middle of the catalog, and a cursor halfway down newest.
  product=$(q "SELECT l.id FROM listings l JOIN organisations o ON o.id = l.organisation_id WHERE o.status = 'active' AND l.status = 'active' ORDER BY l.id LIMIT 1 OFFSET $((total / 2))")
  deep=$(q "SELECT published_at || '.' || id FROM listings ORDER BY id LIMIT 1 OFFSET $((total / 2))")
  bench_detail "## $label: $total listings, $(q "SELECT COUNT(*) FROM listing_variants") variants, seeded in ${seed_s} s, size $db_size, product $product, deep cursor $deep"

  bench_start_server "store-$backend" "$url"
  measure "$label" "$product" "$deep"
  bench_stop_server
  bench_pg_stop
done
bench_finish
