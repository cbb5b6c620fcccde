#!/usr/bin/env bash
# Every benchmark, one after the other, then bench/results/summary.txt (and a dated copy of it).
#
#   bench/run-all.sh                     # the release build already in $CARGO_TARGET_DIR/release
#   bench/run-all.sh --build             # cargo leptos build --release --split first (long on 2 cores)
#   bench/run-all.sh --wait-quiet        # first wait (up to 20 min) for the 1-min load average < 0.5
#   AGORA_BIN=$CARGO_TARGET_DIR/debug/agora-server bench/run-all.sh   # try the scripts on a debug build
#
# Runs bench/install.sh (quick when all is there), copies the build under test once (lib.sh,
# bench_stage), then wasm-size.sh, static-files.sh, first-load.sh, cold-start.sh, signin.sh, signin-totp.sh and users-directory.sh
# (SQLite, then PostgreSQL). Each writes bench/results/<name>.txt; this script gathers their summaries.
# Stops at the first failing benchmark. Nothing else should run on the machine meanwhile: two cores
# are shared by the server, the load generator and the database.
set -euo pipefail
cd "$(dirname "$0")/.."

build=0
wait_quiet=0
for arg in "$@"; do
  case $arg in
    --build) build=1 ;;
    --wait-quiet) wait_quiet=1 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

bench/install.sh
if [ $build = 1 ]; then
  # shellcheck source=scripts/env.sh
  (source scripts/env.sh release && cargo leptos build --release --split && scripts/build-islands.sh release)
fi

if [ $wait_quiet = 1 ]; then
  for i in $(seq 240); do
    awk '{ exit !($1 < 0.5) }' /proc/loadavg && break
    [ "$i" = 1 ] && printf '\033[1m[bench]\033[0m waiting for a quiet machine (load %s)...\n' "$(cut -d' ' -f1 /proc/loadavg)" >&2
    sleep 5
  done
fi

# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_init run-all # stages the build once; the scripts below reuse the copy (BENCH_TMP, BENCH_STAGED)

started=$(date '+%Y-%m-%d %H:%M:%S %Z')
t0=$SECONDS
for script in wasm-size static-files first-load cold-start signin signin-totp users-directory; do
  echo
  bench_log "==> $script"
  "bench/$script.sh"
done

summary=$RESULTS_DIR/summary.txt
{
  echo "Agora benchmarks, $started (took $((SECONDS - t0)) s)"
  echo "machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME"), loopback only"
  echo "build: $BENCH_BUILD"
  echo "load average at start: $BENCH_LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "tools: $(oha --version), sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(psql --version 2>/dev/null || echo 'no psql')"
  for script in wasm-size static-files cold-start signin signin-totp users-directory; do
    echo
    echo "[$script]  (details: bench/results/$script.txt)"
    sed -n '/^## summary$/,/^## details$/p' "$RESULTS_DIR/$script.txt" | sed '1d;$d'
  done
} >"$summary"
cp "$summary" "$RESULTS_DIR/summary-$(date '+%Y%m%d-%H%M%S')-$BENCH_PROFILE.txt"
rm -f "$RESULTS_DIR/run-all.txt"
echo
cat "$summary"
echo
bench_log "wrote $summary"
