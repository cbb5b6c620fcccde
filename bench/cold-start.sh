#!/usr/bin/env bash
# Cold start: from exec of `agora-server serve` to the first 200 from GET /readyz, on SQLite.
#
#   bench/cold-start.sh                  # BENCH_COLD_RUNS=10 runs of each case
#
# Two cases, each run BENCH_COLD_RUNS (10) times, median and max reported:
#   migrated DB   the database already exists and is migrated (a restart / redeploy)
#   fresh DB      an empty directory each run: creates the file and applies every migration (first boot)
# The clock starts just before the fork and stops when a GET /readyz answers 200. The poll is pure bash
# (/dev/tcp, no process spawned) every ~2 ms, so figures are good to about 2-3 ms. Between runs the
# server gets SIGTERM and is waited for (shutdown is not measured). The binary and its libraries are in
# the page cache after the first run: this is a process cold start, not a cold disk cache.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "$0")/lib.sh"
bench_init cold-start

runs=${BENCH_COLD_RUNS:-10}
mkfifo "$BENCH_TMP/never"
exec {never}<>"$BENCH_TMP/never" # a pipe nobody writes to: `read -t` on it is a sleep without a fork

# one_start DB_URL: sets ONE_MS to the ms from fork to /readyz 200; stops the server. (Not called in a
# $(...) subshell, so a failure stops the script and its EXIT trap still sees the server's pid.)
one_start() {
  local url=$1 port envs t0 t1 pid _
  port=$(bench_free_port)
  mapfile -t envs < <(bench_env "$url" "$port")
  cd "$REPO"
  t0=$EPOCHREALTIME
  env "${envs[@]}" "$AGORA_BIN" --config "$REPO/Leptos.toml" serve >>"$BENCH_TMP/cold-start.log" 2>&1 &
  pid=$!
  BENCH_PIDS+=("$pid")
  until [ "$(bench_http_status "$port" /readyz)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$BENCH_TMP/cold-start.log" >&2; bench_die "the server exited during start-up"; }
    read -r -t 0.002 -u "$never" _ || true
  done
  t1=$EPOCHREALTIME
  SERVER_PID=$pid
  bench_stop_server
  ONE_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
}

# stats LABEL MS...: median and max into the summary, every run into the details.
stats() {
  local label=$1
  shift
  local sorted median max
  sorted=$(printf '%s\n' "$@" | sort -g)
  median=$(printf '%s\n' "$sorted" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
  max=$(printf '%s\n' "$sorted" | tail -n1)
  bench_summary "$(printf 'cold start to /readyz 200, %-28s median %8.1f ms   max %8.1f ms   (%d runs)' "$label" "$median" "$max" "$#")"
  bench_detail "$label: $* (ms, in run order)"
}

# Migrated: one database, migrated once beforehand (and started once, unmeasured, to warm the page cache).
mkdir -p "$BENCH_TMP/cold-migrated"
migrated="sqlite://$BENCH_TMP/cold-migrated/agora.db"
bench_agora "$migrated" migrate >/dev/null
one_start "$migrated"
times=()
for i in $(seq "$runs"); do
  one_start "$migrated"
  times+=("$ONE_MS")
  bench_log "migrated DB, run $i: ${times[-1]} ms"
done
stats "SQLite, migrated DB" "${times[@]}"

times=()
for i in $(seq "$runs"); do
  mkdir -p "$BENCH_TMP/cold-fresh-$i"
  one_start "sqlite://$BENCH_TMP/cold-fresh-$i/agora.db"
  times+=("$ONE_MS")
  bench_log "fresh DB, run $i: ${times[-1]} ms"
done
stats "SQLite, fresh DB (migrates)" "${times[@]}"

bench_finish
