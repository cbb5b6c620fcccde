#!/usr/bin/env bash
# Seeds a storefront catalog of N live listings (default 100,000) into a migrated Agora database, by
# bulk SQL: sellers, categories, listings with two variants each, and the search index rows.
#
#   bench/seed-catalog.sh sqlite:///tmp/x/agora.db [N]
#   bench/seed-catalog.sh postgres://postgres@127.0.0.1:PORT/postgres [N]
#
# What it writes (n = 1..N, inserted in order, so ids and publication times ascend with n):
#   1 user            bench-seller@example.test (cannot sign in: its password hash is a placeholder)
#   100 sellers       "Bench Seller <k>", status active except k % 50 = 0 (2 suspended: their
#                     listings must stay hidden)
#   40 categories     10 top level (cat-0..9) with 3 children each (cat-<t>-<c>); listings sit in the
#                     children, every 40th has no category
#   N listings        title "<adjective> <material> <noun>" from word lists (16 x 12 x 24), so a noun
#                     such as "mug" matches 1 listing in 24 and a material 1 in 12; every 10,000th title
#                     also carries the rare word "zephyr". The description is two sentences from other
#                     word lists plus a Chinese phrase (1 of 8). Price 5.00..204.99 (USD minor units),
#                     stock n % 13 (0 = sold out), featured every 500th.
#   2N variants       sizes S and L (L costs 10.00 more), stock split between them
#   N search rows     search_documents and search_terms, by `agora-server search reindex` (the tokenizer
#                     is Rust, app/src/domain/search.rs): AGORA_BIN, else the release build in
#                     $CARGO_TARGET_DIR (or target/) is used; skipped with SEED_SEARCH_INDEX=0
# PostgreSQL is ANALYZEd afterwards; SQLite is left as the application leaves it (no ANALYZE).
set -euo pipefail

url=${1:?usage: $0 DATABASE_URL [N]}
n=${2:-100000}
case $n in '' | *[!0-9]*) echo "N must be a number" >&2; exit 2 ;; esac

# Word lists shared by both databases (index = position, 0-based).
adjectives="'Handmade','Vintage','Minimal','Rustic','Modern','Classic','Organic','Bold','Soft','Tiny','Large','Elegant','Bright','Quiet','Sturdy','Light'"
materials="'ceramic','linen','oak','walnut','cotton','wool','leather','glass','copper','bamboo','porcelain','silk'"
nouns="'mug','bowl','vase','lamp','chair','scarf','blanket','basket','tray','teapot','notebook','wallet','bag','shirt','apron','candle','plate','clock','mirror','shelf','pillow','rug','jar','spoon'"
openings="'Made in small batches by an independent workshop.','Finished by hand and checked twice before it ships.','A piece meant to be used every day for years.','Designed for small homes and slow mornings.','Sourced from a family business we have worked with for years.','Each one is slightly different, which is the point.'"
closings="'Wipe clean with a damp cloth.','Ships in recycled packaging.','Gift wrapping available on request.','Comes with a care card.','Pairs well with the rest of the collection.'"
chinese="'手工制作','限量发售','天然材料','匠人精选','经典设计','环保包装','独立工作室','每日好物'"

case $url in
  sqlite:*)
    file=${url#sqlite:}
    file=${file#//}
    file=${file%%\?*}
    [ -f "$file" ] || { echo "no SQLite database at $file" >&2; exit 1; }
    sqlite3 -bail "$file" <<SQL
.timeout 10000
BEGIN;
INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at)
VALUES ('bench-seller@example.test', 'Bench Seller', 'not-a-hash', 'active', 'en', 1700000000000, 1700000000000);
WITH RECURSIVE k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k WHERE k < 100)
INSERT INTO organisations (name, kind, status, region, owner_user_id, created_at, updated_at)
SELECT 'Bench Seller ' || k, 'seller', CASE WHEN k % 50 = 0 THEN 'suspended' ELSE 'active' END,
       CASE k % 3 WHEN 0 THEN 'CN' WHEN 1 THEN 'US' ELSE 'DE' END,
       (SELECT id FROM users WHERE email = 'bench-seller@example.test'), 1700000000000, 1700000000000
