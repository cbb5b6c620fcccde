#!/usr/bin/env bash
# Crash test: checkout, pay, ship, confirm, refund and payout traffic while the server is killed with
# SIGKILL at random moments (BENCH_CRASH_CYCLES, default 50), restarted each time; unacknowledged
# requests are retried with the same idempotency keys. Afterwards, with the server stopped: the
# ledger's invariants (`agora-server ledger verify`) and that no acknowledged request was lost or
# applied twice (bench/crash/check.py). See bench/README.md.
#
#   bench/crash.sh                 # SQLite
#   bench/crash.sh postgres        # or both: bench/crash.sh sqlite postgres
#   BENCH_CRASH_CYCLES=50 BENCH_CRASH_BUYERS=600 BENCH_CRASH_CLIENTS=8 bench/crash.sh
#
# The server runs as a development deployment (the sandbox card is a production launch blocker) with
# settlement_hold_days = 0 (earnings become available as soon as the order completes, so payouts have
# money) and payout_cooling_off_hours = 0. Seed by plain SQL: 3 active sellers (owner sessions, an
# active PayPal payout account each), 30 listings each, a 10% default commission rule, and
# BENCH_CRASH_BUYERS buyers (session, default address, a one-line cart from one seller). The driver
# (bench/crash/driver.py, Python 3 standard library) owns the server process.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
# The server is staged as for every bench (bench_stage: the binary, its hash files and the site):
# /readyz, which the driver waits for after each restart, answers 200 only when the server can also
# serve pages (issue 11), so a binary without its site never becomes ready.
bench_init crash
command -v sqlite3 >/dev/null || bench_die "sqlite3 is not installed: run bench/install.sh"
command -v python3 >/dev/null || bench_die "python3 is not installed"

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite)
cycles=${BENCH_CRASH_CYCLES:-50}
buyers=${BENCH_CRASH_BUYERS:-600}
clients=${BENCH_CRASH_CLIENTS:-8}
per_seller=30

# The environment of every server command here: the bench's, with the crash test's overrides last
# (env applies assignments in order, so the last one of a name wins).
crash_env() {
  bench_env "$1" "$2"
  printf '%s\n' \
    "AGORA_ENVIRONMENT=development" \
    "AGORA_PAYMENT_PROVIDERS=sandbox,bank_transfer" \
    "AGORA_SETTLEMENT_HOLD_DAYS=0" \
    "AGORA_PAYOUT_COOLING_OFF_HOURS=0"
}

seed_common() {
  local now=$1
  cat <<SQL
CREATE TEMP TABLE admin AS SELECT id, password_hash FROM users WHERE email = '$BENCH_ADMIN_EMAIL';
INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at, email_verified_at)
SELECT 'seller' || s || '@crash.test', 'Seller ' || s, (SELECT password_hash FROM admin), 'active', 'en', $now, $now, $now
FROM sellers;
INSERT INTO organisations (id, name, kind, status, region, owner_user_id, created_at, updated_at)
SELECT 920000 + s, 'Crash Seller ' || s, 'seller', 'active', 'CN', u.id, $now, $now
FROM sellers JOIN users u ON u.email = 'seller' || s || '@crash.test';
INSERT INTO organisation_members (organisation_id, user_id, role, added_at)
SELECT o.id, o.owner_user_id, 'owner', $now FROM organisations o WHERE o.id > 920000 AND o.id <= 920003;
INSERT INTO seller_profiles (organisation_id, contact_name, contact_email, contact_phone, business_type, description,
  submitted_at, decided_at, activated_at)
