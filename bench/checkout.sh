#!/usr/bin/env bash
# Checkout throughput: 3-seller carts checked out by 64 concurrent clients, on SQLite and on
# PostgreSQL, then every payment approved, then the ledger and stock invariants checked.
#
#   bench/checkout.sh                    # both backends
#   bench/checkout.sh sqlite             # or: postgres
#   BENCH_CHECKOUTS=3000 BENCH_CHECKOUT_C=64 BENCH_LISTINGS_PER_SELLER=50 bench/checkout.sh
#   BENCH_CHECKOUT_RATE=500 bench/checkout.sh   # open loop: checkouts and approvals offered at 500/s
#                                               # (latency counted from when each was due)
#
# Per backend: a fresh database, `agora-server migrate`, `agora-server admin create`, then a seed by
# plain SQL: 3 active sellers with BENCH_LISTINGS_PER_SELLER (50) active listings each (one variant,
# 1,000,000 in stock, prices 1.00-200.99), an active default commission rule (10%), and one buyer per
# checkout plus 128 for the warm-up, each with a session (tokens made here, stored hashed as the app
# does), a default address and a cart of 3 lines, one per seller (a listing picked by the buyer's
# number, so buyers contend for the same rows). Oha repeats one request, but each checkout needs its own
# buyer and idempotency key, so bench/checkout-driver.mjs (Node's fetch, keep-alive) drives them:
#
#   checkout     POST /api/checkout as each buyer (bank_transfer, a fresh idempotency key), C clients
#                <- the headline: checkouts/s, p50/p99. Each creates 3 orders with frozen lines and
#                commission, decrements 3 stock rows conditionally, a payment, 3 timers, an audit entry
#   approve      the payments are marked proof-submitted by SQL (as if every buyer had uploaded a
#                receipt), then POST /api/approve_payment for each as the admin, C clients: the payment,
#                a ledger posting and 3 order transitions (and 3 timers) per request
#
# Afterwards, with the server stopped: `agora-server ledger verify` (exit 0: every posting balances,
# every balance matches its entries, the trial balance is zero), and by SQL: every checkout made 3
# orders, no stock below zero, stock + what live orders hold = the seeded stock.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init checkout
command -v sqlite3 >/dev/null || bench_die "sqlite3 is not installed: run bench/install.sh"
command -v node >/dev/null || bench_die "node is not installed"

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
checkouts=${BENCH_CHECKOUTS:-3000}
c=${BENCH_CHECKOUT_C:-64}
per_seller=${BENCH_LISTINGS_PER_SELLER:-50}
warm=128
buyers=$((checkouts + warm))
stock=1000000
# The sandbox provider is refused in production; checkout here pays by bank transfer.
export AGORA_PAYMENT_PROVIDERS=bank_transfer

# The seed, shared by both databases: `seq(n)` 1..buyers and `tokens(n, hash)` are made by the caller.
seed_common() {
  local now=$1
  cat <<SQL
CREATE TEMP TABLE admin AS SELECT id, password_hash FROM users WHERE email = '$BENCH_ADMIN_EMAIL';
INSERT INTO organisations (id, name, kind, status, region, owner_user_id, created_at, updated_at)
SELECT 910000 + s, 'Checkout Seller ' || s, 'seller', 'active', 'CN', (SELECT id FROM admin), $now, $now FROM sellers;
INSERT INTO listings (id, organisation_id, status, title, description, category_id, price_minor, compare_at_minor,
  currency, weight_grams, options_json, images_json, stock_total, featured, created_by, created_at, updated_at, published_at)
SELECT 7100000000 + m, 910000 + (m - 1) / $per_seller + 1, 'active', 'Bench item ' || m, 'A bench listing.', NULL,
       100 + (m * 7919) % 20000, NULL, 'USD', 250, '[]', '[]', $stock, 0, (SELECT id FROM admin), $now, $now, $now
FROM items;
INSERT INTO listing_variants (id, listing_id, sku, options_json, price_minor, compare_at_minor, stock, position, status)
SELECT 7200000000 + m, 7100000000 + m, 'BENCH-' || m, '[]', 100 + (m * 7919) % 20000, NULL, $stock, 0, 'active' FROM items;
INSERT INTO commission_rules (scope, scope_id, version, rate_bps, fixed_minor, floor_minor, cap_minor, currency, status,
  note, created_by, created_at, activated_by, activated_at)
VALUES ('default', NULL, 1, 1000, 0, 0, NULL, 'USD', 'active', 'bench', (SELECT id FROM admin), $now, (SELECT id FROM admin), $now);
INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at)
SELECT 'buyer' || n || '@bench.test', 'Buyer ' || n, (SELECT password_hash FROM admin), 'active', 'en', $now, $now FROM seq ORDER BY n;
INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, ip, user_agent)
SELECT t.hash, u.id, $now, $now, '127.0.0.1', 'bench' FROM tokens t JOIN users u ON u.email = 'buyer' || t.n || '@bench.test';
INSERT INTO addresses (user_id, recipient, phone, line1, line2, city, region, postal_code, country, is_default, created_at, updated_at)
SELECT u.id, u.display_name, '+86 138 0000 0000', '88 Jianguo Road', '', 'Beijing', 'Beijing', '100022', 'CN', 1, $now, $now
FROM users u WHERE u.email LIKE 'buyer%@bench.test';
INSERT INTO cart_items (owner_key, variant_id, quantity, selected, price_seen_minor, added_at, updated_at)
SELECT 'u:' || u.id, v.id, 1 + t.n % 2, 1, v.price_minor, $now, $now
FROM tokens t JOIN users u ON u.email = 'buyer' || t.n || '@bench.test'
JOIN sellers s ON 1 = 1
JOIN listing_variants v ON v.id = 7200000000 + (s.s - 1) * $per_seller + (t.n * 7 + s.s * 13) % $per_seller + 1;
SQL
}

