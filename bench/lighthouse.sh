#!/usr/bin/env bash
# Lighthouse performance scores of the storefront's first pages, desktop and mobile, in Debian's
# Chromium (npm lighthouse@12.2.3, fetched by npx from the npm registry on first use).
#
#   bench/lighthouse.sh                  # the release build (the figure that matters)
#   BENCH_LH_RUNS=3 bench/lighthouse.sh  # runs per page and form factor; the median score is reported
#
# A fresh SQLite database with a small catalog (bench/seed-catalog.sh, 200 listings), then for `/` and
# `/p/<id>`: `lighthouse --only-categories=performance` with its default throttling (mobile: simulated
# slow 4G and a 4x slower CPU; desktop: `--preset=desktop`). Goals (issue 11): desktop >= 95,
# mobile >= 90. Besides the score: FCP, LCP, TBT, CLS and the bytes the page transferred.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init lighthouse
command -v jq >/dev/null || bench_die "jq is not installed: run bench/install.sh"
chrome=${CHROME_PATH:-/usr/bin/chromium}
[ -x "$chrome" ] || bench_die "no Chromium at $chrome (apt-get install chromium)"
runs=${BENCH_LH_RUNS:-3}

db_dir=$BENCH_TMP/lighthouse-db
mkdir -p "$db_dir"
url="sqlite://$db_dir/agora.db"
bench_agora "$url" migrate >/dev/null
"$BENCH_DIR/seed-catalog.sh" "$url" 200 >/dev/null
product=$(sqlite3 "$db_dir/agora.db" "SELECT l.id FROM listings l JOIN organisations o ON o.id = l.organisation_id WHERE o.status = 'active' AND l.status = 'active' ORDER BY l.id LIMIT 1")
[ -n "$product" ] || bench_die "the seeded catalog has no visible listing"
bench_start_server lighthouse "$url"

# lighthouse_run PATH FORM_FACTOR OUT: one run, its JSON report in OUT.
lighthouse_run() {
  local preset=()
  [ "$2" = desktop ] && preset=(--preset=desktop)
  CHROME_PATH=$chrome npx --yes lighthouse@12.2.3 "$BASE$1" "${preset[@]}" --only-categories=performance \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" --output=json --output-path="$3" --quiet \
    >/dev/null 2>>"$BENCH_TMP/lighthouse.log" || bench_die "lighthouse failed on $1 ($2): see $BENCH_TMP/lighthouse.log"
}

bench_summary "$(printf '%-9s %-8s %5s | %8s %8s %8s %6s | %s' page form score FCP LCP TBT CLS 'transfer KB')"
for page in "/" "/p/$product"; do
  label=$page
  [ "$page" = "/" ] || label="/p/<id>"
  for form in desktop mobile; do
    reports=()
    for i in $(seq "$runs"); do
      out=$BENCH_TMP/lh-$form-$i-$(echo "$label" | tr -c 'a-z0-9' _).json
      lighthouse_run "$page" "$form" "$out"
      reports+=("$out")
    done
    # The median run by score.
    median=$(for r in "${reports[@]}"; do echo "$(jq '.categories.performance.score' "$r") $r"; done | sort -n | awk -v n="$runs" 'NR == int((n + 1) / 2) { print $2 }')
    read -r score fcp lcp tbt cls bytes < <(jq -r '[(.categories.performance.score * 100 | round),
      .audits["first-contentful-paint"].numericValue, .audits["largest-contentful-paint"].numericValue,
      .audits["total-blocking-time"].numericValue, .audits["cumulative-layout-shift"].numericValue,
      .audits["total-byte-weight"].numericValue] | @tsv' "$median")
    all=$(for r in "${reports[@]}"; do jq '.categories.performance.score * 100 | round' "$r"; done | paste -sd, -)
    bench_summary "$(printf '%-9s %-8s %5s | %6.0fms %6.0fms %6.0fms %6.3f | %8.1f   (runs: %s)' \
      "$label" "$form" "$score" "$fcp" "$lcp" "$tbt" "$cls" "$(awk -v b="$bytes" 'BEGIN { print b / 1000 }')" "$all")"
    bench_detail "## $label $form (median of $runs): $(jq -r '[.audits | to_entries[] | select(.value.score != null and .value.score < 0.9 and .value.details.type == "opportunity") | .key] | join(", ")' "$median")"
  done
done
bench_stop_server
bench_finish