SELECT 920000 + s, 'Owner', 'seller' || s || '@crash.test', '+86 138 0000 0000', 'company', '', $now, $now, $now FROM sellers;
INSERT INTO payout_accounts (organisation_id, method, holder, account_number, account_masked, status, created_by, created_at)
SELECT o.id, 'paypal', o.name, 'seller' || (o.id - 920000) || '@crash.test', 's***@crash.test', 'active', o.owner_user_id, $now
FROM organisations o WHERE o.id > 920000 AND o.id <= 920003;
INSERT INTO listings (id, organisation_id, status, title, description, category_id, price_minor, compare_at_minor,
  currency, weight_grams, options_json, images_json, stock_total, featured, created_by, created_at, updated_at, published_at)
SELECT 7300000000 + m, 920000 + (m - 1) / $per_seller + 1, 'active', 'Crash item ' || m, 'A crash-test listing.', NULL,
       1500 + (m * 7919) % 5000, NULL, 'USD', 250, '[]', '[]', 1000000, 0, (SELECT id FROM admin), $now, $now, $now
FROM items;
INSERT INTO listing_variants (id, listing_id, sku, options_json, price_minor, compare_at_minor, stock, position, status)
SELECT 7400000000 + m, 7300000000 + m, 'CRASH-' || m, '[]', 1500 + (m * 7919) % 5000, NULL, 1000000, 0, 'active' FROM items;
INSERT INTO commission_rules (scope, scope_id, version, rate_bps, fixed_minor, floor_minor, cap_minor, currency, status,
  note, created_by, created_at, activated_by, activated_at)
VALUES ('default', NULL, 1, 1000, 0, 0, NULL, 'USD', 'active', 'crash', (SELECT id FROM admin), $now, (SELECT id FROM admin), $now);
INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at)
SELECT 'buyer' || n || '@crash.test', 'Buyer ' || n, (SELECT password_hash FROM admin), 'active', 'en', $now, $now
FROM tokens WHERE n > 0 ORDER BY n;
INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, ip, user_agent)
SELECT t.hash, u.id, $now, $now, '127.0.0.1', 'crash' FROM tokens t
JOIN users u ON u.email = CASE WHEN t.n > 0 THEN 'buyer' || t.n ELSE 'seller' || (-t.n) END || '@crash.test';
INSERT INTO addresses (user_id, recipient, phone, line1, line2, city, region, postal_code, country, is_default, created_at, updated_at)
SELECT u.id, u.display_name, '+86 138 0000 0000', '88 Jianguo Road', '', 'Beijing', 'Beijing', '100022', 'CN', 1, $now, $now
FROM users u WHERE u.email LIKE 'buyer%@crash.test';
INSERT INTO cart_items (owner_key, variant_id, quantity, selected, price_seen_minor, added_at, updated_at)
SELECT 'u:' || u.id, v.id, 1, 1, v.price_minor, $now, $now
FROM tokens t JOIN users u ON u.email = 'buyer' || t.n || '@crash.test'
JOIN listing_variants v ON v.id = 7400000000 + (t.n % 3) * $per_seller + (t.n * 7) % $per_seller + 1
WHERE t.n > 0;
SQL
}

for backend in "${backends[@]}"; do
  case $backend in
    sqlite)
      mkdir -p "$BENCH_TMP/crash-sqlite"
      db_file=$BENCH_TMP/crash-sqlite/agora.db
      url="sqlite://$db_file"
      label=SQLite
      sql=(sqlite3 -cmd ".timeout 10000" "$db_file")
      ;;
    postgres | pg)
      command -v psql >/dev/null || bench_die "psql not found (scripts/install-tools.sh installs PostgreSQL)"
      bench_pg_start
      url=$BENCH_PG_URL
      label=PostgreSQL
      sql=(psql -X -qAt "$url" -c)
      ;;
    *) bench_die "unknown backend $backend (sqlite or postgres)" ;;
  esac
  q() { "${sql[@]}" "$1"; }
  bench_log "$label: migrate, create the admin, seed 3 sellers and $buyers buyers"
  mapfile -t envs < <(crash_env "$url" 0)
  (cd "$REPO" && env "${envs[@]}" "$AGORA_BIN" --config "$REPO/Leptos.toml" migrate) >/dev/null
  (cd "$REPO" && env "${envs[@]}" AGORA_ADMIN_PASSWORD="$BENCH_PASSWORD" "$AGORA_BIN" --config "$REPO/Leptos.toml" \
    admin create --email "$BENCH_ADMIN_EMAIL" --name "Bench Admin") >/dev/null
  # n > 0: buyers; n = -1..-3: the sellers' owners; n = 0: the admin.
  tokens=$BENCH_TMP/crash-tokens-$backend.csv
  python3 - "$buyers" "$tokens" <<'PY'
