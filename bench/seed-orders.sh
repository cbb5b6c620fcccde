#!/usr/bin/env bash
# Seeds N orders of a year of trading (default 1,000,000) into a migrated Agora database that already
# holds a catalog (bench/seed-catalog.sh: its active sellers and their listings), by bulk SQL: the
# buyers, checkouts, orders, lines, payments, the ledger postings and entries that the money flow
# writes, refunds, disputes and payouts. For the command center, reports, exports and readiness benches.
#
#   bench/seed-orders.sh sqlite:///tmp/x/agora.db [N] [NOW_MS]
#   bench/seed-orders.sh postgres://postgres@127.0.0.1:PORT/postgres [N] [NOW_MS]
#
# What it writes (n = 1..N, ids and times ascend with n; NOW_MS defaults to the current time):
#   10,000 buyers        bench-buyer-<k>@example.test (cannot sign in), created over the 400 days
#                        before NOW_MS
#   N checkouts, orders  order n was placed at NOW_MS - 400 days + n * (400 days / N), by buyer
#   and order lines      n % 10000, from active seller n % <active sellers>, one line of that seller's
#                        first listing: items 10.00..209.99 (USD), shipping 5.00, commission 10 % of
#                        the items. By n % 20: 0 cancelled unpaid; 1 paid then refunded in full; 2-3
#                        paid; 4-6 shipped; otherwise completed. Paid 10 minutes after placing, shipped
#                        a day later, completed 7 days after shipping.
#   N payments           bank transfers, approved (cancelled for the unpaid orders)
#   ledger postings      per paid order: payment_received (2 entries); per completed order
#                        order_completed (3 entries); per refunded order a refund from clearing
#                        (2 entries): about 1.75 postings and 4.1 entries per order. The accounts'
#                        balances are set to the sums of their entries, so the trial balance is zero.
#   refunds              one per refunded order (refunded in full, settled a day after payment)
#   disputes             n % 200 = 3 (0.5 %): open when placed in the last 3 days, else seller_won
#   payouts              one paid payout per active seller per 30 days, with its two postings
#   Idempotency keys are the application's own (checkout:<id>:paid, order:<id>:completed, refund:<id>,
#   payout:<id>:paid), so the ledger controls and launch readiness find every event posted.
# PostgreSQL is ANALYZEd afterwards; SQLite is left as the application leaves it (no ANALYZE).
set -euo pipefail

url=${1:?usage: $0 DATABASE_URL [N] [NOW_MS]}
n=${2:-1000000}
now=${3:-$(($(date +%s) * 1000))}
case $n$now in '' | *[!0-9]*) echo "N and NOW_MS must be numbers" >&2; exit 2 ;; esac
day=86400000
span=$((400 * day))
step=$((span / n))

# seq N: the rows 1..N as a table with one column `n` (the SQL dialects name generate_series' column
# differently).
case $url in
  sqlite:*) seq() { echo "(SELECT value AS n FROM generate_series(1, $1))"; } ;;
  postgres:* | postgresql:*) seq() { echo "(SELECT n FROM generate_series(1::bigint, $1) AS n)"; } ;;
  *) echo "not a sqlite: or postgres: URL: $url" >&2; exit 2 ;;
esac

at="($now - $span + o.n * $step)"
items="(1000 + (o.n * 7919) % 20000)"
cls="(o.n % 20)"

sql=$(cat <<SQL
BEGIN;
INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at, email_verified_at)
SELECT 'bench-buyer-' || n || '@example.test', 'Bench Buyer ' || n, 'not-a-hash', 'active', 'en',
       $now - $span + n * ($span / 10000), $now - $span + n * ($span / 10000), $now - $span + n * ($span / 10000)
FROM $(seq 10000) AS s;
CREATE TEMP TABLE bb AS SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS i FROM users WHERE email LIKE 'bench-buyer-%';
CREATE TEMP TABLE bs AS
SELECT o.id, ROW_NUMBER() OVER (ORDER BY o.id) - 1 AS i,
       (SELECT MIN(l.id) FROM listings l WHERE l.organisation_id = o.id) AS listing_id
FROM organisations o
WHERE o.kind = 'seller' AND o.status = 'active' AND EXISTS (SELECT 1 FROM listings l WHERE l.organisation_id = o.id);
CREATE TEMP TABLE bsk AS SELECT COUNT(*) AS k FROM bs;
CREATE INDEX bb_i ON bb (i);
CREATE INDEX bs_i ON bs (i);
CREATE TEMP TABLE o AS
SELECT s.n AS n, bb.id AS buyer_id, bs.id AS seller_id, bs.listing_id AS listing_id,
       (SELECT MIN(v.id) FROM listing_variants v WHERE v.listing_id = bs.listing_id) AS variant_id
