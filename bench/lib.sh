# shellcheck shell=bash
# Shared by every bench script (sourced, never executed). It finds the build under test, copies it to a
# private temp dir so a colleague's `cargo leptos build` cannot swap the binary or target/site halfway
# through a run, starts and stops throwaway servers on free loopback ports, runs oha, and writes the
# results files. See bench/README.md.
#
# Inputs (environment):
#   AGORA_BIN         the server binary     (default: $CARGO_TARGET_DIR/release/agora-server)
#   AGORA_SITE_ROOT   the built site        (default: <repo>/target/site; must match the binary's hash.txt)
#   BENCH_ENVIRONMENT AGORA_ENVIRONMENT of the servers started here (default: production)
#   BENCH_OPERATOR_SECOND_FACTOR  (default: optional: the console benches sign their operator in with a
#                     password; signin-totp.sh measures the second step itself)
#
# Every address used is 127.0.0.1.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
RESULTS_DIR="$BENCH_DIR/results"
# shellcheck source=scripts/env.sh
source "$REPO/scripts/env.sh" release # only for CARGO_TARGET_DIR and PATH (cargo-installed oha); builds nothing
# shellcheck source=scripts/pg-temp.sh
source "$REPO/scripts/pg-temp.sh"

bench_log() { printf '\033[1m[bench]\033[0m %s\n' "$*" >&2; }
bench_die() { printf '\033[1;31m[bench] error:\033[0m %s\n' "$*" >&2; exit 1; }

# --- the build under test -------------------------------------------------------------------------

# bench_stage: copies AGORA_BIN (with the hash.txt beside it) and AGORA_SITE_ROOT into BENCH_TMP and
# points AGORA_BIN / AGORA_SITE_ROOT at the copies. Done once per run: run-all.sh stages and exports
# BENCH_STAGED so the scripts it calls reuse the copy. Sets BENCH_PROFILE (release/debug) and
# BENCH_BUILD (a one-line description for results files).
bench_stage() {
  : "${BENCH_TMP:?bench_init first}"
  if [ "${BENCH_STAGED:-}" = 1 ]; then
    return 0
  fi
  local bin=${AGORA_BIN:-$CARGO_TARGET_DIR/release/agora-server}
  local site=${AGORA_SITE_ROOT:-$REPO/target/site}
  [ -x "$bin" ] || bench_die "no server binary at $bin: build it (source scripts/env.sh release && cargo leptos build --release --split && scripts/build-islands.sh release) or set AGORA_BIN"
  [ -f "$(dirname "$bin")/hash.txt" ] || bench_die "no hash.txt next to $bin (cargo leptos build writes it)"
  [ -f "$(dirname "$bin")/hash-islands.txt" ] || bench_die "no hash-islands.txt next to $bin (scripts/build-islands.sh writes it)"
  local wasm_hash
  wasm_hash=$(sed -n 's/^wasm: *//p' "$(dirname "$bin")/hash.txt")
  [ -f "$site/pkg/agora.$wasm_hash.wasm" ] ||
    bench_die "$site/pkg has no agora.$wasm_hash.wasm, which $(dirname "$bin")/hash.txt names: the site was rebuilt by another profile or build. Rebuild, then run the bench right away."
  local dir=$BENCH_TMP/build
  mkdir -p "$dir/bin"
  cp "$bin" "$dir/bin/agora-server"
  cp "$(dirname "$bin")/hash.txt" "$(dirname "$bin")/hash-islands.txt" "$dir/bin/"
  cp -r "$site" "$dir/site"
  # As scripts/run.sh serves it: with the compressed forms beside the files, so that no server here
  # spends its first minute compressing the WASM while it is being measured.
  "$REPO/scripts/precompress.sh" "$dir/site"
  case $(basename "$(dirname "$bin")") in
    release) BENCH_PROFILE=release ;;
    debug) BENCH_PROFILE=debug ;;
    *) BENCH_PROFILE=${BENCH_PROFILE:-unknown} ;;
  esac
  BENCH_BUILD="$BENCH_PROFILE build, $bin (modified $(date -r "$bin" '+%Y-%m-%d %H:%M')), git $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO" diff --quiet HEAD 2>/dev/null || echo '+dirty')"
  AGORA_BIN_ORIGINAL=$bin
  AGORA_BIN=$dir/bin/agora-server
  AGORA_SITE_ROOT=$dir/site
  BENCH_STAGED=1
  export AGORA_BIN AGORA_SITE_ROOT AGORA_BIN_ORIGINAL BENCH_STAGED BENCH_PROFILE BENCH_BUILD
  bench_log "build under test: $BENCH_BUILD"
}

# --- lifecycle ------------------------------------------------------------------------------------

BENCH_PIDS=()