import hashlib, secrets, sys
n = int(sys.argv[1])
with open(sys.argv[2], "w") as f:
    for i in list(range(-3, 1)) + list(range(1, n + 1)):
        t = secrets.token_hex(32)
        f.write(f"{i},{t},{hashlib.sha256(t.encode()).hexdigest()}\n")
PY
  now=$(date +%s%3N)
  case $backend in
    sqlite)
      sqlite3 -bail "$db_file" <<SQL
.timeout 10000
CREATE TEMP TABLE tokens (n INTEGER, token TEXT, hash TEXT);
.import --csv $tokens tokens
BEGIN;
CREATE TEMP TABLE sellers AS WITH RECURSIVE k(s) AS (SELECT 1 UNION ALL SELECT s + 1 FROM k WHERE s < 3) SELECT s FROM k;
CREATE TEMP TABLE items AS WITH RECURSIVE k(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM k WHERE m < 3 * $per_seller) SELECT m FROM k;
$(seed_common "$now")
INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, ip, user_agent)
SELECT t.hash, (SELECT id FROM admin), $now, $now, '127.0.0.1', 'crash' FROM tokens t WHERE t.n = 0;
COMMIT;
SQL
      ;;
    *)
      psql -X -q -v ON_ERROR_STOP=1 "$url" <<SQL
CREATE TEMP TABLE tokens (n BIGINT, token TEXT, hash TEXT);
\copy tokens FROM '$tokens' WITH (FORMAT csv)
BEGIN;
CREATE TEMP TABLE sellers AS SELECT s FROM generate_series(1, 3) AS s;
CREATE TEMP TABLE items AS SELECT m FROM generate_series(1, 3 * $per_seller) AS m;
$(seed_common "$now")
INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, ip, user_agent)
SELECT t.hash, (SELECT id FROM admin), $now, $now, '127.0.0.1', 'crash' FROM tokens t WHERE t.n = 0;
COMMIT;
ANALYZE;
SQL
      ;;
  esac

  # The driver's setup: sessions, addresses, which seller each buyer's cart is from, payout accounts.
  setup=$BENCH_TMP/crash-setup-$backend.json
  q "SELECT u.email, a.id FROM addresses a JOIN users u ON u.id = a.user_id WHERE u.email LIKE 'buyer%@crash.test'" >"$BENCH_TMP/crash-addresses.txt"
  q "SELECT u.email, u.id FROM users u WHERE u.email LIKE '%@crash.test'" >"$BENCH_TMP/crash-users.txt"
  q "SELECT organisation_id, id FROM payout_accounts WHERE organisation_id > 920000 AND organisation_id <= 920003" >"$BENCH_TMP/crash-accounts.txt"
  python3 - "$tokens" "$BENCH_TMP/crash-addresses.txt" "$BENCH_TMP/crash-users.txt" "$BENCH_TMP/crash-accounts.txt" "$BENCH_PASSWORD" >"$setup" <<'PY'
