#!/usr/bin/env bash
# Static files against a trivial request, 50 connections, on one SQLite server (production):
#
#   bench/static-files.sh
#   BENCH_STATIC_N=20000 BENCH_STATIC_WASM_N=300 BENCH_STATIC_C=50 bench/static-files.sh
#
# The files are the ones the build's hash.txt names (the files pages link). Every request asks for
# compressed responses as a browser does (Accept-Encoding: gzip, deflate, br):
#
#   GET /pkg/<css>, /pkg/<js>          BENCH_STATIC_N (20000) requests each    <- headline: req/s, p99
#   GET /pkg/<wasm>                    BENCH_STATIC_WASM_N (300); also MB/s on the wire
#   GET /favicon.svg                   BENCH_STATIC_N
#   GET /pkg/agora.missing.js          BENCH_STATIC_N, every answer must be 404
#   POST /api/whoami                   BENCH_STATIC_N: the trivial request the files are compared with
#
# Before measuring it waits (up to BENCH_STATIC_WAIT_S, 120 s) until the server sends the WASM's
# stored brotli form (a response with Content-Length, not compressed per request): a build without
# .br/.gz files gets them computed once after start-up, on a background thread, and that work must not
# run during the measurement. A build that never stores forms (before issue 11) is measured anyway.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init static-files
bench_require_oha

n=${BENCH_STATIC_N:-20000}
wasm_n=${BENCH_STATIC_WASM_N:-300}
c=${BENCH_STATIC_C:-50}
wait_s=${BENCH_STATIC_WAIT_S:-120}
accept='Accept-Encoding: gzip, deflate, br'

hash_txt=$(dirname "$AGORA_BIN")/hash.txt
named() { sed -n "s/^$1: *//p" "$hash_txt"; }
css=/pkg/agora.$(named css).css
js=/pkg/agora.$(named js).js
wasm=/pkg/agora.$(named wasm).wasm

mkdir -p "$BENCH_TMP/static-sqlite"
url="sqlite://$BENCH_TMP/static-sqlite/agora.db"
bench_agora "$url" migrate >/dev/null
bench_start_server static "$url"

# describe PATH: status, encoding and bytes of one browser-like GET (into the details).
describe() {
  curl -sS -o /dev/null -H "$accept" -w "%{http_code} %{size_download} bytes, content-encoding %header{content-encoding}, cache-control %header{cache-control}, etag %header{etag}" "$BASE$1"
}

# stored_br PATH: true once PATH is answered with a stored brotli form (a Content-Length: not
# compressed per request).
stored_br() {
  curl -sS -o /dev/null -D - -H 'Accept-Encoding: br' "$BASE$1" | tr -d '\r' |
    awk 'tolower($1) == "content-length:" { len = 1 } tolower($0) == "content-encoding: br" { br = 1 } END { exit !(len && br) }'
}

t0=$SECONDS
until stored_br "$wasm"; do
  if [ $((SECONDS - t0)) -ge "$wait_s" ]; then
    bench_log "no stored brotli form of the WASM after ${wait_s} s: measuring as it is (compressed per request?)"
    bench_detail "NOTE: the WASM was still not sent from a stored brotli form after ${wait_s} s"
    break
  fi
  sleep 0.5
done
bench_detail "waited $((SECONDS - t0)) s for the stored forms"
for path in "$css" "$js" "$wasm" /favicon.svg /pkg/agora.missing.js; do
  bench_detail "GET $path: $(describe "$path")"
done
bench_detail ""

bench_warmup -n 2000 -c "$c" -H "$accept" "$BASE$css"
bench_oha "static: GET /pkg CSS ($(stat -c %s "$AGORA_SITE_ROOT$css") B raw)" -n "$n" -c "$c" -H "$accept" "$BASE$css"
bench_oha "static: GET /pkg JS ($(stat -c %s "$AGORA_SITE_ROOT$js") B raw)" -n "$n" -c "$c" -H "$accept" "$BASE$js"
bench_oha "static: GET /pkg WASM ($(stat -c %s "$AGORA_SITE_ROOT$wasm") B raw)" -n "$wasm_n" -c "$c" -H "$accept" "$BASE$wasm"
wasm_rate=$(jq -r '"\(.summary.sizePerRequest // 0 | . / 1024 | round) KiB per response, \(.summary.sizePerSec // 0 | . / 1048576 | . * 10 | round / 10) MiB/s"' "$BENCH_TMP/last-oha.json")
bench_summary "$(printf '%-58s %s' "  WASM on the wire" "$wasm_rate")"
bench_oha "static: GET /favicon.svg" -n "$n" -c "$c" -H "$accept" "$BASE/favicon.svg"
BENCH_OHA_EXPECT=404 bench_oha "static: GET /pkg missing file (404)" -n "$n" -c "$c" -H "$accept" "$BASE/pkg/agora.missing.js"
bench_oha "static: POST /api/whoami (a trivial request)" -n "$n" -c "$c" -m POST -H "$accept" "$BASE/api/whoami"
bench_stop_server
bench_finish
