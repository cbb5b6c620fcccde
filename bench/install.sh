#!/usr/bin/env bash
# Installs what the benchmarks need; quick (and changes nothing) when everything is there.
#
#   bench/install.sh
#
#   oha        HTTP load generator (cargo install oha --locked; compiles for a few minutes on 2 cores,
#              in cargo's own temporary target dir, never Agora's shared CARGO_TARGET_DIR)
#   sqlite3    bulk seeding of the SQLite database
#   jq         reading oha's JSON report
#   brotli     brotli size of the WASM bundle (optional: skipped in the report when absent)
#   curl, gzip sign-in and size measurements
#   PostgreSQL is what scripts/install-tools.sh installs for the test suite (initdb, psql).
set -euo pipefail

log() { printf '\033[1m[bench/install]\033[0m %s\n' "$*" >&2; }

missing=()
for tool in sqlite3 jq brotli curl gzip; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} (apt)"
  if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in *":$cargo_bin:"*) ;; *) PATH="$cargo_bin:$PATH" ;; esac
if ! command -v oha >/dev/null 2>&1; then
  log "installing oha (cargo install oha --locked; takes a few minutes)"
  env -u CARGO_TARGET_DIR cargo install oha --locked
fi

if ! command -v psql >/dev/null 2>&1; then
  log "psql not found: the PostgreSQL benchmark needs PostgreSQL (scripts/install-tools.sh installs it)"
fi

log "ready: $(oha --version), sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(jq --version), brotli $(command -v brotli >/dev/null && brotli --version | cut -d' ' -f2 || echo absent)"
