#!/usr/bin/env bash
# Every check Agora has, in the order CI runs them (.ci/run calls this):
#
#   scripts/test.sh                # everything
#   scripts/test.sh --quick        # skip the PostgreSQL suite and the browser tests
#   scripts/test.sh --fail-fast    # stop at the first failed stage
#
# Stages: install tools, rustfmt, debug build (cargo leptos build --split), clippy (server side, then the WASM
# side), cargo test on SQLite, the integration tests again on a throwaway PostgreSQL, Playwright.
# A failed stage does not stop the later ones (one run shows every problem), except that the browser
# tests need the build. Exit status is non-zero if any stage failed. The temporary PostgreSQL is always
# stopped and removed, whatever happens.
#
# The order keeps the 2-core machine's work small: the debug build comes before clippy and the tests so
# that proc-macros and build scripts are compiled once and reused, and everything shares the one
# CARGO_TARGET_DIR and LEPTOS_* environment from scripts/env.sh.
set -euo pipefail

quick=0
fail_fast=0
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    --fail-fast) fail_fast=1 ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."

# shellcheck source=scripts/pg-temp.sh
source scripts/pg-temp.sh
# Signals end the script through exit, so the EXIT trap (stopping PostgreSQL) runs for them too.
trap 'pg_temp_stop' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

t_start=$SECONDS
names=()
results=()
durations=()
failed=0

bold() { printf '\033[1m%s\033[0m\n' "$*"; }

# stage NAME COMMAND...: runs one stage with a banner and its time, and records the result.
stage() {
  local name=$1 t0=$SECONDS status=0
  shift
  echo
  bold "==> [$name] $* (at $((SECONDS - t_start))s)"
  "$@" || status=$?
  local took=$((SECONDS - t0))
  names+=("$name")
  durations+=("$took")
  if [ "$status" = 0 ]; then
    results+=(ok)
    bold "<== [$name] ok in ${took}s"
  else
    results+=("FAILED ($status)")
    failed=$((failed + 1))
    bold "<== [$name] FAILED (exit $status) in ${took}s"
    if [ "$fail_fast" = 1 ]; then summary; exit 1; fi
  fi
  return "$status"
}

skip() {
  names+=("$1")
  durations+=(0)
  results+=("skipped: $2")
  echo
  bold "--- [$1] skipped: $2"
}

summary() {
  local i passed=0
  echo
  bold "==> summary ($((SECONDS - t_start))s in all)"
  for i in "${!names[@]}"; do
    printf '  %-14s %5ss  %s\n' "${names[$i]}" "${durations[$i]}" "${results[$i]}"
    if [ "${results[$i]}" = ok ]; then passed=$((passed + 1)); fi
  done
  # Last line on purpose: a plain count that a reader of the log (or CI) can pick up.
  echo "stages: $passed passed, $failed failed"
}

# Stage bodies that are more than one command. They run inside `if`-like contexts, where set -e is off,
# hence the explicit && chains.
# The cluster is stopped and its dir removed whatever the tests did: a failed run must not leave its
# databases on disk for the browser tests that follow.
test_postgres() {
  local status
  pg_temp_start || return 1
  echo "AGORA_TEST_DB=postgres AGORA_TEST_PG_URL=$PG_TEMP_URL cargo test -p agora-server --test integration"
  AGORA_TEST_DB=postgres AGORA_TEST_PG_URL="$PG_TEMP_URL" cargo test -p agora-server --test integration
  status=$?
  pg_temp_stop
  return "$status"
}

# Tools first: without them nothing else can run, so a failure here ends the run.
stage install scripts/install-tools.sh || { summary; exit 1; }
# shellcheck source=scripts/env.sh
source scripts/env.sh debug

stage fmt cargo fmt --all -- --check || true

build_ok=1
# --split: the console, seller center and account pages are lazy routes whose WASM chunks wasm-split
# cuts out (app/src/frame/sections.rs); without it the browser could not load the app.
stage build cargo leptos build --split || build_ok=0
# The storefront's browsing pages' own WASM (app/src/frame/islands.rs).
if [ "$build_ok" = 1 ]; then stage build-islands scripts/build-islands.sh || build_ok=0; else skip build-islands "the build failed"; fi

# The app crate's `ssr` and `hydrate` features exclude each other, so there is no single clippy run for
# the workspace: lint the server (which pulls in app with ssr; the same package set as cargo test below,
# so features resolve the same) for every target, then the frontend (app with hydrate) for wasm32 in
# cargo-leptos's own front target dir, where its build already compiled the host-side proc-macros.
stage clippy-ssr cargo clippy -p agora-server -p agora-app --all-targets -- -D warnings || true
stage clippy-wasm cargo clippy -p agora-frontend --lib --target wasm32-unknown-unknown \
  --target-dir "$CARGO_TARGET_DIR/front" -- -D warnings || true

# The two browser crates are excluded: they turn on `hydrate`, which excludes the server's `ssr`.
stage test-sqlite env AGORA_TEST_DB=sqlite cargo test --workspace --exclude agora-frontend --exclude agora-islands || true

if [ "$quick" = 1 ]; then
  skip test-postgres "--quick"
  skip e2e "--quick"
else
  stage test-postgres test_postgres || true
  if [ "$build_ok" = 1 ]; then
    # --no-install: never let npx fetch anything; Playwright comes from package.json.
    stage e2e npx --no-install playwright test -c end2end/playwright.config.ts || true
  else
    skip e2e "the build failed"
  fi
fi

summary
[ "$failed" = 0 ]