import json, sys
tokens = {int(l.split(",")[0]): l.split(",")[1] for l in open(sys.argv[1]) if l.strip()}
addresses = dict(l.strip().split("|") for l in open(sys.argv[2]) if l.strip())
users = dict(l.strip().split("|") for l in open(sys.argv[3]) if l.strip())
accounts = dict(l.strip().split("|") for l in open(sys.argv[4]) if l.strip())
cookie = lambda n: f"agora_session={tokens[n]}"
buyers = [{"n": n, "cookie": cookie(n), "user_id": int(users[f"buyer{n}@crash.test"]),
           "address_id": int(addresses[f"buyer{n}@crash.test"]), "seller": n % 3}
          for n in sorted(k for k in tokens if k > 0)]
sellers = [{"org": 920000 + s, "cookie": cookie(-s), "account_id": int(accounts[str(920000 + s)])} for s in (1, 2, 3)]
json.dump({"buyers": buyers, "sellers": sellers, "admin_cookie": cookie(0), "password": sys.argv[5]}, sys.stdout)
PY
  run_seed=$(date +%s)
  port=$(bench_free_port) || bench_die "no free port"
  mapfile -t envs < <(crash_env "$url" "$port")
  bench_log "$label: $cycles kill cycles, $buyers buyer flows on $clients threads + 3 payout threads"
  driver_json=$BENCH_TMP/crash-driver-$backend.json
  (cd "$REPO" && REPO=$REPO CRASH_PASSWORD=$BENCH_PASSWORD env "${envs[@]}" python3 "$BENCH_DIR/crash/driver.py" \
    --setup "$setup" --port "$port" --cycles "$cycles" --clients "$clients" --seed "$run_seed" \
    --log "$BENCH_TMP/crash-$backend.log" -- "$AGORA_BIN" --config "$REPO/Leptos.toml" serve) >"$driver_json" ||
    { tail -n 30 "$BENCH_TMP/crash-$backend.log" >&2; bench_die "$label: the driver failed"; }
  bench_detail "## $label driver" "$(jq -c 'del(.keyed)' "$driver_json")"
  [ "$(jq '.errors | length' "$driver_json")" = 0 ] || bench_fail "crash $label" "FAILED: flows stopped on unexpected answers: $(jq -c '.errors[:5]' "$driver_json")"

  # The invariants, with nothing running.
  mapfile -t envs < <(crash_env "$url" 0)
  verify=$(cd "$REPO" && env "${envs[@]}" "$AGORA_BIN" --config "$REPO/Leptos.toml" ledger verify) ||
    { bench_detail "$verify"; bench_die "$label: ledger verify failed: $verify"; }
  check_json=$BENCH_TMP/crash-check-$backend.json
  check_status=0
  python3 "$BENCH_DIR/crash/check.py" "$driver_json" "crash-$run_seed-" -- "${sql[@]}" >"$check_json" || check_status=$?
  bench_detail "## $label checks" "$(jq -c . "$check_json")"
  [ $check_status = 0 ] || bench_die "$label: checks failed: $(jq -c .failures "$check_json")"
  bench_summary "$(printf '%-22s %s' "crash $label" "$(jq -r '"\(.cycles) cycles (\(.kills) SIGKILLs), \(.requests_acknowledged) requests acknowledged, \(.requests_retried) retries, \(.requests_cut_mid_request) cut mid-request, \(.retries_finding_it_applied_409) retries found it applied, \(.seconds) s"' "$driver_json")")"
  bench_summary "$(printf '%-22s %s' "" "$verify")"
  bench_summary "$(printf '%-22s %s' "" "$(jq -r '.keyed | to_entries | map("\(.key)s: \(.value.acknowledged) acknowledged, \(.value.stored) stored, \(.value.applied_twice) twice, \(.value.lost) lost") | join("; ")' "$check_json")")"
  bench_summary "$(printf '%-22s %s' "" "$(jq -r '.ledger | "\(.orders) orders, \(.postings) postings, \(.refunds_refunded) refunds (\(.refund_postings) postings), \(.payouts_paid) payouts paid, \(.duplicate_posting_keys) duplicate keys"' "$check_json")")"
  bench_pg_stop
done
bench_finish