seed_sqlite() {
  local file=$1 now=$2 tokens=$3
  sqlite3 -bail "$file" <<SQL
.timeout 10000
CREATE TEMP TABLE tokens (n INTEGER, token TEXT, hash TEXT);
.import --csv $tokens tokens
BEGIN;
CREATE TEMP TABLE sellers AS WITH RECURSIVE k(s) AS (SELECT 1 UNION ALL SELECT s + 1 FROM k WHERE s < 3) SELECT s FROM k;
CREATE TEMP TABLE items AS WITH RECURSIVE k(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM k WHERE m < 3 * $per_seller) SELECT m FROM k;
CREATE TEMP TABLE seq AS SELECT n FROM tokens;
$(seed_common "$now")
COMMIT;
SQL
}

seed_postgres() {
  local url=$1 now=$2 tokens=$3
  psql -X -q -v ON_ERROR_STOP=1 "$url" <<SQL
CREATE TEMP TABLE tokens (n BIGINT, token TEXT, hash TEXT);
\copy tokens FROM '$tokens' WITH (FORMAT csv)
BEGIN;
CREATE TEMP TABLE sellers AS SELECT s FROM generate_series(1, 3) AS s;
CREATE TEMP TABLE items AS SELECT m FROM generate_series(1, 3 * $per_seller) AS m;
CREATE TEMP TABLE seq AS SELECT n FROM tokens;
$(seed_common "$now")
COMMIT;
ANALYZE;
SQL
}

# drive LABEL MODE CSV [COOKIE]: one driver run; a summary line; fails unless every request got 2xx.
drive() {
  local label="$1${BENCH_CHECKOUT_RATE:+, offered at ${BENCH_CHECKOUT_RATE}/s}" mode=$2 csv=$3 cookie=${4:-} json=$BENCH_TMP/driver.json
  bench_log "$label: $(wc -l <"$csv") requests, $c clients"
  BENCH_RATE=${BENCH_CHECKOUT_RATE:-} node "$BENCH_DIR/checkout-driver.mjs" "$BASE" "$csv" "$c" "$mode" "$cookie" >"$json" 2>"$BENCH_TMP/driver.err" ||
    { cat "$BENCH_TMP/driver.err" >&2; bench_die "$label: the driver failed"; }
  bench_detail "### $label" "$(cat "$json")" "$(head -n 5 "$BENCH_TMP/driver.err")"
  local total ok
  total=$(jq '.requests' "$json")
  ok=$(jq '[.statuses | to_entries[] | select(.key | startswith("2")) | .value] | add // 0' "$json")
  [ "$ok" = "$total" ] || { cat "$BENCH_TMP/driver.err" >&2; bench_fail "$label" "FAILED: $((total - ok)) of $total not 2xx ($(jq -c '.statuses, .errors' "$json" | tr '\n' ' '))"; return 1; }
  bench_summary "$(printf '%-58s p50 %8.2f ms   p99 %8.2f ms   %8.1f req/s' "$label" "$(jq .p50 "$json")" "$(jq .p99 "$json")" "$(jq .rps "$json")")"
}