FROM $(seq "$n") AS s
JOIN bb ON bb.i = s.n % 10000
JOIN bs ON bs.i = s.n % (SELECT k FROM bsk);
INSERT INTO checkouts (id, buyer_id, idempotency_key, request_hash, currency, total_minor, payment_method, status, created_at)
SELECT 14500000000 + o.n, o.buyer_id, 'bench-' || o.n, 'bench', 'USD', $items + 500, 'bank_transfer',
       CASE WHEN $cls = 0 THEN 'cancelled' ELSE 'paid' END, $at
FROM o;
INSERT INTO orders (id, number, checkout_id, buyer_id, organisation_id, status, currency, items_minor, shipping_minor,
  total_minor, commission_minor, address_json, overdue, carrier, tracking_number, created_at, updated_at, pay_by,
  paid_at, ship_by, shipped_at, complete_by, completed_at, cancelled_at)
SELECT 15500000000 + o.n, 'B' || o.n, 14500000000 + o.n, o.buyer_id, o.seller_id,
       CASE WHEN $cls = 0 THEN 'cancelled' WHEN $cls = 1 THEN 'refunded' WHEN $cls IN (2, 3) THEN 'paid'
            WHEN $cls IN (4, 5, 6) THEN 'shipped' ELSE 'completed' END,
       'USD', $items, 500, $items + 500, $items / 10,
       '{"recipient":"Bench Buyer","phone":"+1 555 0100","line1":"1 Bench Street","line2":"","city":"Springfield","region":"","postal_code":"12345","country":"US"}',
       0, CASE WHEN $cls >= 4 THEN 'UPS' ELSE '' END, CASE WHEN $cls >= 4 THEN '1Z' || o.n ELSE '' END,
       $at, $at, $at + 1800000,
       CASE WHEN $cls = 0 THEN NULL ELSE $at + 600000 END,
       CASE WHEN $cls = 0 THEN NULL ELSE $at + 600000 + 3 * $day END,
       CASE WHEN $cls >= 4 THEN $at + $day END,
       CASE WHEN $cls >= 4 THEN $at + 8 * $day END,
       CASE WHEN $cls >= 7 THEN $at + 8 * $day END,
       CASE WHEN $cls = 0 THEN $at + 1800000 END
FROM o;
INSERT INTO order_lines (id, order_id, listing_id, variant_id, title, variant_label, sku, unit_price_minor, quantity,
  line_total_minor, commission_rule_id, commission_minor)
SELECT 16500000000 + o.n, 15500000000 + o.n, o.listing_id, o.variant_id, 'Bench item ' || o.n, 'S', 'B' || o.listing_id || '-S',
       $items, 1, $items, 0, $items / 10
FROM o;
INSERT INTO payments (id, checkout_id, provider, status, currency, amount_minor, reference, decided_at, created_at, updated_at)
SELECT 18500000000 + o.n, 14500000000 + o.n, 'bank_transfer', CASE WHEN $cls = 0 THEN 'cancelled' ELSE 'approved' END,
       'USD', $items + 500, 'BENCH' || o.n, CASE WHEN $cls = 0 THEN NULL ELSE $at + 600000 END, $at, $at
FROM o;
INSERT INTO ledger_accounts (code, currency, kind, organisation_id, balance_minor, created_at)
VALUES ('platform:bank', 'USD', 'asset', NULL, 0, $now - $span),
       ('buyer:clearing', 'USD', 'liability', NULL, 0, $now - $span),
       ('platform:commission', 'USD', 'revenue', NULL, 0, $now - $span)
ON CONFLICT (code, currency) DO NOTHING;
INSERT INTO ledger_accounts (code, currency, kind, organisation_id, balance_minor, created_at)
SELECT 'seller:' || bs.id || ':pending', 'USD', 'liability', bs.id, 0, $now - $span FROM bs WHERE 1 = 1
ON CONFLICT (code, currency) DO NOTHING;
INSERT INTO ledger_accounts (code, currency, kind, organisation_id, balance_minor, created_at)
SELECT 'seller:' || bs.id || ':' || k.kind, 'USD', 'liability', bs.id, 0, $now - $span
FROM bs CROSS JOIN (SELECT 'available' AS kind UNION ALL SELECT 'in_transit') AS k WHERE 1 = 1
ON CONFLICT (code, currency) DO NOTHING;
CREATE TEMP TABLE acct AS
SELECT (SELECT id FROM ledger_accounts WHERE code = 'platform:bank' AND currency = 'USD') AS bank,
       (SELECT id FROM ledger_accounts WHERE code = 'buyer:clearing' AND currency = 'USD') AS clearing,
       (SELECT id FROM ledger_accounts WHERE code = 'platform:commission' AND currency = 'USD') AS commission;