FROM k ORDER BY k;
WITH RECURSIVE t(t) AS (SELECT 0 UNION ALL SELECT t + 1 FROM t WHERE t < 9)
INSERT INTO categories (parent_id, slug, name_en, name_zh, status, browsable, position, created_at, updated_at)
SELECT NULL, 'cat-' || t, 'Category ' || t, '分类 ' || t, 'active', 1, t, 1700000000000, 1700000000000 FROM t ORDER BY t;
WITH RECURSIVE c(c) AS (SELECT 0 UNION ALL SELECT c + 1 FROM c WHERE c < 2)
INSERT INTO categories (parent_id, slug, name_en, name_zh, status, browsable, position, created_at, updated_at)
SELECT p.id, p.slug || '-' || c, p.name_en || '.' || c, p.name_zh || '.' || c, 'active', 1, c, 1700000000000, 1700000000000
FROM categories p CROSS JOIN c WHERE p.parent_id IS NULL AND p.slug LIKE 'cat-%' ORDER BY p.id, c;
CREATE TEMP TABLE adj(i INTEGER PRIMARY KEY, w TEXT);
CREATE TEMP TABLE mat(i INTEGER PRIMARY KEY, w TEXT);
CREATE TEMP TABLE nou(i INTEGER PRIMARY KEY, w TEXT);
CREATE TEMP TABLE ope(i INTEGER PRIMARY KEY, w TEXT);
CREATE TEMP TABLE clo(i INTEGER PRIMARY KEY, w TEXT);
CREATE TEMP TABLE zh(i INTEGER PRIMARY KEY, w TEXT);
CREATE TEMP TABLE sellers(i INTEGER PRIMARY KEY, id BIGINT);
CREATE TEMP TABLE cats(i INTEGER PRIMARY KEY, id BIGINT);
INSERT INTO adj(w) SELECT value FROM json_each(json_array($adjectives));
INSERT INTO mat(w) SELECT value FROM json_each(json_array($materials));
INSERT INTO nou(w) SELECT value FROM json_each(json_array($nouns));
INSERT INTO ope(w) SELECT value FROM json_each(json_array($openings));
INSERT INTO clo(w) SELECT value FROM json_each(json_array($closings));
INSERT INTO zh(w) SELECT value FROM json_each(json_array($chinese));
INSERT INTO sellers(id) SELECT id FROM organisations WHERE name LIKE 'Bench Seller %' ORDER BY id;
INSERT INTO cats(id) SELECT id FROM categories WHERE slug GLOB 'cat-[0-9]-[0-9]' ORDER BY id;
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $n)
INSERT INTO listings (organisation_id, status, title, description, category_id, price_minor, compare_at_minor,
  currency, weight_grams, options_json, images_json, stock_total, featured, created_by, created_at, updated_at,
  published_at)
SELECT (SELECT id FROM sellers WHERE i = n % 100 + 1),
       CASE WHEN n % 13 = 0 THEN 'sold_out' ELSE 'active' END,
       (SELECT w FROM adj WHERE i = n % 16 + 1) || ' ' || (SELECT w FROM mat WHERE i = (n / 16) % 12 + 1) || ' '
         || (SELECT w FROM nou WHERE i = (n / 7) % 24 + 1) || CASE WHEN n % 10000 = 0 THEN ' zephyr' ELSE '' END,
       (SELECT w FROM ope WHERE i = n % 6 + 1) || ' ' || (SELECT w FROM clo WHERE i = (n / 6) % 5 + 1) || ' '
         || (SELECT w FROM zh WHERE i = (n / 3) % 8 + 1) || '。',
       CASE WHEN n % 40 = 0 THEN NULL ELSE (SELECT id FROM cats WHERE i = n % 30 + 1) END,
       500 + (n * 7919) % 20000, CASE WHEN n % 4 = 0 THEN 500 + (n * 7919) % 20000 + 1500 END,
       'USD', 300, '[{"name":"Size","values":["S","L"]}]', '[]', n % 13,
       CASE WHEN n % 500 = 0 THEN 1 ELSE 0 END,
       (SELECT id FROM users WHERE email = 'bench-seller@example.test'),
       1700000000000 + n * 60000, 1700000000000 + n * 60000, 1700000000000 + n * 60000
FROM seq ORDER BY n;
INSERT INTO listing_variants (listing_id, sku, options_json, price_minor, compare_at_minor, stock, position, status)
SELECT l.id, 'B' || l.id || '-' || s.size, '["' || s.size || '"]', l.price_minor + s.extra, NULL,
       CASE s.size WHEN 'S' THEN l.stock_total / 2 ELSE l.stock_total - l.stock_total / 2 END, s.pos, 'active'
FROM listings l CROSS JOIN (SELECT 'S' AS size, 0 AS extra, 0 AS pos UNION ALL SELECT 'L', 1000, 1) s
WHERE l.created_by = (SELECT id FROM users WHERE email = 'bench-seller@example.test');
COMMIT;
SQL
    ;;
  postgres:* | postgresql:*)
    psql -X -q -v ON_ERROR_STOP=1 "$url" <<SQL
BEGIN;
INSERT INTO users (email, display_name, password_hash, status, locale, created_at, updated_at)
VALUES ('bench-seller@example.test', 'Bench Seller', 'not-a-hash', 'active', 'en', 1700000000000, 1700000000000);
INSERT INTO organisations (name, kind, status, region, owner_user_id, created_at, updated_at)
SELECT 'Bench Seller ' || k, 'seller', CASE WHEN k % 50 = 0 THEN 'suspended' ELSE 'active' END,
       (ARRAY['CN', 'US', 'DE'])[k % 3 + 1],
       (SELECT id FROM users WHERE email = 'bench-seller@example.test'), 1700000000000, 1700000000000