# bench_init NAME: the temp dir, the cleanup trap, and the results file bench/results/NAME.txt.
bench_init() {
  BENCH_NAME=$1
  mkdir -p "$RESULTS_DIR"
  BENCH_RESULT=$RESULTS_DIR/$BENCH_NAME.txt
  BENCH_SUMMARY_LINES=()
  BENCH_DETAILS=$(mktemp "${TMPDIR:-/tmp}/agora-bench-$BENCH_NAME-details.XXXXXX")
  if [ -z "${BENCH_TMP:-}" ] || [ ! -d "$BENCH_TMP" ]; then
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/agora-bench.XXXXXX")
    BENCH_OWN_TMP=1
    export BENCH_TMP
  fi
  BENCH_LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  bench_stage
}

# Stops every server and PostgreSQL this script started, and removes the temp dir if it made it.
bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    bench_stop_pid "$pid"
  done
  BENCH_PIDS=()
  bench_pg_stop
  rm -f "${BENCH_DETAILS:-}"
  if [ "${BENCH_OWN_TMP:-}" = 1 ] && [ -n "${BENCH_TMP:-}" ]; then
    case $(basename "$BENCH_TMP") in agora-bench.*) rm -rf "$BENCH_TMP" ;; esac
  fi
}

# bench_stop_pid PID: SIGTERM (graceful), then SIGKILL after 10 s.
bench_stop_pid() {
  local pid=$1 _
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

bench_free_port() {
  _pg_temp_free_port
}

# bench_pg_start: a throwaway PostgreSQL (scripts/pg-temp.sh) on loopback; sets BENCH_PG_URL. Its
# shared_buffers is 1GB (BENCH_PG_SHARED_BUFFERS), as a production server's would be a share of its
# memory: at PostgreSQL's default of 128MB a million-row ledger export reads every page through the
# kernel's cache (13 s instead of 7-9 s).
bench_pg_start() {
  PG_TEMP_SHARED_BUFFERS=${BENCH_PG_SHARED_BUFFERS:-1GB} pg_temp_start || bench_die "could not start PostgreSQL"
  BENCH_PG_DIR=$PG_TEMP_DIR
  # shellcheck disable=SC2034 # read by the scripts
  BENCH_PG_URL=$PG_TEMP_URL
}

# bench_pg_stop: stops the PostgreSQL of bench_pg_start, if one runs (a backend's run is over).
bench_pg_stop() {
  if [ -n "${BENCH_PG_DIR:-}" ]; then
    pg_temp_stop "$BENCH_PG_DIR" || true
    BENCH_PG_DIR=
  fi
}

# bench_env DB_URL PORT: the environment every agora-server command here runs with (prints NAME=VALUE).
bench_env() {
  printf '%s\n' \
    "AGORA_DATABASE_URL=$1" \
    "AGORA_SITE_ADDR=127.0.0.1:$2" \
    "AGORA_PUBLIC_URL=http://127.0.0.1:$2" \
    "AGORA_SITE_ROOT=$AGORA_SITE_ROOT" \
    "AGORA_UPLOADS_DIR=$BENCH_TMP/uploads" \
    "AGORA_ENVIRONMENT=${BENCH_ENVIRONMENT:-production}" \
    "AGORA_CLOCK_CONTROL=false" \
    "AGORA_PAYMENT_PROVIDERS=bank_transfer" \
    "AGORA_BOOTSTRAP_TOKEN=" \
    "AGORA_OPERATOR_SECOND_FACTOR=${BENCH_OPERATOR_SECOND_FACTOR:-optional}" \
    "AGORA_LOG=${BENCH_SERVER_LOG:-warn}"
}

# bench_agora DB_URL ARGS...: runs an agora-server command (migrate, admin create) against DB_URL.
bench_agora() {
  local url=$1 envs
  shift
  mapfile -t envs < <(bench_env "$url" 0)
  (cd "$REPO" && env "${envs[@]}" "$AGORA_BIN" --config "$REPO/Leptos.toml" "$@")
}

# bench_start_server NAME DB_URL: starts `agora-server serve` on a free port and waits (up to 120 s)
# for /readyz 200. Sets BASE (http://127.0.0.1:PORT) and SERVER_PID; logs go to $BENCH_TMP/NAME.log.
bench_start_server() {
  local name=$1 url=$2 port envs _
  port=$(bench_free_port) || bench_die "no free port"
  mapfile -t envs < <(bench_env "$url" "$port")
  (cd "$REPO" && exec env "${envs[@]}" "$AGORA_BIN" --config "$REPO/Leptos.toml" serve) \
    >"$BENCH_TMP/$name.log" 2>&1 &
  SERVER_PID=$!
  BENCH_PIDS+=("$SERVER_PID")
  BASE="http://127.0.0.1:$port"
  for _ in $(seq 1200); do
    if [ "$(bench_http_status "$port" /readyz)" = 200 ]; then
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$BENCH_TMP/$name.log" >&2; bench_die "the server exited during start-up"; }
    sleep 0.1
  done
  cat "$BENCH_TMP/$name.log" >&2
  bench_die "the server did not become ready within 120 s"
}

# bench_stop_server: stops the server of the last bench_start_server.
bench_stop_server() {
  local pid=${SERVER_PID:-} keep=() p
  [ -n "$pid" ] || return 0
  bench_stop_pid "$pid"
  for p in "${BENCH_PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  BENCH_PIDS=("${keep[@]}")
  SERVER_PID=
}

# bench_http_status PORT PATH: the status code of GET 127.0.0.1:PORT/PATH, or nothing when nothing
# answers. Pure bash (/dev/tcp), so a polling loop spawns no process and costs well under a millisecond.
bench_http_status() {
  local port=$1 path=$2 fd line=""
  { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 0
  { printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&"$fd"; } 2>/dev/null
  IFS= read -r -t 5 line <&"$fd" || true
  exec {fd}>&-
  line=${line#HTTP/1.1 }
  printf '%s' "${line%% *}"
}

# --- accounts -------------------------------------------------------------------------------------

# Read by the scripts that source this file. The admin's address is also in seed-users.sh.
# shellcheck disable=SC2034
BENCH_ADMIN_EMAIL=bench-admin@example.test
# shellcheck disable=SC2034
BENCH_PASSWORD='bench-Password-2024!'

# bench_sign_in EMAIL PASSWORD: prints the session cookie (agora_session=...) of a fresh sign-in.
bench_sign_in() {
  local headers cookie
  headers=$(curl -sS -D - -o /dev/null -X POST "$BASE/api/sign_in" -H "Origin: $BASE" \
    --data-urlencode "email=$1" --data-urlencode "password=$2") || bench_die "sign-in request failed"
  cookie=$(printf '%s\n' "$headers" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(\(__Host-\)\{0,1\}agora_session=[0-9a-f]*\).*/\1/p' | head -n1)
  [ -n "$cookie" ] || { printf '%s\n' "$headers" >&2; bench_die "sign-in as $1 returned no session cookie"; }
  printf '%s' "$cookie"
}

# --- load -----------------------------------------------------------------------------------------

bench_require_oha() {
  command -v oha >/dev/null 2>&1 || bench_die "oha is not installed: run bench/install.sh"
}

# bench_run_oha JSON OHA_ARGS...: runs oha (--no-tui, JSON report into JSON) against the server of the
# last bench_start_server, with a watchdog: every 2 s it asks /readyz (5 s to answer), and after three
# unanswered probes in a row it decides the server is hung, records its threads' states, kills oha and
# returns 3. Otherwise returns oha's status. A request gets BENCH_REQUEST_TIMEOUT (60s) at most.
bench_run_oha() {
  local json=$1 port=${BASE##*:} oha_pid misses=0 status=0
  shift
  oha --no-tui --output-format json -t "${BENCH_REQUEST_TIMEOUT:-60s}" "$@" >"$json" &
  oha_pid=$!
  while kill -0 "$oha_pid" 2>/dev/null; do
    sleep 2
    kill -0 "$oha_pid" 2>/dev/null || break
    if [ "$(bench_http_status "$port" /readyz)" = 200 ]; then
      misses=0
    else
      misses=$((misses + 1))
    fi
    if [ $misses -ge 3 ]; then
      bench_detail "HUNG: /readyz unanswered for 3 probes in a row while oha ran; server threads (name: kernel wait channel):" \
        "$(for t in /proc/"${SERVER_PID:-0}"/task/*; do printf '  %s: %s\n' "$(cat "$t/comm")" "$(cat "$t/wchan")"; done 2>/dev/null)"
      kill "$oha_pid" 2>/dev/null || true
      wait "$oha_pid" 2>/dev/null || true
      return 3
    fi
  done
  wait "$oha_pid" || status=$?
  return $status
}

# bench_oha LABEL OHA_ARGS...: a measured oha run. Every response must be 2xx (or, with
# BENCH_OHA_EXPECT=404, a status starting with that: a measured 404) and no request may fail,
# else the figures would be meaningless: the script stops (bench_die), or, with BENCH_SOFT=1, a FAILED
# summary line is written and bench_oha returns 1. On success: the report into the details and a summary
# line with p50/p99/rps. The JSON is kept in $BENCH_TMP/last-oha.json.
bench_oha() {
  local label=$1 json=$BENCH_TMP/last-oha.json cmd status=0
  shift
  cmd="oha $(printf '%q ' "$@")"
  bench_log "$label: $cmd"
  bench_detail "### $label" "$cmd"
  bench_run_oha "$json" "$@" || status=$?
  if [ $status = 3 ]; then
    bench_fail "$label" "FAILED: the server stopped answering (even /readyz) during the run: hung, see details"
    return 1
  elif [ $status != 0 ]; then
    bench_fail "$label" "FAILED: oha exited with status $status"
    return 1
  fi
  local ok total errors p50 p99 rps
  total=$(jq '[.statusCodeDistribution[]] | add // 0' "$json")
  ok=$(jq --arg class "${BENCH_OHA_EXPECT:-2}" '[.statusCodeDistribution | to_entries[] | select(.key | startswith($class)) | .value] | add // 0' "$json")
  errors=$(jq '[.errorDistribution[]] | add // 0' "$json")
  p50=$(jq '.latencyPercentiles.p50 * 1000' "$json")
  p99=$(jq '.latencyPercentiles.p99 * 1000' "$json")
  rps=$(jq '.summary.requestsPerSec' "$json")
  {
    jq -r '"requests: \(([.statusCodeDistribution[]] | add) // 0), status codes: \(.statusCodeDistribution | tostring), errors: \(.errorDistribution | tostring)",
           "total: \(.summary.total | . * 1000 | round / 1000) s, rps: \(.summary.requestsPerSec | . * 10 | round / 10)",
           "latency ms: " + ([.latencyPercentiles | to_entries[] | "\(.key)=\((.value // 0) * 1000 | . * 100 | round / 100)"] | join(" ")),
           "slowest: \((.summary.slowest // 0) * 1000 | . * 100 | round / 100) ms, fastest: \((.summary.fastest // 0) * 1000 | . * 100 | round / 100) ms, average: \((.summary.average // 0) * 1000 | . * 100 | round / 100) ms"' "$json"
    echo
  } >>"$BENCH_DETAILS"
  if [ "$ok" != "$total" ] || [ "$errors" != 0 ] || [ "$total" = 0 ]; then
    bench_fail "$label" "FAILED: $((total - ok)) non-${BENCH_OHA_EXPECT:-2}xx responses and $errors request errors out of $((total + errors))"
    return 1
  fi
  bench_summary "$(printf '%-58s p50 %8.2f ms   p99 %8.2f ms   %8.1f req/s' "$label" "$p50" "$p99" "$rps")"
}

# bench_fail LABEL TEXT: a failed measurement; fatal unless BENCH_SOFT=1.
bench_fail() {
  if [ "${BENCH_SOFT:-0}" = 1 ]; then
    bench_summary "$(printf '%-58s %s' "$1" "$2")"
  else
    bench_die "$1: $2"
  fi
}

# bench_warmup OHA_ARGS...: an unmeasured oha run (pools, page cache, argon2 threads); only checks that
# nothing failed.
bench_warmup() {
  local json=$BENCH_TMP/warmup-oha.json total ok status=0
  bench_run_oha "$json" "$@" || status=$?
  [ $status = 0 ] || bench_die "warm-up failed (status $status; 3 = the server hung)"
  total=$(jq '[.statusCodeDistribution[]] | add // 0' "$json")
  ok=$(jq '[.statusCodeDistribution | to_entries[] | select(.key | startswith("2")) | .value] | add // 0' "$json")
  if [ "$ok" != "$total" ] || [ "$total" = 0 ]; then
    bench_die "warm-up: $((total - ok)) of $total responses were not 2xx ($(jq -c '.statusCodeDistribution, .errorDistribution' "$json" | tr '\n' ' '))"
  fi
}

# --- results --------------------------------------------------------------------------------------

# bench_summary LINE: one line of the summary (printed now, and at the top of the results file).
bench_summary() {
  BENCH_SUMMARY_LINES+=("$1")
  printf '  %s\n' "$1"
}

# bench_detail TEXT...: free text for the details section of the results file.
bench_detail() {
  printf '%s\n' "$@" >>"$BENCH_DETAILS"
}

# bench_finish: writes bench/results/NAME.txt (summary, then details) and prints the summary.
bench_finish() {
  {
    echo "# $BENCH_NAME  $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo "# machine: $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)), $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2/1048576}' /proc/meminfo), $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "# build: $BENCH_BUILD"
    echo "# load average at start: $BENCH_LOAD_START, at end: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share the 2 cores)"
    echo "## summary"
    printf '%s\n' "${BENCH_SUMMARY_LINES[@]}"
    echo "## details"
    cat "$BENCH_DETAILS"
  } >"$BENCH_RESULT"
  echo
  bench_log "$BENCH_NAME: wrote $BENCH_RESULT"
  printf '%s\n' "${BENCH_SUMMARY_LINES[@]}"
}