CREATE TEMP TABLE pend AS
SELECT bs.id AS seller_id, a.id AS pending FROM bs JOIN ledger_accounts a ON a.code = 'seller:' || bs.id || ':pending' AND a.currency = 'USD';
-- Posting ids: 21500000000 + 3n + k (k = 0 payment, 1 completion or refund); entries 22500000000 + 5n + j.
INSERT INTO ledger_postings (id, kind, idempotency_key, order_id, checkout_id, at, memo)
SELECT 21500000000 + 3 * o.n, 'payment_received', 'checkout:' || (14500000000 + o.n) || ':paid', NULL, 14500000000 + o.n,
       $at + 600000, 'bench'
FROM o WHERE $cls <> 0;
INSERT INTO ledger_postings (id, kind, idempotency_key, order_id, checkout_id, at, memo)
SELECT 21500000000 + 3 * o.n + 1, CASE WHEN $cls = 1 THEN 'refund' ELSE 'order_completed' END,
       CASE WHEN $cls = 1 THEN 'refund:' || (24500000000 + o.n) ELSE 'order:' || (15500000000 + o.n) || ':completed' END,
       15500000000 + o.n, NULL, CASE WHEN $cls = 1 THEN $at + 600000 + $day ELSE $at + 8 * $day END, 'bench'
FROM o WHERE $cls = 1 OR $cls >= 7;
INSERT INTO ledger_entries (id, posting_id, account_id, currency, amount_minor)
SELECT 22500000000 + 5 * o.n, 21500000000 + 3 * o.n, acct.bank, 'USD', $items + 500 FROM o CROSS JOIN acct WHERE $cls <> 0;
INSERT INTO ledger_entries (id, posting_id, account_id, currency, amount_minor)
SELECT 22500000000 + 5 * o.n + 1, 21500000000 + 3 * o.n, acct.clearing, 'USD', -($items + 500) FROM o CROSS JOIN acct WHERE $cls <> 0;
INSERT INTO ledger_entries (id, posting_id, account_id, currency, amount_minor)
SELECT 22500000000 + 5 * o.n + 2, 21500000000 + 3 * o.n + 1, acct.clearing, 'USD', $items + 500
FROM o CROSS JOIN acct WHERE $cls = 1 OR $cls >= 7;
INSERT INTO ledger_entries (id, posting_id, account_id, currency, amount_minor)
SELECT 22500000000 + 5 * o.n + 3, 21500000000 + 3 * o.n + 1,
       CASE WHEN $cls = 1 THEN acct.bank ELSE pend.pending END, 'USD',
       CASE WHEN $cls = 1 THEN -($items + 500) ELSE -($items + 500 - $items / 10) END
FROM o CROSS JOIN acct JOIN pend ON pend.seller_id = o.seller_id WHERE $cls = 1 OR $cls >= 7;
INSERT INTO ledger_entries (id, posting_id, account_id, currency, amount_minor)
SELECT 22500000000 + 5 * o.n + 4, 21500000000 + 3 * o.n + 1, acct.commission, 'USD', -($items / 10)
FROM o CROSS JOIN acct WHERE $cls >= 7;
INSERT INTO refunds (id, order_id, organisation_id, buyer_id, currency, amount_minor, reason_code, details, status,
  idempotency_key, request_hash, respond_by, responded_at, posting_id, settled_at, created_at, updated_at)
SELECT 24500000000 + o.n, 15500000000 + o.n, o.seller_id, o.buyer_id, 'USD', $items + 500, 'damaged',
       'Arrived broken (bench).', 'refunded', 'bench-refund-' || o.n, 'bench', $at + 600000 + 3 * $day,
       $at + 600000 + $day, 21500000000 + 3 * o.n + 1, $at + 600000 + $day, $at + 700000, $at + 600000 + $day
FROM o WHERE $cls = 1;
INSERT INTO disputes (id, order_id, organisation_id, buyer_id, opened_by, currency, claim_minor, reason_code, details,
  status, sla_due_at, decision, decided_at, decision_reason, created_at, updated_at)
SELECT 25500000000 + o.n, 15500000000 + o.n, o.seller_id, o.buyer_id, 'buyer', 'USD', $items + 500, 'not_received',
       'Never arrived (bench).',
       CASE WHEN $at >= $now - 3 * $day THEN 'open' ELSE 'seller_won' END, $at + 2 * $day + 259200000,
       CASE WHEN $at >= $now - 3 * $day THEN NULL ELSE 'seller_wins' END,
       CASE WHEN $at >= $now - 3 * $day THEN NULL ELSE $at + 3 * $day END,
       CASE WHEN $at >= $now - 3 * $day THEN '' ELSE 'Tracking shows delivery (bench).' END,
       $at + 2 * $day, $at + 2 * $day