for backend in "${backends[@]}"; do
  case $backend in
    sqlite)
      mkdir -p "$BENCH_TMP/checkout-sqlite"
      db_file=$BENCH_TMP/checkout-sqlite/agora.db
      url="sqlite://$db_file"
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
  bench_log "$label: migrate, create the admin, seed 3 sellers x $per_seller listings and $buyers buyers"
  bench_agora "$url" migrate >/dev/null
  AGORA_ADMIN_PASSWORD=$BENCH_PASSWORD bench_agora "$url" admin create --email "$BENCH_ADMIN_EMAIL" --name "Bench Admin" >/dev/null
  tokens=$BENCH_TMP/tokens-$backend.csv
  node -e '
    const c = require("crypto");
    const out = [];
    for (let n = 1; n <= Number(process.argv[1]); n++) {
      const t = c.randomBytes(32).toString("hex");
      out.push(`${n},${t},${c.createHash("sha256").update(t).digest("hex")}`);
    }
    require("fs").writeFileSync(process.argv[2], out.join("\n") + "\n");' "$buyers" "$tokens"
  now=$(date +%s%3N)
  case $backend in
    sqlite)
      seed_sqlite "$db_file" "$now" "$tokens"
      q() { sqlite3 "$db_file" "$1"; }
      ;;
    *)
      seed_postgres "$url" "$now" "$tokens"
      q() { psql -X -qAt "$url" -c "$1"; }
      ;;
  esac
  seeded_stock=$(q "SELECT SUM(stock) FROM listing_variants")
  [ "$(q "SELECT COUNT(*) FROM cart_items")" = $((3 * buyers)) ] || bench_die "the seed left $(q "SELECT COUNT(*) FROM cart_items") cart lines"
  # token,address_id per buyer, in buyer order: the first $warm warm up, the rest are measured.
  q "SELECT u.email || ',' || a.id FROM addresses a JOIN users u ON u.id = a.user_id WHERE u.email LIKE 'buyer%@bench.test'" |
    sed 's/^buyer\([0-9]*\)@bench.test,/\1,/' | sort -t, -k1,1n >"$BENCH_TMP/addresses.csv"
  join -t, -j1 <(sort -t, -k1,1 "$tokens") <(sort -t, -k1,1 "$BENCH_TMP/addresses.csv") | sort -t, -k1,1n |
    awk -F, '{print $2 "," $4}' >"$BENCH_TMP/buyers.csv"
  head -n "$warm" "$BENCH_TMP/buyers.csv" >"$BENCH_TMP/warm.csv"
  tail -n +"$((warm + 1))" "$BENCH_TMP/buyers.csv" >"$BENCH_TMP/measured.csv"
  bench_detail "## $label: 3 sellers x $per_seller listings, $buyers buyers with 3-line carts, $c clients"

  bench_start_server "checkout-$backend" "$url"
  cookie=$(bench_sign_in "$BENCH_ADMIN_EMAIL" "$BENCH_PASSWORD")
  drive "checkout $label (warm-up)" checkout "$BENCH_TMP/warm.csv" >/dev/null
  BENCH_SUMMARY_LINES=("${BENCH_SUMMARY_LINES[@]:0:${#BENCH_SUMMARY_LINES[@]}-1}")
  # The seed's ANALYZE saw no checkouts and no orders, and PostgreSQL planned the foreign-key checks
  # against them as sequential scans until autovacuum's next analyze, a minute later (measured:
  # 20,148 scans of `checkouts` reading 29.6 M rows in 3,128 checkouts, half the CPU). A production
  # database has statistics for its tables; so does this one, once the warm-up has written some rows.
  [ "$backend" = sqlite ] || q "ANALYZE" >/dev/null
  drive "checkout $label: 3-seller carts, $c clients" checkout "$BENCH_TMP/measured.csv"
  q "UPDATE payments SET status = 'proof_submitted', proof_submitted_at = $now WHERE status = 'pending'" >/dev/null
  q "SELECT id FROM payments WHERE status = 'proof_submitted' ORDER BY id" >"$BENCH_TMP/payments.csv"
  drive "approve payment $label (ledger posting + 3 orders paid)" approve "$BENCH_TMP/payments.csv" "$cookie"
  bench_stop_server

  # The invariants, with nothing running.
  verify=$(bench_agora "$url" ledger verify) || { bench_detail "$verify"; bench_die "$label: ledger verify failed: $verify"; }
  orders=$(q "SELECT COUNT(*) FROM orders")
  made=$(q "SELECT COUNT(*) FROM checkouts")
  negative=$(q "SELECT COUNT(*) FROM listing_variants WHERE stock < 0")
  left=$(q "SELECT SUM(stock) FROM listing_variants")
  held=$(q "SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.status <> 'cancelled'")
  paid=$(q "SELECT COUNT(*) FROM orders WHERE status = 'paid'")
  [ "$made" = "$buyers" ] && [ "$orders" = $((3 * buyers)) ] || bench_die "$label: $made checkouts and $orders orders, expected $buyers and $((3 * buyers))"
  [ "$negative" = 0 ] && [ $((left + held)) = "$seeded_stock" ] || bench_die "$label: stock $left + held $held != seeded $seeded_stock, $negative negative"
  bench_summary "$(printf '%-58s %s' "invariants $label" "$verify; $made checkouts, $orders orders ($paid paid), stock $left + $held held = $seeded_stock")"
  bench_pg_stop
done
bench_finish
