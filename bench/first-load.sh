#!/usr/bin/env bash
# What a browser downloads on a page's first load (cold cache): JS, WASM, CSS and everything, per page,
# measured in Debian's Chromium through Playwright (bench/first-load.mjs).
#
#   bench/first-load.sh                  # the release build (the figure that matters)
#   AGORA_BIN=$CARGO_TARGET_DIR/debug/agora-server bench/first-load.sh
#
# A fresh SQLite database with a small catalog (bench/seed-catalog.sh, BENCH_FIRST_LOAD_LISTINGS = 200
# listings) and the bench super admin; then, each in a fresh browser context:
#
#   /            /p/<id>       /search?q=mug        anonymous (the storefront)
#   /seller      /console                            signed in as the super admin (a section's entry:
#                                                    the seller center's code loads whether or not the
#                                                    viewer is a seller, it then says "not a seller")
#
# Two figures per page: "wire", the bytes Chromium received (encodedDataLength: headers plus the body
# as the server sent it, so with whatever compression the server chose), and "gzip -9", the /pkg files
# the page fetched compressed at gzip's best level (the figure that does not depend on the server).
# The goal (issue 11): a storefront page's first load fetches JS + WASM <= 250 KB gzip.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init first-load
command -v sqlite3 >/dev/null || bench_die "sqlite3 is not installed: run bench/install.sh"
[ -d "$REPO/node_modules/playwright" ] || bench_die "no node_modules/playwright: run npm install (scripts/install-tools.sh)"

listings=${BENCH_FIRST_LOAD_LISTINGS:-200}
db_dir=$BENCH_TMP/first-load-db
mkdir -p "$db_dir"
url="sqlite://$db_dir/agora.db"
bench_agora "$url" migrate >/dev/null
AGORA_ADMIN_PASSWORD=$BENCH_PASSWORD bench_agora "$url" admin create --email "$BENCH_ADMIN_EMAIL" --name "Bench Admin" >/dev/null
"$BENCH_DIR/seed-catalog.sh" "$url" "$listings" >/dev/null
product=$(sqlite3 "$db_dir/agora.db" "SELECT l.id FROM listings l JOIN organisations o ON o.id = l.organisation_id WHERE o.status = 'active' AND l.status = 'active' ORDER BY l.id LIMIT 1")
[ -n "$product" ] || bench_die "the seeded catalog has no visible listing"

bench_start_server first-load "$url"
cookie=$(bench_sign_in "$BENCH_ADMIN_EMAIL" "$BENCH_PASSWORD")
pages=$(jq -cn --arg product "/p/$product" --arg cookie "$cookie" '[
  {label: "/", path: "/"},
  {label: "/p/<id>", path: $product},
  {label: "/search", path: "/search?q=mug"},
  {label: "/seller", path: "/seller", cookie: $cookie},
  {label: "/console", path: "/console", cookie: $cookie}
]')
out=$BENCH_TMP/first-load.jsonl
(cd "$REPO" && node bench/first-load.mjs "$BASE" "$AGORA_SITE_ROOT" "$pages") >"$out" || bench_die "first-load.mjs failed"
bench_stop_server

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }
bench_summary "$(printf '%-9s %6s | %-34s | %-27s | %s' page status 'wire KB: JS+WASM  (js wasm css)' 'gzip -9 KB: JS+WASM  (css)' 'wire KB: all')"
while IFS= read -r line; do
  read -r label status js wasm css total gjs gwasm gcss nerr < <(jq -r '[.label, .status, .wire.js, .wire.wasm, .wire.css, .wire.total, .gzip9.js, .gzip9.wasm, .gzip9.css, (.errors | length)] | @tsv' <<<"$line")
  bench_summary "$(printf '%-9s %6s | %7s  (%6s %7s %6s) | %7s  (%6s)            | %7s%s' \
    "$label" "$status" "$(kb $((js + wasm)))" "$(kb "$js")" "$(kb "$wasm")" "$(kb "$css")" \
    "$(kb $((gjs + gwasm)))" "$(kb "$gcss")" "$(kb "$total")" "$([ "$nerr" = 0 ] || echo "   $nerr page errors!")")"
  bench_detail "## $label ($(jq -r .path <<<"$line")): status $status" \
    "$(jq -r '.files[] | "  \(.kind)\t\(.status)\twire \(.wire) B\t\(if .raw then "raw \(.raw) B\tgzip -9 \(.gzip9) B" else "" end)\t\(.url)"' <<<"$line")" \
    "$(jq -r '.errors[] | "  page error: \(.)"' <<<"$line")"
done <"$out"
bench_detail "KB = 1000 bytes. wire = encodedDataLength from Chromium (headers + body as sent)."
bench_finish