FROM o WHERE o.n % 200 = 3;
INSERT INTO payout_accounts (organisation_id, method, holder, account_number, account_masked, status, created_by, created_at)
SELECT bs.id, 'bank', 'Bench Seller', 'DE89370400440532013000', '****3000', 'active',
       (SELECT MIN(id) FROM bb), $now - $span FROM bs;
INSERT INTO payouts (id, organisation_id, payout_account_id, currency, amount_minor, status, idempotency_key, request_hash,
  external_reference, requested_by, requested_at, approved_at, closed_at, updated_at)
SELECT 26500000000 + bs.i * 100 + m.n, bs.id, (SELECT MIN(pa.id) FROM payout_accounts pa WHERE pa.organisation_id = bs.id), 'USD', 10000 + m.n * 100,
       'paid', 'bench-payout-' || m.n, 'bench', 'BENCH-TX-' || bs.id || '-' || m.n, (SELECT MIN(id) FROM bb),
       $now - $span + m.n * 30 * $day, $now - $span + m.n * 30 * $day + 3600000,
       $now - $span + m.n * 30 * $day + 7200000, $now - $span + m.n * 30 * $day + 7200000
FROM bs CROSS JOIN $(seq 13) AS m;
-- Each payout's two postings (requested: available -> in transit; paid: out of the bank), ids
-- 21400000000 + 2 * payout offset + k, entries 22400000000 + 4 * payout offset + j.
CREATE TEMP TABLE pw AS
SELECT w.id - 26500000000 AS k, w.id, w.organisation_id AS seller_id, w.amount_minor, w.requested_at, w.closed_at,
       (SELECT a.id FROM ledger_accounts a WHERE a.code = 'seller:' || w.organisation_id || ':available' AND a.currency = 'USD') AS available,
       (SELECT a.id FROM ledger_accounts a WHERE a.code = 'seller:' || w.organisation_id || ':in_transit' AND a.currency = 'USD') AS transit
FROM payouts w WHERE w.id > 26500000000;
INSERT INTO ledger_postings (id, kind, idempotency_key, order_id, checkout_id, at, memo)
SELECT 21400000000 + 2 * pw.k, 'payout_requested', 'payout:' || pw.id || ':requested', NULL, NULL, pw.requested_at, 'bench' FROM pw;
INSERT INTO ledger_postings (id, kind, idempotency_key, order_id, checkout_id, at, memo)
SELECT 21400000000 + 2 * pw.k + 1, 'payout_paid', 'payout:' || pw.id || ':paid', NULL, NULL, pw.closed_at, 'bench' FROM pw;
INSERT INTO ledger_entries (id, posting_id, account_id, currency, amount_minor)
SELECT 22400000000 + 4 * pw.k, 21400000000 + 2 * pw.k, pw.available, 'USD', pw.amount_minor FROM pw;
INSERT INTO ledger_entries (id, posting_id, account_id, currency, amount_minor)
SELECT 22400000000 + 4 * pw.k + 1, 21400000000 + 2 * pw.k, pw.transit, 'USD', -pw.amount_minor FROM pw;
INSERT INTO ledger_entries (id, posting_id, account_id, currency, amount_minor)
SELECT 22400000000 + 4 * pw.k + 2, 21400000000 + 2 * pw.k + 1, pw.transit, 'USD', pw.amount_minor FROM pw;
INSERT INTO ledger_entries (id, posting_id, account_id, currency, amount_minor)
SELECT 22400000000 + 4 * pw.k + 3, 21400000000 + 2 * pw.k + 1, acct.bank, 'USD', -pw.amount_minor FROM pw CROSS JOIN acct;
UPDATE ledger_accounts SET balance_minor = (SELECT COALESCE(SUM(e.amount_minor), 0) FROM ledger_entries e WHERE e.account_id = ledger_accounts.id);
COMMIT;
SQL
)

case $url in
  sqlite:*)
    file=${url#sqlite:}
    file=${file#//}
    file=${file%%\?*}
    [ -f "$file" ] || { echo "no SQLite database at $file" >&2; exit 1; }
    printf '.timeout 10000\n%s\n' "$sql" | sqlite3 -bail "$file"
    ;;
  *)
    printf '%s\nANALYZE;\n' "$sql" | psql -X -q -v ON_ERROR_STOP=1 "$url"
    ;;
esac
