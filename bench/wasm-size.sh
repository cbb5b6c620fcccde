#!/usr/bin/env bash
# Size of the browser bundle: the WASM, JS and CSS that hash.txt names, raw, gzip -9 and brotli -q 11,
# the islands bundle of the browsing pages (hash-islands.txt), the lazily loaded sections' WASM chunks
# (raw and gzip -9),
# and what the server actually sends for them (tower-http compresses on the fly; no .gz/.br files are
# built) with its transfer time.
#
#   bench/wasm-size.sh                   # the release build (the figure that matters)
#   AGORA_BIN=$CARGO_TARGET_DIR/debug/agora-server bench/wasm-size.sh
#
# The files come from AGORA_SITE_ROOT (target/site) and must be the ones AGORA_BIN's hash.txt names:
# a debug build and a release build write the same target/site, so the script refuses a mismatch.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init wasm-size

hash_txt=$(dirname "$AGORA_BIN")/hash.txt
pkg=$AGORA_SITE_ROOT/pkg
have_brotli=0
command -v brotli >/dev/null 2>&1 && have_brotli=1

kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }

files=()
for kind in wasm js css; do
  h=$(sed -n "s/^$kind: *//p" "$hash_txt")
  f=$pkg/agora.$h.$kind
  [ -f "$f" ] || bench_die "missing $f"
  files+=("$f")
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  line=$(printf '%-6s %-42s raw %12s   gzip -9 %12s' "$kind" "$(basename "$f")" "$(kib "$raw")" "$(kib "$gz")")
  if [ $have_brotli = 1 ]; then
    br=$(brotli -q 11 -c "$f" | wc -c)
    line="$line   brotli -q 11 $(printf '%12s' "$(kib "$br")")"
  fi
  bench_summary "bundle ($BENCH_PROFILE) $line"
  bench_detail "$(basename "$f"): raw $raw B, gzip -9 $gz B$([ $have_brotli = 1 ] && echo ", brotli -q 11 $br B")"
done
[ $have_brotli = 1 ] || bench_detail "brotli not installed: brotli sizes skipped"

# The islands bundle, which the storefront's browsing pages load instead (app/src/frame/islands.rs).
islands_hash_txt=$(dirname "$AGORA_BIN")/hash-islands.txt
for kind in wasm js; do
  h=$(sed -n "s/^$kind: *//p" "$islands_hash_txt")
  f=$pkg/agora-islands.$h.$kind
  [ -f "$f" ] || bench_die "missing $f"
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  bench_summary "$(printf 'islands (%s) %-4s %-38s raw %12s   gzip -9 %12s' "$BENCH_PROFILE" "$kind" "$(basename "$f")" "$(kib "$raw")" "$(kib "$gz")")"
done

# The lazily loaded sections' chunks (cargo leptos build --split; app/src/frame/sections.rs), which
# only the pages of their sections fetch. The manifest names the chunks each section loads.
for f in "$pkg"/split_*.wasm "$pkg"/chunk_*.wasm; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  bench_summary "$(printf 'chunk (%s) %-44s raw %12s   gzip -9 %12s' "$BENCH_PROFILE" "$(basename "$f")" "$(kib "$raw")" "$(kib "$gz")")"
done
manifest=$(ls "$pkg"/__wasm_split_manifest.*.json 2>/dev/null | head -n1 || true)
[ -z "$manifest" ] || bench_detail "chunks per section ($(basename "$manifest")): $(tr -d ' \n' <"$manifest")"

# As served: a throwaway server, each file fetched once per encoding (cold: the first request).
db_dir=$BENCH_TMP/wasm-db
mkdir -p "$db_dir"
bench_start_server wasm-size "sqlite://$db_dir/agora.db"
for f in "${files[@]}"; do
  name=$(basename "$f")
  for enc in br gzip identity; do
    read -r code size t enc_got < <(curl -sS -o /dev/null -H "Accept-Encoding: $enc" \
      -w '%{http_code} %{size_download} %{time_total} %header{content-encoding}\n' "$BASE/pkg/$name")
    [ "$code" = 200 ] || bench_die "GET /pkg/$name answered $code"
    ms=$(awk -v t="$t" 'BEGIN { printf "%.1f", t * 1000 }')
    bench_detail "served /pkg/$name Accept-Encoding: $enc -> ${enc_got:-identity}, $size B in $ms ms"
    case $name in
      *.wasm) bench_summary "$(printf 'bundle (%s) wasm as served, Accept-Encoding %-8s %12s in %8s ms (%s)' \
        "$BENCH_PROFILE" "$enc" "$(kib "$size")" "$ms" "${enc_got:-identity}")" ;;
    esac
  done
done
bench_stop_server
bench_finish