FROM generate_series(1, 100) AS k ORDER BY k;
INSERT INTO categories (parent_id, slug, name_en, name_zh, status, browsable, position, created_at, updated_at)
SELECT NULL, 'cat-' || t, 'Category ' || t, '分类 ' || t, 'active', 1, t, 1700000000000, 1700000000000
FROM generate_series(0, 9) AS t ORDER BY t;
INSERT INTO categories (parent_id, slug, name_en, name_zh, status, browsable, position, created_at, updated_at)
SELECT p.id, p.slug || '-' || c, p.name_en || '.' || c, p.name_zh || '.' || c, 'active', 1, c, 1700000000000, 1700000000000
FROM categories p CROSS JOIN generate_series(0, 2) AS c WHERE p.parent_id IS NULL AND p.slug LIKE 'cat-%' ORDER BY p.id, c;
CREATE TEMP TABLE sellers AS SELECT row_number() OVER (ORDER BY id) AS i, id FROM organisations WHERE name LIKE 'Bench Seller %';
CREATE TEMP TABLE cats AS SELECT row_number() OVER (ORDER BY id) AS i, id FROM categories WHERE slug ~ '^cat-[0-9]-[0-9]$';
INSERT INTO listings (organisation_id, status, title, description, category_id, price_minor, compare_at_minor,
  currency, weight_grams, options_json, images_json, stock_total, featured, created_by, created_at, updated_at,
  published_at)
SELECT s.id,
       CASE WHEN n % 13 = 0 THEN 'sold_out' ELSE 'active' END,
       (ARRAY[$adjectives])[n % 16 + 1] || ' ' || (ARRAY[$materials])[(n / 16) % 12 + 1] || ' '
         || (ARRAY[$nouns])[(n / 7) % 24 + 1] || CASE WHEN n % 10000 = 0 THEN ' zephyr' ELSE '' END,
       (ARRAY[$openings])[n % 6 + 1] || ' ' || (ARRAY[$closings])[(n / 6) % 5 + 1] || ' '
         || (ARRAY[$chinese])[(n / 3) % 8 + 1] || '。',
       CASE WHEN n % 40 = 0 THEN NULL ELSE c.id END,
       500 + (n::bigint * 7919) % 20000, CASE WHEN n % 4 = 0 THEN 500 + (n::bigint * 7919) % 20000 + 1500 END,
       'USD', 300, '[{"name":"Size","values":["S","L"]}]', '[]', n % 13,
       CASE WHEN n % 500 = 0 THEN 1 ELSE 0 END,
       (SELECT id FROM users WHERE email = 'bench-seller@example.test'),
       1700000000000 + n * 60000::bigint, 1700000000000 + n * 60000::bigint, 1700000000000 + n * 60000::bigint
FROM generate_series(1, $n) AS n
JOIN sellers s ON s.i = n % 100 + 1
JOIN cats c ON c.i = n % 30 + 1
ORDER BY n;
INSERT INTO listing_variants (listing_id, sku, options_json, price_minor, compare_at_minor, stock, position, status)
SELECT l.id, 'B' || l.id || '-' || s.size, '["' || s.size || '"]', l.price_minor + s.extra, NULL,
       CASE s.size WHEN 'S' THEN l.stock_total / 2 ELSE l.stock_total - l.stock_total / 2 END, s.pos, 'active'
FROM listings l CROSS JOIN (VALUES ('S', 0, 0), ('L', 1000, 1)) AS s (size, extra, pos)
WHERE l.created_by = (SELECT id FROM users WHERE email = 'bench-seller@example.test');
COMMIT;
SQL
    ;;
  *)
    echo "not a sqlite: or postgres: URL: $url" >&2
    exit 2
    ;;
esac

# The search index: the server's own tokenizer over the live listings, in one transaction. Benches
# that never search skip it with SEED_SEARCH_INDEX=0 (a million listings take minutes to index).
if [ "${SEED_SEARCH_INDEX:-1}" = 0 ]; then
  case $url in postgres:* | postgresql:*) psql -X -q -v ON_ERROR_STOP=1 "$url" -c ANALYZE ;; esac
  exit 0
fi
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${AGORA_BIN:-${CARGO_TARGET_DIR:-$repo/target}/release/agora-server}
[ -x "$bin" ] || { echo "no server binary at $bin (set AGORA_BIN) to build the search index" >&2; exit 1; }
(cd "$repo" && AGORA_DATABASE_URL=$url AGORA_LOG=warn "$bin" --config "$repo/Leptos.toml" search reindex)
case $url in
  postgres:* | postgresql:*) psql -X -q -v ON_ERROR_STOP=1 "$url" -c ANALYZE ;;
esac
